using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bittensor;

/// <summary>
/// TLS for the Orleans links (section <c>Orleans:Tls</c>): silo to silo and client to gateway. Silos and clients load
/// the certificate the same way; a remote certificate is accepted when it chains to a trusted root, or when its
/// thumbprint is pinned (<see cref="TrustedThumbprints"/>: the way to trust a cluster's self-signed certificate).
/// </summary>
public sealed class TlsSettings
{
    public const string Section = "Orleans:Tls";

    /// <summary>PFX (PKCS#12) or PEM file holding the certificate and its private key; TLS is on when set.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PFX password (or the PEM key file, for a PEM certificate).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>SHA-1 thumbprints (hex) of remote certificates accepted without a trusted chain, comma-separated.</summary>
    public string? TrustedThumbprints { get; set; }

    /// <summary>Refuse clients that present no certificate (mutual TLS at the gateway as well as between silos).</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Production silos on shared storage refuse to start without TLS unless this is set (a private network does TLS itself).</summary>
    public bool AllowPlaintext { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);

    /// <summary>Loads <see cref="Certificate"/>.</summary>
    public X509Certificate2 LoadCertificate()
    {
        string path = Certificate ?? throw new InvalidOperationException($"{Section}:Certificate is not set");
        return path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path, CertificatePassword)
            : X509CertificateLoader.LoadPkcs12FromFile(path, CertificatePassword);
    }

    /// <summary>Whether to accept a remote certificate: a clean chain, or a pinned thumbprint.</summary>
    public bool Accept(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null) return !RequireClientCertificate && errors == SslPolicyErrors.RemoteCertificateNotAvailable;
        if (errors == SslPolicyErrors.None) return true;
        var pinned = (TrustedThumbprints ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return pinned.Contains(certificate.Thumbprint, StringComparer.OrdinalIgnoreCase);
    }
}
