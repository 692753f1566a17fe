using NSec.Cryptography;

namespace Bittensor.Keys;

/// <summary>
/// SS58 addresses with network prefix 42: <c>base58(0x2A ‖ pubkey32 ‖ checksum2)</c>, checksum = the first two bytes
/// of <c>blake2b-512("SS58PRE" ‖ 0x2A ‖ pubkey32)</c>.
/// </summary>
public static class Ss58
{
    /// <summary>The generic Substrate prefix Bittensor uses.</summary>
    public const byte Prefix = 42;

    private static readonly byte[] Context = "SS58PRE"u8.ToArray();

    private static readonly System.Buffers.SearchValues<char> Base58Alphabet =
        System.Buffers.SearchValues.Create("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");

    public static string Encode(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) throw new ArgumentException("a public key has 32 bytes", nameof(publicKey));
        var data = new byte[35];
        data[0] = Prefix;
        publicKey.CopyTo(data.AsSpan(1));
        Checksum(data.AsSpan(0, 33)).CopyTo(data.AsSpan(33));
        return SimpleBase.Base58.Bitcoin.Encode(data);
    }

    /// <summary>The 32-byte public key of <paramref name="address"/>, or null when it is not a prefix-42 SS58 address with a valid checksum.</summary>
    public static byte[]? TryDecode(string? address)
    {
        // Only the base58 alphabet reaches the decoder (its table has 128 entries; other text is simply not an address).
        if (string.IsNullOrEmpty(address) || address.Length is < 40 or > 60 || address.AsSpan().ContainsAnyExcept(Base58Alphabet)) return null;
        byte[] data;
        try
        {
            data = SimpleBase.Base58.Bitcoin.Decode(address).ToArray();
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (data.Length != 35 || data[0] != Prefix) return null;
        if (!Checksum(data.AsSpan(0, 33)).SequenceEqual(data.AsSpan(33, 2))) return null;
        return data[1..33];
    }

    public static bool IsValid(string? address) => TryDecode(address) is not null;

    private static byte[] Checksum(ReadOnlySpan<byte> prefixAndKey)
    {
        var input = new byte[Context.Length + prefixAndKey.Length];
        Context.CopyTo(input, 0);
        prefixAndKey.CopyTo(input.AsSpan(Context.Length));
        return HashAlgorithm.Blake2b_512.Hash(input)[..2];
    }
}
