using System.Collections.Immutable;
using System.Text.Json;

namespace Bittensor.Grains.Tests;

/// <summary>Every rejected operation names its rule and changes nothing (balances, stakes, subnets, the audit).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RejectionTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly Network _net = new(fixture, "reject");
    private ushort _netuid;
    private string Owner => _net.Key("owner");
    private string OwnerHot => _net.Key("owner-hot");
    private string Validator => _net.Key("val-hot");
    private string ValidatorCold => _net.Key("val-cold");
    private string Miner => _net.Key("miner-hot");
    private string MinerCold => _net.Key("miner-cold");

    public async ValueTask InitializeAsync()
    {
        var owner = await _net.Grains.GetGrain<IAccountGrain>(Owner).GetAsync();
        if (owner.Hotkeys.Contains(OwnerHot))
        {
            _netuid = (await _net.Grains.GetGrain<IHotkeyGrain>(OwnerHot).GetAsync()).Registrations.Keys.Single();
            return;
        }
        _netuid = await fixture.CreateSubnetAsync(Owner, OwnerHot);
        await _net.Ok(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "weights_rate_limit", Value = "5" });
        await _net.Fund(ValidatorCold, 500);
        await _net.Ok(new BurnedRegister { Signer = ValidatorCold, Netuid = _netuid, Hotkey = Validator });
        await _net.Ok(new AddStake { Signer = ValidatorCold, Hotkey = Validator, Netuid = _netuid, Amount = 100 * Tao.Rao });
        await _net.Fund(MinerCold, 10);
        await _net.Ok(new BurnedRegister { Signer = MinerCold, Netuid = _netuid, Hotkey = Miner });
        await _net.Chain.ProduceBlocksAsync(12); // one epoch: the validator gets a permit
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Everything an operation could touch, as comparable JSON.</summary>
    private async Task<string> Snapshot()
    {
        var accounts = await Task.WhenAll(new[] { Owner, ValidatorCold, MinerCold }.Select(a => _net.Grains.GetGrain<IAccountGrain>(a).GetAsync()));
        var hotkeys = await Task.WhenAll(new[] { OwnerHot, Validator, Miner }.Select(h => _net.Grains.GetGrain<IHotkeyGrain>(h).GetAsync()));
        var subnet = await _net.Grains.GetGrain<ISubnetGrain>(_netuid).GetInfoAsync();
        var metagraph = await _net.Grains.GetGrain<ISubnetGrain>(_netuid).GetMetagraphAsync();
        var chain = await _net.Chain.GetInfoAsync();
        var audit = await _net.Chain.AuditAsync();
        Assert.True(audit.Ok);
        return JsonSerializer.Serialize(new object?[] { accounts, hotkeys, subnet, metagraph, chain, audit.Tao });
    }

    private async Task Rejected(Operation op, string code)
    {
        string before = await Snapshot();
        var r = await _net.Chain.ExecuteAsync(op);
        Assert.False(r.Ok, $"{op.GetType().Name} was accepted; expected {code}");
        Assert.Equal(code, r.Code);
        Assert.False(string.IsNullOrWhiteSpace(r.Message));
        Assert.Equal(before, await Snapshot());
    }

    private SetWeights Weights(params ushort[] uids) => new()
    {
        Signer = Validator, Netuid = _netuid, Uids = [.. uids], Weights = [.. uids.Select(_ => (ushort)100)],
    };

    [Fact]
    public async Task Transfer_Rejections() 
    {
        await Rejected(new Transfer { Signer = MinerCold, Dest = Owner, Amount = 1_000_000 * Tao.Rao }, "InsufficientBalance");
        await Rejected(new Transfer { Signer = MinerCold, Dest = Owner, Amount = 0 }, "InvalidAmount");
        await Rejected(new Transfer { Signer = MinerCold, Dest = "not an address!", Amount = 1 }, "InvalidAddress");
        await Rejected(new Faucet { Signer = MinerCold, Amount = 1_000_000 * Tao.Rao }, "InvalidAmount");
    }

    [Fact]
    public async Task RegisterNetwork_Rejections()
    {
        await Rejected(new RegisterNetwork { Signer = MinerCold, Hotkey = _net.Key("new-hot") }, "InsufficientBalance"); // MinerCold holds 10 TAO
        await Rejected(new RegisterNetwork { Signer = MinerCold, Hotkey = Validator }, "HotkeyOwnedByAnother");
    }

    [Fact]
    public async Task Registration_Rejections()
    {
        await Rejected(new BurnedRegister { Signer = MinerCold, Netuid = 999, Hotkey = _net.Key("x") }, "SubnetNotFound");
        await Rejected(new BurnedRegister { Signer = MinerCold, Netuid = _netuid, Hotkey = Miner }, "AlreadyRegistered");
        await Rejected(new BurnedRegister { Signer = MinerCold, Netuid = _netuid, Hotkey = Validator }, "HotkeyOwnedByAnother");
        await Rejected(new BurnedRegister { Signer = _net.Key("pauper"), Netuid = _netuid, Hotkey = _net.Key("pauper-hot") }, "InsufficientBalance");
    }

    [Fact]
    public async Task Stake_Rejections()
    {
        await Rejected(new AddStake { Signer = MinerCold, Hotkey = Validator, Netuid = _netuid, Amount = Tao.MinStake - 1 }, "AmountTooLow");
        await Rejected(new AddStake { Signer = MinerCold, Hotkey = Validator, Netuid = _netuid, Amount = 1_000 * Tao.Rao }, "InsufficientBalance");
        await Rejected(new AddStake { Signer = MinerCold, Hotkey = _net.Key("nobody"), Netuid = _netuid, Amount = Tao.Rao }, "HotkeyNotFound");
        await Rejected(new AddStake { Signer = MinerCold, Hotkey = Validator, Netuid = 999, Amount = Tao.Rao }, "SubnetNotFound");
        await Rejected(new AddStake { Signer = MinerCold, Hotkey = Validator, Netuid = _netuid, Amount = Tao.Rao, LimitPrice = 1 }, "SlippageTooHigh");
        await Rejected(new RemoveStake { Signer = MinerCold, Hotkey = Validator, Netuid = _netuid, Amount = 1 }, "NotEnoughStake");
        await Rejected(new RemoveStake { Signer = ValidatorCold, Hotkey = Validator, Netuid = _netuid, Amount = 0 }, "InvalidAmount");
    }

    [Fact]
    public async Task SetWeights_RejectsEveryRuleOfTheSpec()
    {
        var metagraph = (await _net.Grains.GetGrain<ISubnetGrain>(_netuid).GetMetagraphAsync())!;
        ushort minerUid = metagraph.Neurons.Single(n => n.Hotkey == Miner).Uid;
        Assert.True(metagraph.Neurons.Single(n => n.Hotkey == Validator).ValidatorPermit);

        await Rejected(Weights(minerUid) with { Weights = [1, 2] }, "WeightVecLengthMismatch");
        await Rejected(Weights(0, 1, 2, minerUid, 0), "TooManyUids");
        await Rejected(Weights(minerUid) with { Signer = _net.Key("stranger") }, "HotkeyNotRegistered");
        await Rejected(Weights(minerUid) with { Signer = Miner, Uids = [0], Weights = [1] }, "NoValidatorPermit");
        await Rejected(Weights(minerUid, minerUid), "DuplicateUids");
        await Rejected(Weights(minerUid, 77), "UidNotFound");

        await _net.Ok(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "min_allowed_weights", Value = "2" });
        await Rejected(Weights(minerUid), "WeightVecLengthIsLow");
        await _net.Ok(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "min_allowed_weights", Value = "1" });

        await _net.Ok(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "weights_version_key", Value = "7" });
        await Rejected(Weights(minerUid) with { VersionKey = 6 }, "IncorrectWeightVersionKey");
        await _net.Ok(Weights(minerUid) with { VersionKey = 7 });
        await _net.Ok(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "weights_version_key", Value = "0" });

        // Just set: rate limited, and the error names the next allowed block.
        var chain = await _net.Chain.GetInfoAsync();
        string before = await Snapshot();
        var limited = await _net.Chain.ExecuteAsync(Weights(minerUid));
        Assert.Equal("WeightsRateLimited", limited.Code);
        Assert.Equal(chain.Block + 5, limited.NextAllowedBlock);
        Assert.Equal(before, await Snapshot());
        await _net.Chain.ProduceBlocksAsync(5);
        await _net.Ok(Weights(minerUid));
    }

    [Fact]
    public async Task Axon_Hyperparameter_And_Take_Rejections()
    {
        await Rejected(new ServeAxon { Signer = Miner, Netuid = _netuid, Ip = "not-an-ip", Port = 8091 }, "InvalidIpAddress");
        await Rejected(new ServeAxon { Signer = Miner, Netuid = _netuid, Ip = "10.0.0.1", Port = 0 }, "InvalidPort");
        await Rejected(new ServeAxon { Signer = _net.Key("stranger"), Netuid = _netuid, Ip = "10.0.0.1", Port = 1 }, "HotkeyNotRegistered");
        await Rejected(new SetHyperparameter { Signer = MinerCold, Netuid = _netuid, Name = "kappa", Value = "1" }, "NotOwner");
        await Rejected(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "tempo", Value = "5" }, "InvalidHyperparameter");
        await Rejected(new SetHyperparameter { Signer = Owner, Netuid = _netuid, Name = "warp_speed", Value = "9" }, "InvalidHyperparameter");
        await Rejected(new SetTake { Signer = MinerCold, Hotkey = Validator, Take = 100 }, "NotOwner");
        await Rejected(new SetTake { Signer = ValidatorCold, Hotkey = Validator, Take = 20_000 }, "TakeTooHigh");
    }

    [Fact]
    public async Task StakeMovesAndTakes_RejectWithTheirCodes_OnTheGrains()
    {
        await Rejected(new MoveStake { Signer = ValidatorCold, OriginHotkey = Validator, DestinationHotkey = Validator, OriginNetuid = _netuid, DestinationNetuid = _netuid, AlphaAmount = Tao.Rao }, "SameNetuid");
        await Rejected(new MoveStake { Signer = ValidatorCold, OriginHotkey = Validator, DestinationHotkey = _net.Key("stranger"), OriginNetuid = _netuid, DestinationNetuid = _netuid, AlphaAmount = Tao.Rao }, "HotkeyNotFound");
        await Rejected(new SwapStake { Signer = ValidatorCold, Hotkey = Validator, OriginNetuid = _netuid, DestinationNetuid = 999, AlphaAmount = Tao.Rao }, "SubnetNotFound");
        await Rejected(new TransferStake { Signer = MinerCold, DestinationColdkey = Owner, Hotkey = Validator, OriginNetuid = _netuid, DestinationNetuid = _netuid, AlphaAmount = Tao.Rao }, "AmountTooLow");
        await Rejected(new AddStakeLimit { Signer = ValidatorCold, Hotkey = Validator, Netuid = _netuid, Amount = 10 * Tao.Rao, LimitPrice = 1 }, "SlippageTooHigh");
        await Rejected(new RemoveStakeLimit { Signer = ValidatorCold, Hotkey = Validator, Netuid = _netuid, Amount = Tao.Rao, LimitPrice = ulong.MaxValue, AllowPartial = true }, "SlippageTooHigh");
        await Rejected(new UnstakeAll { Signer = Owner, Hotkey = Miner }, "AmountTooLow");
        await Rejected(new IncreaseTake { Signer = ValidatorCold, Hotkey = Validator, Take = 100 }, "DelegateTakeTooLow");
        await Rejected(new DecreaseTake { Signer = MinerCold, Hotkey = Validator, Take = 100 }, "NotOwner");
    }

    [Fact]
    public async Task FullSubnetOfOwnerUids_RejectsRegistration()
    {
        string owner = _net.Key("full-owner");
        ushort netuid = await fixture.CreateSubnetAsync(owner, _net.Key("full-owner-hot"));
        await _net.Ok(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "max_allowed_validators", Value = "1" });
        await _net.Ok(new SetHyperparameter { Signer = owner, Netuid = netuid, Name = "max_allowed_uids", Value = "1" });
        await Rejected(new BurnedRegister { Signer = ValidatorCold, Netuid = netuid, Hotkey = _net.Key("late-hot") }, "NoNeuronToPrune");
    }

    [Fact]
    public async Task Successful_StakeRoundTrip_ConservesEverything()
    {
        ulong before = await _net.Balance(MinerCold);
        var added = await _net.Ok(new AddStake { Signer = MinerCold, Hotkey = Miner, Netuid = _netuid, Amount = Tao.Rao });
        var removed = await _net.Ok(new RemoveStake { Signer = MinerCold, Hotkey = Miner, Netuid = _netuid, Amount = added.Amount!.Value });
        ulong after = await _net.Balance(MinerCold);
        Assert.True(after < before, "a round trip through the pool pays the fee");
        Assert.Equal(before - Tao.Rao + removed.Amount!.Value, after);
        await _net.AssertAudit();
    }
}
