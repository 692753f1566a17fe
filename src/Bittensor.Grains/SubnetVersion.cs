using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>
/// A subnet as published after a change: its metagraph (null while the subnet does not exist) and references to its
/// weight and bond rows. Rows are shared, never copied: the ledger replaces a row and never writes into one, so a
/// version keeps the rows it was built with. Unchanged neurons share their view with the previous version.
/// </summary>
internal sealed record SubnetVersion(MetagraphView? View, SubnetVersion.Row[] Weights, SubnetVersion.Row[] Bonds)
{
    /// <summary>A sparse u16 row, as stored.</summary>
    public readonly record struct Row(ushort[] Columns, ushort[] Values);

    /// <summary>No subnet.</summary>
    public static readonly SubnetVersion None = new(null, [], []);

    /// <summary>
    /// The version of <paramref name="s"/> now. Views of neurons in parts not <paramref name="touched"/> since
    /// <paramref name="previous"/> are reused (null: build every view).
    /// </summary>
    public static SubnetVersion Build(SubnetState s, SubnetVersion? previous, IReadOnlySet<string>? touched)
    {
        if (!s.Exists) return None;
        int n = s.Neurons.Count;
        var old = previous?.View?.Neurons ?? [];
        var stale = touched is null ? null : Touched(touched, n);
        var neurons = ImmutableArray.CreateBuilder<NeuronView>(n);
        var weights = new Row[n];
        var bonds = new Row[n];
        for (int uid = 0; uid < n; uid++)
        {
            var neuron = s.Neurons[uid];
            bool reuse = stale is not null && uid < old.Length && !stale[uid];
            neurons.Add(reuse ? old[uid] : ViewOf(neuron, uid));
            weights[uid] = new Row(neuron.WeightColumns, neuron.WeightValues);
            bonds[uid] = new Row(neuron.BondColumns, neuron.BondValues);
        }
        return new SubnetVersion(new MetagraphView(s.Netuid, Math.Max(s.CurrentBlock, s.ChangedAt), neurons.MoveToImmutable()), weights, bonds);
    }

    /// <summary>The UIDs whose neuron may have changed: every UID of a touched page, and the UID of a touched row or commit queue.</summary>
    private static bool[] Touched(IReadOnlySet<string> parts, int n)
    {
        var stale = new bool[n];
        foreach (string part in parts)
        {
            if (part == SubnetParts.Head) continue;
            int index = int.Parse(part.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            if (part[0] == 'm')
            {
                int first = index * SubnetParts.PageSize;
                for (int uid = first; uid < Math.Min(n, first + SubnetParts.PageSize); uid++) stale[uid] = true;
            }
            else if (index < n) stale[index] = true;
        }
        return stale;
    }

    /// <summary>
    /// A neuron's metagraph entry: TAO stake is the root TAO its last epoch counted (inherited through childkeys) and total stake
    /// alpha + tao_weight·that TAO; rank, trust and pruning score are no longer computed (0).
    /// </summary>
    public static NeuronView ViewOf(Neuron n, int uid) => new()
    {
        Uid = (ushort)uid,
        Hotkey = n.Hotkey,
        Coldkey = n.Coldkey,
        Stake = n.Stake,
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
        Axon = n.Axon,
        AlphaStake = n.Stake,
        TaoStake = n.TaoStake,
        TotalStake = n.Stake + n.TaoWeighted,
    };
}
