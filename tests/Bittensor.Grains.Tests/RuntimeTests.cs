using Bittensor.Testing;

namespace Bittensor.Grains.Tests;

/// <summary>Every extrinsic is registered by its call name, once.</summary>
public sealed class ExtrinsicRegistryTests
{
    [Fact]
    public void EveryExtrinsic_IsRegisteredOnce_ByItsCallName()
    {
        Assert.Equal(
            ["add_stake", "add_stake_limit", "batch_reveal_weights", "burned_register", "claim_root", "commit_timelocked_weights", "commit_weights", "decrease_take", "faucet", "increase_take",
             "move_stake", "register_network", "remove_stake", "remove_stake_limit", "reveal_weights", "root_register", "serve_axon", "set_childkey_take", "set_children",
             "set_hyperparameter", "set_root_claim_type", "set_subnet_identity", "set_take", "set_weights", "start_call", "sudo_set_sn_owner_hotkey", "swap_stake", "swap_stake_limit", "transfer", "transfer_stake", "unstake_all", "unstake_all_alpha"],
            Calls.Names);
        Assert.All(Calls.All, e => Assert.Same(e, Calls.Named(e.Name)));
        Assert.Null(Calls.Named("sudo"));
    }
}

/// <summary>
/// The runtime is pure and the grains are only its shell: the same script, from genesis, gives the same network on plain
/// dictionaries (<see cref="InMemoryChain"/>) and on a real cluster — balances, stakes, economies and epoch outputs, to the rao.
/// </summary>
public sealed class RuntimeTwinTests : IAsyncLifetime
{
    private readonly ClusterFixture _fixture = ClusterFixture.With(new Dictionary<string, string?>());

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task TheSameScript_GivesTheSameNetwork_InMemoryAndOnGrains()
    {
        var net = new Network(_fixture, "twin");
        var memory = new InMemoryChain(TestChain.Rules, ClusterFixture.Genesis);
        string owner = net.Key("owner"), ownerHot = net.Key("owner-hot");
        const ushort netuid = 1;
        var validators = Enumerable.Range(0, 3).Select(i => (Cold: net.Key($"v{i}"), Hot: net.Key($"v{i}-hot"))).ToArray();
        var miners = Enumerable.Range(0, 5).Select(i => (Cold: net.Key($"m{i}"), Hot: net.Key($"m{i}-hot"))).ToArray();
        var all = validators.Concat(miners).ToArray();

        var twin = new TwinChains(net, memory);
        Task Both(Operation op) => twin.BothAsync(op);
        Task Blocks(int count) => twin.BlocksAsync(count, checkConservation: true);

        await Both(new Faucet { Signer = owner, Amount = 5_000 * Tao.Rao });
        await Blocks(1);
        await Both(new RegisterNetwork { Signer = owner, Hotkey = ownerHot });
        await Both(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "weights_rate_limit", Value = "0" });
        await Both(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "max_allowed_validators", Value = "3" });
        foreach (var (cold, hot) in all)
        {
            await Both(new Faucet { Signer = cold, Amount = 300 * Tao.Rao });
            await Both(new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot });
        }
        for (int i = 0; i < validators.Length; i++)
            await Both(new AddStake { Signer = validators[i].Cold, Hotkey = validators[i].Hot, Netuid = netuid, Amount = (ulong)(40 + 30 * i) * Tao.Rao });
        await Both(new Faucet { Signer = net.Key("nominator"), Amount = 50 * Tao.Rao });
        await Both(new AddStake { Signer = net.Key("nominator"), Hotkey = validators[1].Hot, Netuid = netuid, Amount = 25 * Tao.Rao });
        // Childkeys: validator 0 lends half its stake weight to validator 1, which keeps 5% of what that part earns.
        await Both(new SetChildren { Signer = validators[0].Cold, Hotkey = validators[0].Hot, Netuid = netuid, Children = [new ChildLink(ulong.MaxValue / 2, validators[1].Hot)] });
        await Both(new SetChildkeyTakeOperation { Signer = validators[1].Cold, Hotkey = validators[1].Hot, Netuid = netuid, Take = 3_277 });
        // Root: validator 0 stakes TAO on root (tao_weight·root enters its stake weight and, through its child, validator 1's),
        // validator 2 joins the root roster and the nominator stakes on it there.
        await Both(new AddStake { Signer = validators[0].Cold, Hotkey = validators[0].Hot, Netuid = RootNetwork.Netuid, Amount = 100 * Tao.Rao });
        await Both(new RootRegister { Signer = validators[2].Cold, Hotkey = validators[2].Hot });
        await Both(new AddStake { Signer = net.Key("nominator"), Hotkey = validators[2].Hot, Netuid = RootNetwork.Netuid, Amount = 10 * Tao.Rao });
        await Blocks(12); // an epoch hands out validator permits
        var uids = miners.Select(m => (ushort)memory.Subnet(netuid)!.UidOf(m.Hot)).ToArray();
        for (int v = 0; v < validators.Length; v++)
            await Both(new SetWeights { Signer = validators[v].Hot, Netuid = netuid, Uids = [.. uids], Weights = [.. uids.Select((_, k) => (ushort)(100 + 900 * ((k + v) % 5)))] });
        await Both(new RemoveStake { Signer = net.Key("nominator"), Hotkey = validators[1].Hot, Netuid = netuid, Amount = Tao.Rao });
        // Moving stake and the take, on both: the same amounts land on the same keys.
        await Both(new MoveStake { Signer = net.Key("nominator"), OriginHotkey = validators[1].Hot, DestinationHotkey = validators[2].Hot, OriginNetuid = netuid, DestinationNetuid = netuid, AlphaAmount = 3 * Tao.Rao });
        await Both(new TransferStake { Signer = net.Key("nominator"), DestinationColdkey = miners[0].Cold, Hotkey = validators[2].Hot, OriginNetuid = netuid, DestinationNetuid = netuid, AlphaAmount = Tao.Rao });
        await Both(new RemoveStakeLimit { Signer = validators[0].Cold, Hotkey = validators[0].Hot, Netuid = netuid, Amount = 20 * Tao.Rao, LimitPrice = 1, AllowPartial = true });
        await Both(new DecreaseTake { Signer = validators[2].Cold, Hotkey = validators[2].Hot, Take = 5_000 });
        await Both(new UnstakeAll { Signer = miners[0].Cold, Hotkey = validators[2].Hot });
        await Blocks(25);

        Assert.True(memory.State.EpochsRun >= 3, $"{memory.State.EpochsRun} epochs");
        var info = (await net.Chain.GetSubnetInfoAsync(netuid))!;
        Assert.Equal(ChainGrain.Info(memory.State.Subnets[netuid]), info);
        Assert.Equal(memory.State.TotalIssuance, (await net.Chain.GetInfoAsync()).TotalIssuance);
        var metagraph = (await net.Grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        var roster = memory.Subnet(netuid)!;
        Assert.Equal(roster.Neurons.Count, metagraph.Neurons.Length);
        for (int uid = 0; uid < roster.Neurons.Count; uid++)
        {
            var (m, g) = (roster.Neurons[uid], metagraph.Neurons[uid]);
            Assert.Equal((m.Hotkey, m.Stake, m.Incentive, m.Dividends, m.Emission, m.ValidatorPermit, m.Consensus), (g.Hotkey, g.Stake, g.Incentive, g.Dividends, g.Emission, g.ValidatorPermit, g.Consensus));
        }
        Assert.Contains(roster.Neurons, n => n.Incentive > 0);
        foreach (var address in memory.Accounts) Assert.Equal(memory.Account(address).Balance, await net.Balance(address));
        foreach (var address in memory.Hotkeys)
            Assert.Equal(KeyLedger.View(address, memory.Hotkey(address)).Stakes.ToArray(), (await net.Grains.GetGrain<IHotkeyGrain>(address).GetAsync()).Stakes.ToArray());
        await net.AssertAudit();
    }
}
