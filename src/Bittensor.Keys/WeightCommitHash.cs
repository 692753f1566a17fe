using System.Buffers.Binary;
using NSec.Cryptography;

namespace Bittensor.Keys;

/// <summary>
/// The commit hash of commit-reveal weights, exactly subtensor's <c>get_commit_hash</c> (and the SDK's
/// <c>generate_weight_hash</c>): <c>"0x" + hex(BLAKE2b-256(SCALE(account_id, netuid, uids, values, salt, version_key)))</c>,
/// where <c>account_id</c> is the signer's 32-byte public key (no length prefix), <c>netuid</c> a u16, <c>uids</c>,
/// <c>values</c> and <c>salt</c> are <c>Vec&lt;u16&gt;</c> (a SCALE compact length, then each item as 2 bytes
/// little-endian) and <c>version_key</c> a u64 (8 bytes little-endian).
/// </summary>
public static class WeightCommitHash
{
    /// <summary>Salt length the clients of this repository generate (as the SDK: 8 random u16).</summary>
    public const int SaltLength = 8;

    /// <summary>The commit hash, lower-case <c>0x</c> hex of 32 bytes.</summary>
    public static string Compute(ReadOnlySpan<byte> accountId, ushort netuid, ReadOnlySpan<ushort> uids, ReadOnlySpan<ushort> values,
        ReadOnlySpan<ushort> salt, ulong versionKey) =>
        "0x" + Convert.ToHexString(HashAlgorithm.Blake2b_256.Hash(Encode(accountId, netuid, uids, values, salt, versionKey))).ToLowerInvariant();

    /// <summary>The commit hash for the signer <paramref name="address"/> (see <see cref="AccountId"/>).</summary>
    public static string Compute(string address, ushort netuid, ReadOnlySpan<ushort> uids, ReadOnlySpan<ushort> values,
        ReadOnlySpan<ushort> salt, ulong versionKey) => Compute(AccountId(address), netuid, uids, values, salt, versionKey);

    /// <summary>
    /// The 32 bytes that stand for the signer in the hash: the public key of an SS58 address. A development key name that
    /// is not SS58 (test and simulation keys such as <c>"alice-hot"</c>) stands for BLAKE2b-256 of its UTF-8 text.
    /// </summary>
    public static byte[] AccountId(string address) =>
        Ss58.TryDecode(address) ?? HashAlgorithm.Blake2b_256.Hash(System.Text.Encoding.UTF8.GetBytes(address));

    /// <summary>The SCALE encoding of the tuple that is hashed.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> accountId, ushort netuid, ReadOnlySpan<ushort> uids, ReadOnlySpan<ushort> values,
        ReadOnlySpan<ushort> salt, ulong versionKey)
    {
        if (accountId.Length != 32) throw new ArgumentException("an account id has 32 bytes", nameof(accountId));
        using var buffer = new MemoryStream(32 + 2 + 3 * 5 + 2 * (uids.Length + values.Length + salt.Length) + 8);
        buffer.Write(accountId);
        WriteU16(buffer, netuid);
        WriteVec(buffer, uids);
        WriteVec(buffer, values);
        WriteVec(buffer, salt);
        Span<byte> u64 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(u64, versionKey);
        buffer.Write(u64);
        return buffer.ToArray();
    }

    /// <summary>SCALE compact encoding of a length: 1, 2 or 4 bytes for values below 2^6, 2^14 and 2^30.</summary>
    public static byte[] CompactLength(uint n)
    {
        if (n < 1u << 6) return [(byte)(n << 2)];
        if (n < 1u << 14)
        {
            var two = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)((n << 2) | 0b01));
            return two;
        }
        if (n < 1u << 30)
        {
            var four = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(four, (n << 2) | 0b10);
            return four;
        }
        var big = new byte[5]; // big-integer mode: (bytes − 4) << 2 | 0b11, then 4 bytes
        big[0] = 0b11;
        BinaryPrimitives.WriteUInt32LittleEndian(big.AsSpan(1), n);
        return big;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a commit hash (<c>0x</c> and 64 hex digits, any case); <paramref name="normalized"/>
    /// is its lower-case form.
    /// </summary>
    public static bool TryParse(string? text, out string normalized)
    {
        normalized = "";
        if (text is not { Length: 66 } || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !IsHex(text.AsSpan(2))) return false;
        normalized = "0x" + text[2..].ToLowerInvariant();
        return true;
    }

    /// <summary><see cref="SaltLength"/> random u16 values.</summary>
    public static ushort[] NewSalt()
    {
        var salt = new ushort[SaltLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(salt.AsSpan()));
        return salt;
    }

    private static bool IsHex(ReadOnlySpan<char> s) => !s.ContainsAnyExcept("0123456789abcdefABCDEF");

    private static void WriteU16(Stream s, ushort v)
    {
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(two, v);
        s.Write(two);
    }

    /// <summary>A SCALE <c>Vec&lt;u16&gt;</c>: the compact length, then each item as 2 bytes little-endian.</summary>
    internal static void WriteVec(Stream s, ReadOnlySpan<ushort> items)
    {
        s.Write(CompactLength((uint)items.Length));
        foreach (ushort item in items) WriteU16(s, item);
    }
}
