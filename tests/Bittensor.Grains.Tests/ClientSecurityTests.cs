using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Bittensor.Grains.Tests;

/// <summary>External clients change the network only by signed transactions, and only a hotkey can take its own miner work.</summary>
public sealed class ClientSecurityTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?> { ["Chain:TrustClients"] = "false" });

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task UnsignedWrites_AreRefusedToClients_SignedTransactionsWork()
    {
        using var alice = KeyPair.Generate();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Chain.ExecuteAsync(new Faucet { Signer = alice.Address, Amount = 1 }));
        Assert.Contains("signed transaction", refused.Message);
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Chain.ProduceBlocksAsync(1));
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Grains.GetGrain<IAccountLedger>(alice.Address).ApplyAsync(long.MaxValue, 1, [new AccountChange(1_000)]));
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Grains.GetGrain<IAddressIndex>(IAddressIndex.KeyOf(AddressKind.Account, 0)).ApplyAsync(long.MaxValue, ["forged"]));
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Grains.GetGrain<ISubnetLedger>(1).ApplyAsync(long.MaxValue, 1, []));
        Assert.Equal(0UL, (await _fixture.Grains.GetGrain<IAccountGrain>(alice.Address).GetAsync()).Balance);

        var outcome = await new ChainClient(_fixture.Grains).SubmitAsync(alice, "faucet", new JsonObject { ["amount"] = 5 * Tao.Rao });
        Assert.True(outcome.Ok);
        var account = await _fixture.Grains.GetGrain<IAccountGrain>(alice.Address).GetAsync();
        Assert.Equal(5 * Tao.Rao, account.Balance);
        Assert.Equal(1UL, account.NextNonce);
        Assert.True((await _fixture.Chain.GetInfoAsync()).Block >= outcome.Block); // reads stay open
        await Assert.ThrowsAnyAsync<Exception>(() => _fixture.Chain.AuditAsync()); // a full audit is the silo's (and GET /api/audit's) to run
        var silo = _fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        Assert.True((await silo.GetGrain<IChainGrain>(IChainGrain.Key).AuditAsync()).Ok);
    }

    [Fact]
    public async Task MinerSubscriptions_NeedTheHotkeysSignature_OverAFreshNonce_ForThatObserver()
    {
        using var miner = KeyPair.Generate();
        using var thief = KeyPair.Generate();
        var grain = _fixture.Grains.GetGrain<IMinerGrain>(miner.Address);
        var observer = _fixture.Grains.CreateObjectReference<IMinerObserver>(new NullObserver());
        var other = _fixture.Grains.CreateObjectReference<IMinerObserver>(new NullObserver());
        string Sign(KeyPair k, string nonce, IMinerObserver o) => "0x" + Convert.ToHexStringLower(k.Sign(IMinerGrain.SubscriptionMessage(miner.Address, nonce, o.GetGrainId())));

        string nonce = await grain.GetSubscriptionNonceAsync();
        Assert.False(await grain.SubscribeAsync(observer, nonce, Sign(thief, nonce, observer)));
        Assert.False(await grain.SubscribeAsync(observer, nonce, Sign(miner, nonce, observer))); // the failed attempt spent the nonce
        nonce = await grain.GetSubscriptionNonceAsync();
        Assert.False(await grain.SubscribeAsync(other, nonce, Sign(miner, nonce, observer))); // a proof for another observer
        Assert.False(await grain.SubscribeAsync(observer, "0x" + new string('0', 32), Sign(miner, "0x" + new string('0', 32), observer))); // a nonce never issued
        nonce = await grain.GetSubscriptionNonceAsync();
        Assert.False(await grain.SubscribeAsync(observer, nonce, "0x00"));
        nonce = await grain.GetSubscriptionNonceAsync();
        string proof = Sign(miner, nonce, observer);
        Assert.True(await grain.SubscribeAsync(observer, nonce, proof));
        Assert.False(await grain.SubscribeAsync(observer, nonce, proof)); // replayed
        Assert.True(await ChainClient.SubscribeAsync(_fixture.Grains, miner, observer));
    }

    private sealed class NullObserver : IMinerObserver
    {
        public Task<Answer?> SolveAsync(Challenge challenge) => Task.FromResult<Answer?>(null);
    }
}
