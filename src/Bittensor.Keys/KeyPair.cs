using NSec.Cryptography;

namespace Bittensor.Keys;

/// <summary>An Ed25519 key pair (NSec / libsodium), identified by its SS58 address.</summary>
public sealed class KeyPair : IDisposable
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private KeyPair(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Address = Ss58.Encode(PublicKey);
    }

    /// <summary>The 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The SS58 (prefix 42) address.</summary>
    public string Address { get; }

    /// <summary>A new random key pair.</summary>
    public static KeyPair Generate() => new(Key.Create(Ed25519, Exportable));

    /// <summary>The key pair of a 32-byte Ed25519 seed (RFC 8032 private key).</summary>
    public static KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new ArgumentException("an Ed25519 seed has 32 bytes", nameof(seed));
        return new(Key.Import(Ed25519, seed, KeyBlobFormat.RawPrivateKey, Exportable));
    }

    /// <summary>The 32-byte seed (export only to encrypt it, or for hotkeys kept in plain files as on Bittensor).</summary>
    public byte[] ExportSeed() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>The 64-byte Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_key, message);

    /// <summary>Whether <paramref name="signature"/> is <paramref name="address"/>'s signature of <paramref name="message"/>.</summary>
    public static bool Verify(string address, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var publicKey = Ss58.TryDecode(address);
        if (publicKey is null || signature.Length != 64) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null) return false;
        return Ed25519.Verify(key, message, signature);
    }

    public void Dispose() => _key.Dispose();

    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
}
