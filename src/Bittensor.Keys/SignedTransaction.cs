using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bittensor.Keys;

/// <summary>
/// The body of <c>POST /api/transactions</c>: <c>{"signer", "payload", "signature"}</c> where <c>payload</c> is the exact
/// JSON text <c>{"chain", "genesis", "nonce", "valid_until", "call", "args"}</c> and <c>signature</c> the Ed25519
/// signature of its UTF-8 bytes.
/// </summary>
public sealed record SignedTransaction(string Signer, string Payload, string Signature)
{
    /// <summary>Builds and signs a transaction for <paramref name="call"/> with <paramref name="args"/> on <paramref name="target"/>.</summary>
    public static SignedTransaction Create(KeyPair key, ChainTarget target, ulong nonce, string call, JsonObject args)
    {
        var payload = new JsonObject
        {
            ["chain"] = target.ChainId, ["genesis"] = target.GenesisHash, ["nonce"] = nonce, ["valid_until"] = target.ValidUntil,
            ["call"] = call, ["args"] = args,
        }.ToJsonString();
        return new(key.Address, payload, "0x" + Convert.ToHexStringLower(key.Sign(Encoding.UTF8.GetBytes(payload))));
    }

    /// <summary>The request body.</summary>
    public string ToJson() => new JsonObject { ["signer"] = Signer, ["payload"] = Payload, ["signature"] = Signature }.ToJsonString();

    /// <summary>This transaction's hash: see <see cref="HashOf"/>.</summary>
    public string Hash => HashOf(Signer, Encoding.UTF8.GetBytes(Payload));

    /// <summary>
    /// A transaction's hash, as <c>GET /api/transactions/{hash}</c> takes it: <c>0x</c> + hex of BLAKE2b-256 over the
    /// signer's 32-byte public key followed by the payload's UTF-8 bytes (Ed25519 signatures are deterministic, so the
    /// signer and payload fix the transaction).
    /// </summary>
    public static string HashOf(string signer, ReadOnlySpan<byte> payload)
    {
        byte[] key = Ss58.TryDecode(signer) ?? throw new ArgumentException("the signer is not an SS58 address", nameof(signer));
        return Hashes.Blake2b256Hex([.. key, .. payload]);
    }
}

/// <summary>The chain's one hash function for identifiers: BLAKE2b-256, as Substrate hashes blocks and extrinsics.</summary>
public static class Hashes
{
    /// <summary><c>0x</c> + 64 lowercase hex digits of BLAKE2b-256 over <paramref name="bytes"/>.</summary>
    public static string Blake2b256Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash(bytes));

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="text"/> is <c>0x</c> followed by exactly <paramref name="digits"/> hex digits.</summary>
    public static bool IsHex([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text, int digits) =>
        text is not null && text.Length == digits + 2 && text.StartsWith("0x", StringComparison.Ordinal) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);
}
