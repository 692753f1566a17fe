using Bittensor.Consensus;

namespace Bittensor.Runtime;

/// <summary>
/// Epochs computed ahead, on the thread pool, while the chain steps the blocks before them (<see cref="InMemoryChain.ComputeEpochsAhead"/>).
/// A subnet's next epoch takes its inputs from the roster as the block that starts it finds it; when nothing changes
/// the roster in between (a long simulation's validators set weights right after their subnet's epoch), those are the
/// inputs it has some blocks earlier, and the epoch's start (its block, index, hyperparameters, emission) follows
/// from the subnet's economy. So the inputs are taken early, the epoch computed on another core, and when the block
/// comes its real inputs are taken as always and compared with the early ones, entry by entry: only when every one is
/// equal is the early result used (the epoch is a pure function of its inputs), otherwise the epoch is computed then.
/// No result depends on whether a guess was right; only the time does.
/// </summary>
public sealed partial class InMemoryChain
{
    /// <summary>How many blocks before its start an epoch is computed at most.</summary>
    private const ulong AheadBlocks = 48;

    private readonly Dictionary<ushort, (EpochRequest Request, Task<EpochResult> Result)> _ahead = [];

    /// <summary>
    /// Whether epochs are computed ahead on the thread pool (see the remarks of this file's part); off by default: it
    /// pays when rosters change only right after their own epochs, as in <see cref="Simulation.HalvingSimulation"/>.
    /// </summary>
    public bool ComputeEpochsAhead { get; init; }

    /// <summary>Epochs whose result was computed ahead and used, and those computed ahead for nothing (their inputs changed).</summary>
    public (long Used, long Discarded) EpochsAhead => (_aheadUsed, _aheadDiscarded);

    private long _aheadUsed, _aheadDiscarded;

    /// <summary>Before a block: starts the epochs due within <see cref="AheadBlocks"/> blocks that are not computing yet.</summary>
    private void StartEpochsAhead()
    {
        ulong next = State.Block + 1;
        foreach (var (netuid, e) in State.Subnets)
        {
            if (e.InFlight is not null || !e.Timelocked.IsEmpty || e.Hyper.CommitRevealWeightsEnabled || e.Hyper.Tempo == 0) continue;
            ulong due = EpochSchedule.NextEpochStartBlock(e.Hyper.Tempo, e.LastEpochBlock, e.PendingEpochAt);
            if (due <= next || due - next > AheadBlocks) continue;
            if (_ahead.TryGetValue(netuid, out var running) && running.Request.Start.Block == due && running.Request.Start.Index == e.EpochIndex) continue;
            if (_subnets.GetValueOrDefault(netuid) is not { Exists: true } roster || roster.Neurons.Count == 0) continue;
            var start = new EpochStart { Netuid = netuid, Index = e.EpochIndex, Block = due, Hyper = e.Hyper, RaoEmission = PendingAt(e, due) };
            // The root stakes the block step will attach (RootNetwork.AttachAsync): the same map unless root stake moves meanwhile.
            if (Rules.TaoWeight > 0 && State.RootStake > 0 && Subnet(RootNetwork.Netuid) is { StakedHotkeys.IsEmpty: false } root)
                start = start with { RootStakes = root.StakedHotkeys, TaoWeight = Rules.TaoWeight };
            var request = EpochRequest.From(roster, start);
            if (!request.Childkeys.IsDefaultOrEmpty) continue;
            _ahead[netuid] = (request, Task.Run(() => Run(request)));
        }
    }

    /// <summary>
    /// The alpha a subnet's epoch at block <paramref name="due"/> will distribute if nothing but block steps change its
    /// economy meanwhile: the pending server and validator emission plus each block's alpha emission less the owner's
    /// cut (the block step's arithmetic; a wrong guess only costs the early epoch).
    /// </summary>
    private ulong PendingAt(SubnetEconomy e, ulong due)
    {
        ulong pending = e.PendingServer + e.PendingValidator + e.PendingRootAlpha, issued = e.AlphaIssued;
        for (ulong block = State.Block + 1; block <= due; block++)
        {
            ulong alphaOut = e.Started ? BlockEmission.ForIssuance(issued - e.AlphaBurned) : 0;
            ulong ownerCut = (ulong)((UInt128)alphaOut * e.Hyper.SubnetOwnerCut / 65535);
            pending += alphaOut - ownerCut;
            issued += alphaOut;
        }
        return pending;
    }

    /// <summary>The result computed ahead for <paramref name="request"/>, when its inputs were the same; null otherwise.</summary>
    private Task<EpochResult>? TakeAhead(EpochRequest request)
    {
        if (!_ahead.Remove(request.Start.Netuid, out var ahead)) return null;
        if (SameInputs(ahead.Request, request))
        {
            _aheadUsed++;
            return ahead.Result;
        }
        _aheadDiscarded++;
        return null;
    }

    /// <summary>Whether two requests give the epoch the same inputs (<see cref="EpochRequest.ToEngine"/>), entry by entry.</summary>
    private static bool SameInputs(EpochRequest a, EpochRequest b) =>
        a.Start == b.Start && a.OwnerUid == b.OwnerUid && a.LastMechanismStepBlock == b.LastMechanismStepBlock
        && a.Stake.AsSpan().SequenceEqual(b.Stake)
        && a.WeightStarts.AsSpan().SequenceEqual(b.WeightStarts) && a.WeightColumns.AsSpan().SequenceEqual(b.WeightColumns)
        && a.WeightValues.AsSpan().SequenceEqual(b.WeightValues)
        && a.BondStarts.AsSpan().SequenceEqual(b.BondStarts) && a.BondColumns.AsSpan().SequenceEqual(b.BondColumns)
        && a.BondValues.AsSpan().SequenceEqual(b.BondValues)
        && a.ValidatorPermit.AsSpan().SequenceEqual(b.ValidatorPermit) && a.LastUpdate.AsSpan().SequenceEqual(b.LastUpdate)
        && a.BlockAtRegistration.AsSpan().SequenceEqual(b.BlockAtRegistration)
        && a.CommitBlocks is null && b.CommitBlocks is null
        && a.Childkeys.IsDefaultOrEmpty && b.Childkeys.IsDefaultOrEmpty;
}
