namespace Bittensor.Grains.Tests;

/// <summary>
/// subtensor's rate limits on network creation (<c>NetworkRateLimit</c>) and serving (<c>ServingRateLimit</c>), with its
/// defaults and error names, each refusal naming the block from which the call passes and changing nothing; and
/// registrations, which subtensor no longer caps per block or interval on subnets (spec §1.4): the burn prices them.
/// </summary>
public sealed class SubtensorRateLimitTests
{
    private const string Owner = "owner", OwnerHot = "owner-hot", Sudo = "root";

    private static InMemoryChain Chain(ulong networkRateLimit = 7200) =>
        new(new ChainRules { Id = "limits", Faucet = true, MinLockCost = 100 * Tao.Rao, LockReductionInterval = 1, Sudo = Sudo, NetworkRateLimit = networkRateLimit }, 1_000_000 * Tao.Rao);

    private static async Task<OpResult> Ok(InMemoryChain chain, Operation op)
    {
        var r = await chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }

    private static async Task BlocksAsync(InMemoryChain chain, ulong count)
    {
        for (ulong i = 0; i < count; i++) await chain.ProduceBlockAsync();
    }

    /// <summary>Everything a refused call could have changed: the chain's own state, the signer's account, the subnets' rosters.</summary>
    private static string Snapshot(InMemoryChain chain, params string[] accounts)
    {
        var s = chain.State;
        var parts = new List<string> { $"{s.Block}|{s.TotalIssuance}|{s.FreeTotal}|{s.FeesBurned}|{s.LastLockCost}|{s.LastNetworkBlock}|{s.Subnets.Count}" };
        foreach (var a in accounts) parts.Add($"{a}:{chain.Account(a).Balance}:{chain.Account(a).Nonce}");
        foreach (var (netuid, e) in s.Subnets) parts.Add($"{netuid}:{e.PoolTao}:{e.Burn}:{e.N}");
        foreach (var h in chain.Hotkeys) parts.Add($"{h}:{string.Join(',', chain.Hotkey(h).Axons.Select(kv => $"{kv.Key}={kv.Value}"))}");
        return string.Join("\n", parts);
    }

    [Fact]
    public void Defaults_AreSubtensors()
    {
        Assert.Equal(7200UL, new ChainRules().NetworkRateLimit); // SubtensorInitialNetworkRateLimit
        Assert.Equal(50UL, new ChainRules().ServingRateLimit); // SubtensorInitialServingRateLimit
        Assert.Equal(50UL, new SubnetHyperparameters().ServingRateLimit);
        var options = new ChainOptions();
        Assert.Equal(7200UL, options.NetworkRateLimit);
        Assert.Equal(50UL, options.ServingRateLimit);
        Assert.Equal(Fees.SubtensorWeightFee, options.WeightFee);
        Assert.Equal(7200UL, options.ToRules().NetworkRateLimit);
    }

    [Fact]
    public async Task RegisterNetwork_WithinNetworkRateLimit_IsRefused_NamingTheBlockItPassesFrom_AndChangesNothing()
    {
        var chain = Chain(networkRateLimit: 100);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 10_000 * Tao.Rao });
        await BlocksAsync(chain, 3);
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        Assert.Equal(3UL, chain.State.LastNetworkBlock);

        // Anyone's creation counts: the limit is the network's, not the signer's.
        await Ok(chain, new Faucet { Signer = "other", Amount = 10_000 * Tao.Rao });
        foreach (var (signer, hot, wait) in new[] { (Owner, "owner-hot-2", 0UL), ("other", "other-hot", 99UL) })
        {
            await BlocksAsync(chain, wait);
            string before = Snapshot(chain, Owner, "other");
            var refused = await chain.ExecuteAsync(new RegisterNetwork { Signer = signer, Hotkey = hot });
            Assert.False(refused.Ok);
            Assert.Equal(Codes.NetworkTxRateLimitExceeded, refused.Code);
            Assert.Equal(103UL, refused.NextAllowedBlock);
            Assert.Equal(before, Snapshot(chain, Owner, "other"));
            Assert.Equal(400, Codes.HttpStatus(refused.Code!));
        }
        await BlocksAsync(chain, 1); // block 102 → 103, the first that passes
        Assert.Equal(103UL, chain.State.Block);
        await Ok(chain, new RegisterNetwork { Signer = "other", Hotkey = "other-hot" });
        Assert.True(chain.Conserved());
    }

    [Fact]
    public async Task RegisterNetwork_WithTheLimitOff_CreatesSubnetsBlockAfterBlock()
    {
        var chain = Chain(networkRateLimit: 0);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 10_000 * Tao.Rao });
        for (int i = 0; i < 3; i++) await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = $"{OwnerHot}-{i}" });
        Assert.Equal(3, chain.State.Subnets.Count);
    }

    [Fact]
    public async Task ServeAxon_WithinServingRateLimit_IsRefused_NamingTheBlockItPassesFrom_AndChangesNothing()
    {
        var chain = Chain();
        await Ok(chain, new Faucet { Signer = Owner, Amount = 10_000 * Tao.Rao });
        ushort netuid = (await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot })).Netuid!.Value;
        Assert.Equal(50UL, chain.State.Subnets[netuid].Hyper.ServingRateLimit); // new subnets take the chain's ServingRateLimit
        await Ok(chain, new Faucet { Signer = "miner", Amount = 100 * Tao.Rao });
        await Ok(chain, new BurnedRegister { Signer = "miner", Netuid = netuid, Hotkey = "miner-hot" });
        await BlocksAsync(chain, 5);
        ulong served = chain.State.Block;
        await Ok(chain, new ServeAxon { Signer = "miner-hot", Netuid = netuid, Ip = "10.0.0.1", Port = 8091 });

        foreach (ulong wait in new ulong[] { 0, 49 })
        {
            await BlocksAsync(chain, wait);
            string before = Snapshot(chain, "miner-hot");
            var refused = await chain.ExecuteAsync(new ServeAxon { Signer = "miner-hot", Netuid = netuid, Ip = "10.0.0.2", Port = 9000 });
            Assert.False(refused.Ok);
            Assert.Equal(Codes.ServingRateLimitExceeded, refused.Code);
            Assert.Equal(served + 50, refused.NextAllowedBlock);
            Assert.Equal(before, Snapshot(chain, "miner-hot"));
            Assert.Equal("10.0.0.1", chain.Subnet(netuid)!.Neurons[1].Axon!.Ip);
        }
        await BlocksAsync(chain, 1);
        await Ok(chain, new ServeAxon { Signer = "miner-hot", Netuid = netuid, Ip = "10.0.0.2", Port = 9000 });
        Assert.Equal("10.0.0.2", chain.Subnet(netuid)!.Neurons[1].Axon!.Ip);

        // serving_rate_limit is a subnet hyperparameter its owner may set (admin-utils' sudo_set_serving_rate_limit); 0 turns it off.
        await Ok(chain, new SetHyperparameter { Signer = Sudo, Netuid = netuid, Name = "serving_rate_limit", Value = "0" });
        await Ok(chain, new ServeAxon { Signer = "miner-hot", Netuid = netuid, Ip = "10.0.0.3", Port = 9001 });
        Assert.Contains("serving_rate_limit", SubnetHyperparameters.OwnerSettable);
        Assert.DoesNotContain("serving_rate_limit", Runtime.Extrinsics.SetHyperparameterCall.RootOnly);
    }

    /// <summary>
    /// At the pinned subtensor, <c>burned_register</c> checks neither <c>MaxRegistrationsPerBlock</c> nor
    /// <c>TargetRegistrationsPerInterval</c> (only <c>root_register</c> does, and this chain has no root network): spam is
    /// priced instead, the burn rising ×1.26 with every registration. A registration that cannot pay the risen burn is refused.
    /// </summary>
    [Fact]
    public async Task Registrations_AreNotCappedPerBlock_TheBurnRisesWithEach_AsOnSubtensor()
    {
        var chain = Chain();
        await Ok(chain, new Faucet { Signer = Owner, Amount = 10_000 * Tao.Rao });
        ushort netuid = (await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot })).Netuid!.Value;
        await Ok(chain, new Faucet { Signer = "bot", Amount = 5 * Tao.Rao });
        ulong block = chain.State.Block, burn = chain.State.Subnets[netuid].Burn;
        for (int i = 0; i < 3; i++)
        {
            var r = await Ok(chain, new BurnedRegister { Signer = "bot", Netuid = netuid, Hotkey = $"bot-hot-{i}" });
            Assert.Equal(burn, r.Amount);
            ulong next = chain.State.Subnets[netuid].Burn;
            Assert.Equal(BurnMath.AfterRegistration(burn, chain.State.Subnets[netuid].Hyper), next);
            Assert.True(next > burn);
            burn = next;
        }
        Assert.Equal(block, chain.State.Block); // all in one block
        string before = Snapshot(chain, "bot");
        var refused = await chain.ExecuteAsync(new BurnedRegister { Signer = "bot", Netuid = netuid, Hotkey = "bot-hot-3" });
        Assert.Equal(Codes.InsufficientBalance, refused.Code);
        Assert.Equal(before, Snapshot(chain, "bot"));
    }
}
