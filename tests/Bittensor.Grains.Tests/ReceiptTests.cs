using Bittensor.Keys;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Signed transactions as on a real chain (issue 9): an exact resubmission is answered with its receipt and applied once;
/// a transaction past its <c>valid_until</c> never applies; the genesis hash tells deployments apart.
/// </summary>
public sealed class ReceiptTests
{
    private static readonly ChainRules Rules = new() { Id = "receipts", Faucet = true };

    private static InMemoryChain Chain() => new(Rules, 1_000_000 * Tao.Rao);

    private static Transfer Pay(string signer, ulong nonce, string hash, ulong? validUntil = null) =>
        new() { Signer = signer, Dest = "dest", Amount = Tao.Rao, Nonce = nonce, Hash = hash, ValidUntil = validUntil };

    [Fact]
    public async Task AnExactResubmission_IsAnsweredWithTheOriginalOutcome_AndAppliedOnce()
    {
        var chain = Chain();
        await chain.ExecuteAsync(new Faucet { Signer = "alice", Amount = 10 * Tao.Rao, Nonce = 0, Hash = "0xf" });
        var first = await chain.ExecuteAsync(Pay("alice", 1, "0xa"));
        Assert.True(first.Ok);
        await chain.ProduceBlockAsync();

        var again = await chain.ExecuteAsync(Pay("alice", 1, "0xa"));
        Assert.True(again is { Ok: true, Resubmitted: true });
        Assert.Equal(first.Block, again.Block);
        Assert.Equal(first.Amount, again.Amount);
        Assert.Equal(Tao.Rao, chain.Account("dest").Balance);
        Assert.Equal(2UL, chain.Account("alice").Nonce);

        // Another transaction with a used nonce (a different hash) is stale, as before.
        var other = await chain.ExecuteAsync(Pay("alice", 1, "0xb"));
        Assert.Equal(Codes.StaleNonce, other.Code);
        Assert.True(chain.Conserved());
    }

    [Fact]
    public async Task Receipts_AreBounded_AndAnOldResubmissionIsStale()
    {
        var chain = Chain();
        await chain.ExecuteAsync(new Faucet { Signer = "alice", Amount = 100 * Tao.Rao, Nonce = 0, Hash = "0x0" });
        for (ulong n = 1; n <= 40; n++) Assert.True((await chain.ExecuteAsync(Pay("alice", n, $"0x{n:x}"))).Ok);
        var account = chain.Account("alice");
        Assert.Equal(AccountState.MaxReceipts, account.Receipts.Count);
        Assert.Equal(40UL, account.Receipts[^1].Nonce);
        Assert.True((await chain.ExecuteAsync(Pay("alice", 40, "0x28"))).Resubmitted);
        Assert.Equal(Codes.StaleNonce, (await chain.ExecuteAsync(Pay("alice", 2, "0x2"))).Code);
        Assert.Equal(40 * Tao.Rao, chain.Account("dest").Balance);
    }

    [Fact]
    public async Task Mortality_ExpiredOrTooLong_IsRefused_AndTheLastValidBlockIsAccepted()
    {
        var chain = Chain();
        await chain.ExecuteAsync(new Faucet { Signer = "alice", Amount = 10 * Tao.Rao });
        for (int i = 0; i < 5; i++) await chain.ProduceBlockAsync();
        ulong block = chain.State.Block;

        var expired = await chain.ExecuteAsync(Pay("alice", 0, "0x1", validUntil: block - 1));
        Assert.Equal(Codes.TransactionExpired, expired.Code);
        var tooLong = await chain.ExecuteAsync(Pay("alice", 0, "0x1", validUntil: block + ChainTarget.MaxMortality + 1));
        Assert.Equal(Codes.MortalityTooLong, tooLong.Code);
        Assert.Equal(0UL, chain.Account("alice").Nonce);
        Assert.Equal(0UL, chain.Account("dest").Balance);

        Assert.True((await chain.ExecuteAsync(Pay("alice", 0, "0x1", validUntil: block))).Ok);
        Assert.True((await chain.ExecuteAsync(Pay("alice", 1, "0x2", validUntil: block + ChainTarget.MaxMortality))).Ok);
        // A rejected transaction cannot wait for its victim to be funded past its mortality.
        var late = Pay("alice", 2, "0x3", validUntil: block + 1) with { Amount = 100 * Tao.Rao };
        Assert.Equal(Codes.InsufficientBalance, (await chain.ExecuteAsync(late)).Code);
        await chain.ExecuteAsync(new Faucet { Signer = "alice", Amount = 1_000 * Tao.Rao });
        await chain.ProduceBlockAsync();
        await chain.ProduceBlockAsync();
        Assert.Equal(Codes.TransactionExpired, (await chain.ExecuteAsync(late)).Code);
    }

    [Fact]
    public void TheGenesisHash_DependsOnTheSalt_AndTheSettings()
    {
        var balances = new Dictionary<string, ulong> { ["alice"] = 5 };
        string a = ChainRuntime.GenesisHash("net", 100, balances, [1, 2, 3]);
        Assert.True(Hashes.IsHex(a, 64));
        Assert.Equal(a, ChainRuntime.GenesisHash("net", 100, balances, [1, 2, 3]));
        Assert.NotEqual(a, ChainRuntime.GenesisHash("net", 100, balances, [1, 2, 4]));
        Assert.NotEqual(a, ChainRuntime.GenesisHash("net", 101, balances, [1, 2, 3]));
        Assert.NotEqual(a, ChainRuntime.GenesisHash("other", 100, balances, [1, 2, 3]));
    }

    [Fact]
    public void TheTransactionHash_IsBlake2b256_OfThePublicKeyAndThePayload()
    {
        using var key = KeyPair.Generate();
        var tx = SignedTransaction.Create(key, new ChainTarget("net", "0x" + new string('1', 64), 99), 7, "faucet", new() { ["amount"] = 1 });
        byte[] bytes = [.. key.PublicKey, .. System.Text.Encoding.UTF8.GetBytes(tx.Payload)];
        Assert.Equal("0x" + Convert.ToHexStringLower(NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash(bytes)), tx.Hash);
        Assert.Contains("\"genesis\":\"0x1111", tx.Payload);
        Assert.Contains("\"valid_until\":99", tx.Payload);
    }
}
