using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// Runs a what-if on two forks of the chain (<see cref="InMemoryChain.ForkAsync"/>): one as it stands, one with the
/// request's edits, each until the subnet has run the asked number of epochs; every other subnet goes on as it would.
/// Nothing is written to the chain the forks come from.
/// </summary>
public static class WhatIf
{
    public const string Invalid = "InvalidWhatIf";

    public static async Task<WhatIfResult> RunAsync(Func<Task<InMemoryChain>> fork, WhatIfRequest request)
    {
        ArgumentNullException.ThrowIfNull(fork);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Epochs is < 1 or > WhatIfRequest.MaxEpochs)
            return WhatIfResult.Refused(Invalid, "epochs", $"epochs must be in 1..{WhatIfRequest.MaxEpochs}");
        var before = await fork();
        ushort netuid = request.Netuid;
        if (before.Subnet(netuid) is not { } roster || !before.State.Subnets.TryGetValue(netuid, out var economy))
            return WhatIfResult.Refused(Codes.SubnetNotFound, "netuid", $"no subnet has netuid {netuid}");
        if (before.State.Subnets.Values.FirstOrDefault(e => e.InFlight is not null) is { } busy)
            return WhatIfResult.Refused("EpochInFlight", "netuid", $"an epoch of subnet {busy.Netuid} is still being computed; retry in a block");
        var edits = Edits(roster, request, before.State.Block);
        if (edits.Refusal is { } refused) return refused;

        var after = await fork();
        foreach (var command in edits.Commands) after.Override(netuid, command);
        ulong block = before.State.Block;
        ulong blocksBefore = await RunEpochsAsync(before, netuid, request.Epochs);
        ulong blocksAfter = await RunEpochsAsync(after, netuid, request.Epochs);
        var a = before.Subnet(netuid)!.Neurons;
        var b = after.Subnet(netuid)!.Neurons;
        return new WhatIfResult
        {
            Netuid = netuid,
            Block = block,
            Epochs = request.Epochs,
            BlocksBefore = blocksBefore,
            BlocksAfter = blocksAfter,
            Uids = [.. Enumerable.Range(0, Math.Min(a.Count, b.Count)).Select(uid => new WhatIfUid((ushort)uid, a[uid].Hotkey, Outcome(a[uid]), Outcome(b[uid])))],
        };
    }

    private static WhatIfOutcome Outcome(Neuron n) => new(n.Incentive, n.Dividends, n.Emission, n.Stake);

    /// <summary>Produces blocks until the subnet has started (and, in memory, landed) <paramref name="epochs"/> more epochs; returns the blocks produced.</summary>
    private static async Task<ulong> RunEpochsAsync(InMemoryChain chain, ushort netuid, int epochs)
    {
        ulong target = chain.State.Subnets[netuid].EpochIndex + (ulong)epochs, blocks = 0;
        while (chain.State.Subnets[netuid].EpochIndex < target)
        {
            await chain.ProduceBlockAsync();
            blocks++;
        }
        return blocks;
    }

    /// <summary>The request's edits as ledger commands, checked against the roster; or the first field that is wrong.</summary>
    private static (List<SubnetCommand> Commands, WhatIfResult? Refusal) Edits(SubnetState roster, WhatIfRequest request, ulong block)
    {
        var commands = new List<SubnetCommand>();
        var hyper = roster.Hyper;
        foreach (var o in request.Hyperparameters)
        {
            var (updated, error) = hyper.With(o.Name, o.Value);
            if (updated is null) return ([], WhatIfResult.Refused(Codes.InvalidHyperparameter, $"hyperparameters.{o.Name}", error!));
            hyper = updated;
        }
        if (!request.Hyperparameters.IsDefaultOrEmpty) commands.Add(new ReplaceHyperparameters(hyper));
        int n = roster.Neurons.Count;
        var seen = new HashSet<ushort>();
        foreach (var w in request.Weights)
        {
            string field = $"weights.{w.Uid}";
            if (w.Uid >= n) return ([], WhatIfResult.Refused(Codes.UidNotFound, field, $"subnet {roster.Netuid} has no UID {w.Uid} (n = {n})"));
            if (!seen.Add(w.Uid)) return ([], WhatIfResult.Refused(Invalid, field, $"UID {w.Uid}'s row is edited twice"));
            if (w.Uids.Length != w.Values.Length) return ([], WhatIfResult.Refused(Codes.WeightVecLengthMismatch, field, $"{w.Uids.Length} uids but {w.Values.Length} weights"));
            if (w.Uids.FirstOrDefault(u => u >= n) is var missing && w.Uids.Any(u => u >= n))
                return ([], WhatIfResult.Refused(Codes.UidNotFound, field, $"uid {missing} does not exist (n = {n})"));
            if (w.Uids.Distinct().Count() != w.Uids.Length) return ([], WhatIfResult.Refused(Codes.DuplicateUids, field, "a uid appears more than once"));
            var order = Enumerable.Range(0, w.Uids.Length).OrderBy(k => w.Uids[k]).ToArray();
            commands.Add(new StoreWeights(w.Uid, [.. order.Select(k => w.Uids[k])], [.. WeightMath.MaxUpscale([.. order.Select(k => w.Values[k])])], block));
        }
        return (commands, null);
    }
}
