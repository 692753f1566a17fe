using Bittensor.Grains;
using Orleans.Connections.Security;

namespace Bittensor.Silo.Security;

/// <summary>
/// The silo's transport security and its Production guards: TLS on the silo and gateway listeners when a certificate is
/// configured (<see cref="TlsSettings"/>), and a Production silo on shared storage (a multi-host cluster) refuses to
/// start without TLS or without a configured <see cref="ClusterSecret"/>.
/// </summary>
public static class SiloSecurity
{
    /// <summary>Applies TLS to <paramref name="silo"/> and checks the Production guards.</summary>
    public static void UseBittensorSecurity(this ISiloBuilder silo, IHostApplicationBuilder host, bool sharedStorage)
    {
        var tls = host.Configuration.GetSection(TlsSettings.Section).Get<TlsSettings>() ?? new TlsSettings();
        if (host.Environment.IsProduction())
        {
            var chain = host.Configuration.GetSection(ChainOptions.Section).Get<ChainOptions>() ?? new ChainOptions();
            if (!chain.Testnet && chain.Faucet)
                throw new InvalidOperationException("Chain:Faucet gives TAO to anyone who asks: refused in Production unless the deployment is a test network (Chain:Testnet=true)");
            if (!chain.Testnet && chain.TrustClients)
                throw new InvalidOperationException("Chain:TrustClients lets clients write without signatures: refused in Production unless the deployment is a test network (Chain:Testnet=true)");
        }
        if (host.Environment.IsProduction() && sharedStorage)
        {
            if (!tls.Enabled && !tls.AllowPlaintext)
                throw new InvalidOperationException(
                    $"a Production cluster on shared storage needs TLS: set {TlsSettings.Section}:Certificate (or {TlsSettings.Section}:AllowPlaintext=true on a private network)");
            if (string.IsNullOrEmpty(host.Configuration[ClusterSecret.Key]))
                throw new InvalidOperationException($"a Production cluster on shared storage needs {ClusterSecret.Key} (the same on every silo)");
        }
        if (tls.Enabled) silo.UseBittensorTls(tls);
    }

    /// <summary>TLS on the silo and gateway listeners and on this silo's links to others, with <paramref name="tls"/>'s certificate and trust.</summary>
    public static ISiloBuilder UseBittensorTls(this ISiloBuilder silo, TlsSettings tls) =>
        silo.UseTls(tls.LoadCertificate(), o =>
        {
            o.RemoteCertificateMode = tls.RequireClientCertificate ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
            o.RemoteCertificateValidation = (remote, _, errors) => tls.Accept(remote, errors);
        });
}
