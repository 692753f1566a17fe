using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Runtime;

namespace Bittensor.Workers;

/// <summary>A transaction the network rejected: its code and sentence.</summary>
public sealed class TransactionRejectedException(TransactionOutcome outcome) : Exception($"{outcome.Code}: {outcome.Message}")
{
    public TransactionOutcome Outcome { get; } = outcome;
}

/// <summary>Signs and submits transactions through the transactions grain, with the signer's next nonce.</summary>
public sealed class ChainClient(IGrainFactory grains)
{
    public async Task<TransactionOutcome> SubmitAsync(KeyPair signer, string call, JsonObject args, bool throwOnReject = true)
    {
        var chain = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        var account = await grains.GetGrain<IAccountGrain>(signer.Address).GetAsync();
        var tx = SignedTransaction.Create(signer, ChainTarget.At(chain.ChainId, chain.GenesisHash, chain.Block, chain.BlockTime), account.NextNonce, call, args);
        var outcome = await grains.GetGrain<ITransactionsGrain>(0).SubmitAsync(tx.Signer, tx.Payload, tx.Signature);
        if (!outcome.Ok && throwOnReject) throw new TransactionRejectedException(outcome);
        return outcome;
    }

    /// <summary>
    /// Serves the hotkey's axon. A worker restarted within the subnet's <c>serving_rate_limit</c> finds its axon served
    /// already: that refusal (<c>ServingRateLimitExceeded</c>) is not an error; any other is thrown.
    /// </summary>
    public async Task ServeAxonAsync(KeyPair hotkey, JsonObject args)
    {
        var outcome = await SubmitAsync(hotkey, "serve_axon", args, throwOnReject: false);
        if (!outcome.Ok && outcome.Code != Codes.ServingRateLimitExceeded) throw new TransactionRejectedException(outcome);
    }

    /// <summary>Signs a challenge as its validator.</summary>
    public static Challenge Sign(Challenge challenge, KeyPair validator) =>
        challenge with { Signature = SignatureText(validator, challenge.SigningBytes()) };

    /// <summary>Addresses <paramref name="challenge"/> to <paramref name="miner"/>, valid for <paramref name="ttl"/>, and signs it.</summary>
    public static Challenge Sign(Challenge challenge, KeyPair validator, string miner, TimeSpan ttl) =>
        Sign(challenge with { Miner = miner, ExpiresUnixMs = DateTimeOffset.UtcNow.Add(ttl).ToUnixTimeMilliseconds() }, validator);

    public static bool VerifySignature(Challenge challenge) => Verify(challenge.Validator, challenge.SigningBytes(), challenge.Signature);

    /// <summary>An answer of <paramref name="values"/> to <paramref name="challenge"/>, signed by the miner's <paramref name="hotkey"/>.</summary>
    public static Answer SignAnswer(Challenge challenge, System.Collections.Immutable.ImmutableArray<float> values, KeyPair hotkey) =>
        new(values, hotkey.Address, SignatureText(hotkey, Answer.SigningBytes(challenge, values, hotkey.Address)));

    /// <summary>Whether <paramref name="answer"/> is signed by its miner's hotkey for <paramref name="challenge"/>.</summary>
    public static bool VerifyAnswer(Challenge challenge, Answer answer) =>
        Verify(answer.Miner, Answer.SigningBytes(challenge, answer.Values, answer.Miner), answer.Signature);

    /// <summary>
    /// Subscribes <paramref name="observer"/> (a reference from <c>CreateObjectReference</c>) as <paramref name="hotkey"/>'s
    /// miner: a fresh nonce from the miner grain, signed with this observer's id.
    /// </summary>
    public static async Task<bool> SubscribeAsync(IGrainFactory grains, KeyPair hotkey, IMinerObserver observer)
    {
        var grain = grains.GetGrain<IMinerGrain>(hotkey.Address);
        string nonce = await grain.GetSubscriptionNonceAsync();
        return await grain.SubscribeAsync(observer, nonce, SignatureText(hotkey, IMinerGrain.SubscriptionMessage(hotkey.Address, nonce, observer.GetGrainId())));
    }

    private static string SignatureText(KeyPair key, byte[] message) => "0x" + Convert.ToHexStringLower(key.Sign(message));

    private static bool Verify(string signer, byte[] message, string? signature) =>
        Hashes.IsHex(signature, 128) && KeyPair.Verify(signer, message, Convert.FromHexString(signature.AsSpan(2)));
}
