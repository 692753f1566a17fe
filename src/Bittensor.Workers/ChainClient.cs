using System.Text.Json.Nodes;
using Bittensor.Keys;

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

    /// <summary>Signs a challenge as its validator.</summary>
    public static Challenge Sign(Challenge challenge, KeyPair validator) =>
        challenge with { Signature = "0x" + Convert.ToHexString(validator.Sign(challenge.SigningBytes())).ToLowerInvariant() };

    /// <summary>Addresses <paramref name="challenge"/> to <paramref name="miner"/>, valid for <paramref name="ttl"/>, and signs it.</summary>
    public static Challenge Sign(Challenge challenge, KeyPair validator, string miner, TimeSpan ttl) =>
        Sign(challenge with { Miner = miner, ExpiresUnixMs = DateTimeOffset.UtcNow.Add(ttl).ToUnixTimeMilliseconds() }, validator);

    public static bool VerifySignature(Challenge challenge) =>
        Hashes.IsHex(challenge.Signature, 128) && challenge.Signature is { } s
        && KeyPair.Verify(challenge.Validator, challenge.SigningBytes(), Convert.FromHexString(s.AsSpan(2)));
}
