using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bittensor.Keys;

/// <summary>
/// The body of <c>POST /api/transactions</c>: <c>{"signer", "payload", "signature"}</c> where <c>payload</c> is the exact
/// JSON text <c>{"chain", "nonce", "call", "args"}</c> and <c>signature</c> the Ed25519 signature of its UTF-8 bytes.
/// </summary>
public sealed record SignedTransaction(string Signer, string Payload, string Signature)
{
    /// <summary>Builds and signs a transaction for <paramref name="call"/> with <paramref name="args"/>.</summary>
    public static SignedTransaction Create(KeyPair key, string chain, ulong nonce, string call, JsonObject args)
    {
        var payload = new JsonObject { ["chain"] = chain, ["nonce"] = nonce, ["call"] = call, ["args"] = args }.ToJsonString();
        return new(key.Address, payload, "0x" + Convert.ToHexString(key.Sign(Encoding.UTF8.GetBytes(payload))).ToLowerInvariant());
    }

    /// <summary>The request body.</summary>
    public string ToJson() => new JsonObject { ["signer"] = Signer, ["payload"] = Payload, ["signature"] = Signature }.ToJsonString();
}
