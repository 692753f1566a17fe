using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Bittensor.Keys;

/// <summary>
/// Encryption of a commit to a future round of the cluster's randomness beacon (commit-reveal v4 without drand). A round
/// <c>r</c> has a 32-byte secret <c>k_r</c> (published when the round is) and an X25519 key pair derived from it:
/// private key <c>SHA-256("bittensor-orleans/tlock/x25519" ‖ k_r)</c>, whose public key the beacon publishes in advance.
/// A commit is <c>version (1 byte, 1) ‖ round (u64 LE) ‖ ephemeral X25519 public key (32) ‖ nonce (12) ‖ AES-256-GCM
/// ciphertext ‖ tag (16)</c>; the AES key is HKDF-SHA256 of the X25519 shared secret with salt = the ephemeral public key
/// and info = <c>"bittensor-orleans/tlock/v1"</c> ‖ round (u64 LE), and the first 9 bytes are the associated data.
/// </summary>
public static class TimelockCipher
{
    public const byte Version = 1;
    public const int HeaderLength = 1 + 8 + 32 + 12, TagLength = 16, Overhead = HeaderLength + TagLength;

    /// <summary>The largest commit the chain accepts (subtensor's <c>MAX_CRV3_COMMIT_SIZE_BYTES</c>).</summary>
    public const int MaxCommitLength = 5000;

    private static readonly byte[] KeyLabel = "bittensor-orleans/tlock/x25519"u8.ToArray();
    private static readonly byte[] InfoLabel = "bittensor-orleans/tlock/v1"u8.ToArray();

    /// <summary>The round's X25519 private key bytes from its secret.</summary>
    public static byte[] PrivateKey(ReadOnlySpan<byte> roundSecret) => SHA256.HashData([.. KeyLabel, .. roundSecret]);

    /// <summary>The round's X25519 public key (32 bytes) from its secret.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> roundSecret)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, PrivateKey(roundSecret), KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> to <paramref name="round"/> whose public key is <paramref name="roundPublicKey"/>.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> roundPublicKey, ulong round, ReadOnlySpan<byte> plaintext)
    {
        using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        byte[] ephemeralPublic = ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var recipient = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, roundPublicKey, KeyBlobFormat.RawPublicKey);
        using var shared = KeyAgreementAlgorithm.X25519.Agree(ephemeral, recipient)
            ?? throw new ArgumentException("the round public key is not a usable X25519 key", nameof(roundPublicKey));
        byte[] aesKey = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, ephemeralPublic, Info(round), 32);
        var commit = new byte[Overhead + plaintext.Length];
        commit[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(commit.AsSpan(1, 8), round);
        ephemeralPublic.CopyTo(commit.AsSpan(9, 32));
        RandomNumberGenerator.Fill(commit.AsSpan(41, 12));
        using var aes = new AesGcm(aesKey, TagLength);
        aes.Encrypt(commit.AsSpan(41, 12), plaintext, commit.AsSpan(HeaderLength, plaintext.Length), commit.AsSpan(HeaderLength + plaintext.Length, TagLength), commit.AsSpan(0, 9));
        return commit;
    }

    /// <summary>Why <paramref name="commit"/> cannot be a commit to <paramref name="round"/> (its shape only), or null.</summary>
    public static string? ShapeError(ReadOnlySpan<byte> commit, ulong round)
    {
        if (commit.Length < Overhead) return $"a commit has at least {Overhead} bytes (header and tag); this one has {commit.Length}";
        if (commit.Length > MaxCommitLength) return $"a commit has at most {MaxCommitLength} bytes; this one has {commit.Length}";
        if (commit[0] != Version) return $"the commit's format byte is {commit[0]}; the chain reads format {Version}";
        ulong sealedTo = BinaryPrimitives.ReadUInt64LittleEndian(commit.Slice(1, 8));
        return sealedTo == round ? null : $"the commit is encrypted to round {sealedTo}, not to reveal_round {round}";
    }

    /// <summary>The plaintext, or null when <paramref name="commit"/> does not decrypt with the round's secret.</summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> roundSecret, ulong round, ReadOnlySpan<byte> commit)
    {
        if (ShapeError(commit, round) is not null) return null;
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, PrivateKey(roundSecret), KeyBlobFormat.RawPrivateKey);
        NSec.Cryptography.PublicKey ephemeral;
        try
        {
            ephemeral = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, commit.Slice(9, 32), KeyBlobFormat.RawPublicKey);
        }
        catch (FormatException)
        {
            return null;
        }
        using var shared = KeyAgreementAlgorithm.X25519.Agree(key, ephemeral);
        if (shared is null) return null;
        byte[] aesKey = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, commit.Slice(9, 32), Info(round), 32);
        var plaintext = new byte[commit.Length - Overhead];
        using var aes = new AesGcm(aesKey, TagLength);
        try
        {
            aes.Decrypt(commit.Slice(41, 12), commit.Slice(HeaderLength, plaintext.Length), commit.Slice(HeaderLength + plaintext.Length, TagLength), plaintext, commit[..9]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return plaintext;
    }

    private static byte[] Info(ulong round)
    {
        var info = new byte[InfoLabel.Length + 8];
        InfoLabel.CopyTo(info, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(InfoLabel.Length), round);
        return info;
    }
}

/// <summary>
/// The plaintext of a timelocked weight commit, subtensor's <c>WeightsTlockPayload</c> in SCALE: <c>hotkey: Vec&lt;u8&gt;</c>
/// (compact length 32, then the signer's 32-byte account id, see <see cref="WeightCommitHash.AccountId"/>),
/// <c>uids: Vec&lt;u16&gt;</c>, <c>values: Vec&lt;u16&gt;</c>, <c>version_key: u64</c>.
/// </summary>
public sealed record TimelockPayload(byte[] Hotkey, ushort[] Uids, ushort[] Values, ulong VersionKey)
{
    public static TimelockPayload For(string signer, ReadOnlySpan<ushort> uids, ReadOnlySpan<ushort> values, ulong versionKey) =>
        new(WeightCommitHash.AccountId(signer), uids.ToArray(), values.ToArray(), versionKey);

    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        buffer.Write(WeightCommitHash.CompactLength((uint)Hotkey.Length));
        buffer.Write(Hotkey);
        WeightCommitHash.WriteVec(buffer, Uids);
        WeightCommitHash.WriteVec(buffer, Values);
        Span<byte> u64 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(u64, VersionKey);
        buffer.Write(u64);
        return buffer.ToArray();
    }

    /// <summary>The payload, or null when <paramref name="bytes"/> is not exactly one SCALE-encoded payload.</summary>
    public static TimelockPayload? TryDecode(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        if (!TryCompact(bytes, ref at, out uint hotkeyLength) || hotkeyLength > bytes.Length - at) return null;
        byte[] hotkey = bytes.Slice(at, (int)hotkeyLength).ToArray();
        at += (int)hotkeyLength;
        if (!TryVec(bytes, ref at, out var uids) || !TryVec(bytes, ref at, out var values) || bytes.Length - at != 8) return null;
        return new(hotkey, uids, values, BinaryPrimitives.ReadUInt64LittleEndian(bytes[at..]));
    }

    private static bool TryVec(ReadOnlySpan<byte> bytes, ref int at, out ushort[] items)
    {
        items = [];
        if (!TryCompact(bytes, ref at, out uint n) || n > (bytes.Length - at) / 2) return false;
        items = new ushort[n];
        for (int i = 0; i < n; i++, at += 2) items[i] = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
        return true;
    }

    private static bool TryCompact(ReadOnlySpan<byte> bytes, ref int at, out uint n)
    {
        n = 0;
        if (at >= bytes.Length) return false;
        switch (bytes[at] & 0b11)
        {
            case 0: n = (uint)bytes[at] >> 2; at += 1; return true;
            case 1:
                if (bytes.Length - at < 2) return false;
                n = (uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) >> 2; at += 2; return true;
            case 2:
                if (bytes.Length - at < 4) return false;
                n = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]) >> 2; at += 4; return true;
            default: return false;
        }
    }
}
