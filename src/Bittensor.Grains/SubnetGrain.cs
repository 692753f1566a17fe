using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>A subnet: hyperparameters, neuron table, weights and bonds, pool, pending emission, epoch history.</summary>
public sealed class SubnetGrain([PersistentState("subnet", StorageNames.Chain)] IPersistentState<SubnetState> state)
    : Grain, ISubnetGrain, ISubnetLedger
{
    private SubnetState S => state.State;

    public Task<SubnetState> GetStateAsync() => Task.FromResult(S);

    public async Task ApplyAsync(long seq, ImmutableArray<SubnetCommand> commands)
    {
        if (seq <= S.LastSeq) return;
        foreach (var c in commands) SubnetLedger.Apply(S, c);
        S.LastSeq = seq;
        await GrainWrites.WriteOrReloadAsync(state);
    }

    public Task<SubnetInfo?> GetInfoAsync() => Task.FromResult(S.Exists ? Info(S) : null);

    public async Task<MetagraphView?> GetMetagraphAsync()
    {
        if (!S.Exists) return null;
        var hotkeys = await Task.WhenAll(S.Neurons.Select(n => GrainFactory.GetGrain<IHotkeyGrain>(n.Hotkey).GetAsync()));
        var neurons = S.Neurons.Select((n, uid) => new NeuronView
        {
            Uid = (ushort)uid,
            Hotkey = n.Hotkey,
            Coldkey = n.Coldkey,
            Stake = S.HotkeyStake.GetValueOrDefault(n.Hotkey),
            StakeWeight = n.StakeWeight,
            Consensus = n.Consensus,
            Incentive = n.Incentive,
            Dividends = n.Dividends,
            Emission = n.Emission,
            ValidatorTrust = n.ValidatorTrust,
            ValidatorPermit = n.ValidatorPermit,
            Active = n.Active,
            LastUpdate = n.LastUpdate,
            BlockAtRegistration = n.BlockAtRegistration,
            Axon = hotkeys[uid].Axons.GetValueOrDefault(S.Netuid),
        }).ToImmutableArray();
        return new MetagraphView(S.Netuid, S.CurrentBlock, neurons);
    }

    public Task<ImmutableArray<WeightRow>> GetWeightsAsync() => Task.FromResult(S.Neurons
        .Select((n, uid) => new WeightRow((ushort)uid, n.Hotkey, [.. n.WeightColumns], [.. n.WeightValues]))
        .Where(r => r.Uids.Length > 0).ToImmutableArray());

    public Task<ImmutableArray<EpochSummary>> GetEpochsAsync(int limit) =>
        Task.FromResult(S.Epochs.AsEnumerable().Reverse().Take(Math.Max(0, limit)).ToImmutableArray());

    internal static SubnetInfo Info(SubnetState s) => new()
    {
        Netuid = s.Netuid,
        OwnerColdkey = s.OwnerColdkey,
        OwnerHotkey = s.OwnerHotkey,
        RegisteredAt = s.RegisteredAt,
        N = s.Neurons.Count,
        Hyperparameters = s.Hyper,
        PoolTao = s.PoolTao,
        PoolAlpha = s.PoolAlpha,
        Price = PoolMath.Price(s.PoolTao, s.PoolAlpha),
        MovingPrice = s.MovingPrice,
        PendingServer = s.PendingServer,
        PendingValidator = s.PendingValidator,
        PendingOwnerCut = s.PendingOwnerCut,
        AlphaIssued = s.AlphaIssued,
        AlphaStaked = s.AlphaStaked,
        ProtocolAlpha = s.ProtocolAlpha,
        AlphaBurned = s.AlphaBurned,
        Burn = s.Burn,
        LastEpochBlock = s.LastEpochBlock,
        EpochIndex = s.EpochIndex,
        NextEpochBlock = Bittensor.Consensus.EpochSchedule.NextEpochStartBlock(s.Hyper.Tempo, s.LastEpochBlock, s.PendingEpochAt),
        Lock = s.Lock,
    };
}
