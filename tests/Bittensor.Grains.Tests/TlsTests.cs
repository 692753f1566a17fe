using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bittensor.Silo.Security;
using Bittensor.Workers;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Bittensor.Grains.Tests;

/// <summary>The Orleans links run over TLS with a configured certificate; a self-signed one is trusted by its pinned thumbprint.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task SilosAndClient_TalkOverTls_WithAPinnedSelfSignedCertificate()
    {
        string pfx = Path.Combine(Path.GetTempPath(), $"bittensor-tls-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=bittensor-cluster", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, cert.Export(X509ContentType.Pfx, "pw"));
            var tls = new Dictionary<string, string?>
            {
                ["Orleans:Tls:Certificate"] = pfx, ["Orleans:Tls:CertificatePassword"] = "pw", ["Orleans:Tls:TrustedThumbprints"] = cert.Thumbprint,
            };
            var settings = new TlsSettings { Certificate = pfx, CertificatePassword = "pw", TrustedThumbprints = cert.Thumbprint };
            var builder = new InProcessTestClusterBuilder(2);
            builder.Options.ConfigureFileLogging = false;
            builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Chain:Id"] = "test", ["Chain:Faucet"] = "true", ["Chain:AutoStart"] = "false",
                ["Chain:GenesisIssuance"] = ClusterFixture.Genesis.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
            builder.ConfigureSilo((_, silo) =>
            {
                silo.AddMemoryGrainStorage(StorageNames.Chain);
                silo.Services.AddBittensorGrains();
                silo.UseBittensorTls(settings);
            });
            builder.ConfigureClient(client => client.UseBittensorTls(new ConfigurationBuilder().AddInMemoryCollection(tls).Build()));
            try
            {
                await using var cluster = builder.Build();
                await cluster.DeployAsync();
                Assert.Equal("test", (await cluster.Client.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync()).ChainId);
                for (int i = 0; i < 4; i++) // accounts spread over both silos: silo-to-silo calls over TLS
                    Assert.Equal(0UL, (await cluster.Client.GetGrain<IAccountGrain>(Keys.KeyPair.Generate().Address).GetAsync()).Balance);
            }
            finally
            {
                File.Delete(pfx);
            }
        }
    }

    [Fact]
    public void RemoteCertificates_NeedATrustedChainOrAPinnedThumbprint()
    {
        using var rsa = RSA.Create(2048);
        using var cert = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var errors = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
        Assert.False(new TlsSettings().Accept(cert, errors));
        Assert.True(new TlsSettings { TrustedThumbprints = "aa, " + cert.Thumbprint.ToLowerInvariant() }.Accept(cert, errors));
        Assert.True(new TlsSettings().Accept(cert, System.Net.Security.SslPolicyErrors.None));
        Assert.False(new TlsSettings { RequireClientCertificate = true }.Accept(null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable));
    }
}
