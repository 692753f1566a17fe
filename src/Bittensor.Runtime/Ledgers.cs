using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>Names of the storage parts of a subnet, so that a change rewrites only what it touched.</summary>
public static class SubnetParts
{
    /// <summary>Neurons per metadata page.</summary>
    public const int PageSize = 256;

    public const string Head = "head";

    public static string Meta(int uid) => $"m{uid / PageSize}";

    /// <summary>A weight row with its LastUpdate (so setting weights rewrites only this part and the head).</summary>
    public static string Weights(int uid) => $"w{uid}";

    public static string Bonds(int uid) => $"b{uid}";

    /// <summary>A neuron's unrevealed weight commits (at most <see cref="CommitReveal.MaxUnrevealedCommits"/>).</summary>
    public static string Commits(int uid) => $"c{uid}";
}

/// <summary>
/// The only code that mutates a subnet's roster. Grains call it to apply a journaled batch; the chain calls it on its
/// copy while planning, so a plan and its application can never disagree. Every part it changes is marked dirty.
/// </summary>
public static class SubnetLedger
{
    /// <summary>Epoch summaries kept per subnet (and epoch records kept in their own grains).</summary>
    public const int EpochHistory = 100;

    public static void Apply(SubnetState s, SubnetCommand command)
    {
        s.Dirty.Add(SubnetParts.Head);
        switch (command)
        {
            case CreateSubnet c:
                s.Exists = true;
                s.Netuid = c.Netuid;
                s.OwnerColdkey = c.OwnerColdkey;
                s.OwnerHotkey = c.OwnerHotkey;
                s.RegisteredAt = c.Block;
                s.Hyper = c.Hyper;
                s.CurrentBlock = c.Block;
                s.StakedHotkeys = Staked(s.StakedHotkeys.Clear(), c.OwnerHotkey, (long)c.OwnerStake);
                s.StakersIndexed = true;
                s.Neurons.Add(new Neuron
                {
                    Hotkey = c.OwnerHotkey, Coldkey = c.OwnerColdkey, BlockAtRegistration = c.Block, LastUpdate = c.Block,
                    RegisteredSeq = c.Seq, Stake = c.OwnerStake,
                });
                s.RosterChanged();
                s.Dirty.Add(SubnetParts.Meta(0));
                break;
            case RegisterNeuron r:
                var neuron = new Neuron
                {
                    Hotkey = r.Hotkey, Coldkey = r.Coldkey, BlockAtRegistration = r.Block, LastUpdate = r.Block,
                    RegisteredSeq = r.Seq, Stake = r.Stake,
                };
                if (r.Uid == s.Neurons.Count) s.Neurons.Add(neuron);
                else
                {
                    s.Replace(r.Uid, neuron);
                    // Every weight *to* the replaced uid becomes 0 (the entry is kept); bonds to it reset in the epoch.
                    for (int row = 0; row < s.Neurons.Count; row++)
                    {
                        var n = s.Neurons[row];
                        int k = Array.IndexOf(n.WeightColumns, r.Uid); // set_weights refuses duplicate uids: one entry at most
                        if (k < 0 || n.WeightValues[k] == 0) continue;
                        // A new array, never a write into the old one: copies of the roster may share rows (InMemoryChain).
                        ushort[] values = [.. n.WeightValues];
                        values[k] = 0;
                        s.Writable(row).WeightValues = values;
                        s.Dirty.Add(SubnetParts.Weights(row));
                    }
                    s.Dirty.Add(SubnetParts.Weights(r.Uid));
                    s.Dirty.Add(SubnetParts.Bonds(r.Uid));
                    s.Dirty.Add(SubnetParts.Commits(r.Uid)); // the replaced hotkey's commits go with it
                }
                s.RosterChanged();
                s.CurrentBlock = r.Block;
                s.Dirty.Add(SubnetParts.Meta(r.Uid));
                break;
            case StoreWeights w:
                var target = s.Writable(w.Uid);
                target.WeightColumns = [.. w.Columns];
                target.WeightValues = [.. w.Values];
                if (!w.KeepLastUpdate) target.LastUpdate = w.Block;
                s.CurrentBlock = w.Block;
                s.Dirty.Add(SubnetParts.Weights(w.Uid)); // the weights part also stores the row's LastUpdate
                if (w.Columns.Length == 0) s.Dirty.Add(SubnetParts.Meta(w.Uid));
                break;
            case StoreCommits c:
                var committer = s.Writable(c.Uid);
                committer.Commits = c.Commits;
                s.CurrentBlock = c.Block;
                s.Dirty.Add(SubnetParts.Commits(c.Uid));
                if (!c.SetsLastUpdate) break;
                committer.LastUpdate = c.Block;
                // LastUpdate is stored with a non-empty weight row, else with the neuron's page.
                s.Dirty.Add(committer.WeightColumns.Length > 0 ? SubnetParts.Weights(c.Uid) : SubnetParts.Meta(c.Uid));
                break;
            case NeuronStake m:
                s.StakedHotkeys = Staked(s.StakedHotkeys, m.Hotkey, m.Alpha);
                int uid = s.UidOf(m.Hotkey);
                if (uid < 0) break;
                var holder = s.Writable(uid);
                holder.Stake = checked((ulong)((long)holder.Stake + m.Alpha));
                s.Dirty.Add(SubnetParts.Meta(uid));
                break;
            case DissolveSubnet:
                // Every stored part goes: the pages, rows and commits of each UID; then the roster is as if never created.
                for (int i = 0; i < s.Neurons.Count; i++)
                {
                    s.Dirty.Add(SubnetParts.Meta(i));
                    s.Dirty.Add(SubnetParts.Weights(i));
                    s.Dirty.Add(SubnetParts.Bonds(i));
                    s.Dirty.Add(SubnetParts.Commits(i));
                }
                s.Exists = false;
                s.OwnerColdkey = s.OwnerHotkey = "";
                s.RegisteredAt = s.CurrentBlock = s.LastMechanismStepBlock = s.EpochIndex = 0;
                s.Hyper = new SubnetHyperparameters();
                s.Neurons.Clear();
                s.Epochs.Clear();
                s.StakedHotkeys = s.StakedHotkeys.Clear();
                s.StakersIndexed = false;
                s.Children = s.Children.Clear();
                s.PendingChildren = s.PendingChildren.Clear();
                s.ChildkeyTakes = s.ChildkeyTakes.Clear();
                s.ChildrenSetAt = s.ChildrenSetAt.Clear();
                s.ChildkeyTakeSetAt = s.ChildkeyTakeSetAt.Clear();
                s.RosterChanged();
                break;
            case ScheduleChildren c:
                ChildKeys.ApplyDue(s, c.Block);
                s.ChildrenSetAt = s.ChildrenSetAt.SetItem(c.Hotkey, c.Block);
                if (c.CooldownBlock is ulong cooldown) s.PendingChildren = s.PendingChildren.SetItem(c.Hotkey, new PendingChildren(c.Children, cooldown));
                else
                {
                    s.PendingChildren = s.PendingChildren.Remove(c.Hotkey);
                    s.Children = ChildKeys.Persist(s.Children, c.Hotkey, c.Children);
                }
                break;
            case SetChildkeyTake t:
                s.ChildkeyTakes = t.Take == 0 ? s.ChildkeyTakes.Remove(t.Hotkey) : s.ChildkeyTakes.SetItem(t.Hotkey, t.Take);
                s.ChildkeyTakeSetAt = s.ChildkeyTakeSetAt.SetItem(t.Hotkey, t.Block);
                break;
            case SetOwnerHotkey o:
                s.OwnerHotkey = o.Hotkey;
                break;
            case ReplaceHyperparameters h:
                s.Hyper = h.Hyper;
                break;
            case SetAxon a:
                int axonUid = s.UidOf(a.Hotkey);
                if (axonUid < 0) break;
                s.Writable(axonUid).Axon = a.Axon;
                s.Dirty.Add(SubnetParts.Meta(axonUid));
                break;
            case CommitEpoch e:
                int count = Math.Min(s.Neurons.Count, e.Incentive.Length);
                for (int i = 0; i < count; i++)
                {
                    if (s.Neurons[i].RegisteredSeq > e.AsOfSeq) continue; // registered after the inputs were taken: not this epoch's neuron
                    var n = s.Writable(i);
                    n.StakeWeight = e.StakeWeight[i];
                    n.Consensus = e.Consensus[i];
                    n.Incentive = e.Incentive[i];
                    n.Dividends = e.Dividends[i];
                    n.ValidatorTrust = e.ValidatorTrust[i];
                    n.Emission = e.Emission[i];
                    n.Active = e.Active[i];
                    n.ValidatorPermit = e.ValidatorPermit[i];
                    (n.TaoStake, n.TaoWeighted) = !e.RootStake.IsDefaultOrEmpty && i < e.RootStake.Length ? e.RootStake[i] : (0, 0);
                }
                if (e.StakedInOrder.IsDefault)
                    foreach (var (hotkey, alpha) in e.Staked) Credit(s, hotkey, alpha);
                else
                    foreach (var (hotkey, alpha) in e.StakedInOrder) Credit(s, hotkey, alpha);
                for (int page = 0; page < s.Neurons.Count; page += SubnetParts.PageSize) s.Dirty.Add(SubnetParts.Meta(page));
                s.LastMechanismStepBlock = e.Block;
                s.EpochIndex = e.Index + 1;
                s.Epochs.Add(e.Summary);
                if (s.Epochs.Count > EpochHistory) s.Epochs.RemoveRange(0, s.Epochs.Count - EpochHistory);
                break;
            default:
                throw new InvalidOperationException($"unknown subnet command {command.GetType().Name}");
        }
    }

    /// <summary>An epoch's credit of <paramref name="alpha"/> to <paramref name="hotkey"/>: the staked-hotkey index and, when registered, its neuron.</summary>
    private static void Credit(SubnetState s, string hotkey, ulong alpha)
    {
        s.CreditLater(hotkey, alpha); // the staked-hotkey index takes it when next read
        int uid = s.UidOf(hotkey);
        if (uid < 0) return;
        var credited = s.Writable(uid);
        credited.Stake = checked(credited.Stake + alpha);
    }

    /// <summary>The index of staked hotkeys after <paramref name="alpha"/> more (or less) on <paramref name="hotkey"/>; a hotkey at 0 leaves it.</summary>
    private static ImmutableDictionary<string, ulong> Staked(ImmutableDictionary<string, ulong> index, string hotkey, long alpha)
    {
        if (alpha == 0) return index;
        var builder = index.ToBuilder();
        Staked(builder, hotkey, alpha);
        return builder.ToImmutable();
    }

    /// <summary>The same change on a builder (for many changes at once).</summary>
    internal static void Staked(ImmutableDictionary<string, ulong>.Builder index, string hotkey, long alpha)
    {
        if (alpha == 0) return;
        ulong next = checked((ulong)((long)index.GetValueOrDefault(hotkey) + alpha));
        if (next == 0) index.Remove(hotkey); else index[hotkey] = next;
    }

    /// <summary>Stores an epoch's new bonds (rows of (column, value)) for the neurons that were registered at <paramref name="asOfSeq"/>.</summary>
    public static void ApplyBonds(SubnetState s, long asOfSeq, IReadOnlyList<(ushort[] Columns, ushort[] Values)> rows)
    {
        int count = Math.Min(s.Neurons.Count, rows.Count);
        for (int i = 0; i < count; i++)
        {
            var n = s.Neurons[i];
            if (n.RegisteredSeq > asOfSeq) continue;
            var (columns, values) = rows[i];
            if (n.BondColumns.Length == 0 && columns.Length == 0) continue;
            if (n.BondColumns.AsSpan().SequenceEqual(columns) && n.BondValues.AsSpan().SequenceEqual(values)) continue;
            n = s.Writable(i);
            n.BondColumns = columns;
            n.BondValues = values;
            s.Dirty.Add(SubnetParts.Bonds(i));
        }
    }
}

/// <summary>Applies changes to accounts and hotkeys.</summary>
public static class KeyLedger
{
    public static void Apply(AccountState s, AccountChange c)
    {
        s.Balance = checked((ulong)((long)s.Balance + c.Balance));
        if (c.BumpNonce) s.Nonce++;
        if (c.Receipt is { } receipt)
        {
            s.Receipts.Add(receipt);
            if (s.Receipts.Count > AccountState.MaxReceipts) s.Receipts.RemoveRange(0, s.Receipts.Count - AccountState.MaxReceipts);
        }
        if (c.AddHotkey is { } h && !s.Hotkeys.Contains(h)) s.Hotkeys.Add(h);
        if (c.ClaimType is { } claimType) s.RootClaimType = claimType;
        if (c.AddRootHotkey is { } rootHotkey && !s.RootHotkeys.Contains(rootHotkey)) s.RootHotkeys.Add(rootHotkey);
        if (c.MarkIndexed) s.Indexed = true;
    }

    public static void Apply(HotkeyState s, HotkeyChange c)
    {
        if (c.Owner is { } owner && s.Owner is null) s.Owner = owner;
        foreach (var d in c.Stakes)
        {
            string key = StakeKey(d.Netuid, d.Coldkey);
            ulong next = checked((ulong)((long)s.Stakes.GetValueOrDefault(key) + d.Alpha));
            if (next == 0) s.Stakes.Remove(key); else s.Stakes[key] = next;
        }
        if (c.Deregistered is ushort gone) { s.Registrations.Remove(gone); s.Axons.Remove(gone); }
        if (c.Registered is var (netuid, uid)) s.Registrations[netuid] = uid;
        if (c.Axon is var (axonNet, axon)) s.Axons[axonNet] = axon;
        if (c.Take is ushort take) s.Take = take;
        if (c.TakeChangedAt is ulong changedAt) s.TakeChangedAt = changedAt;
        foreach (var r in c.RootClaimable)
        {
            if (s.RootClaimableGeneration.GetValueOrDefault(r.Netuid) != r.Generation)
            {
                // A dissolved subnet's rate and claims go before the new subnet under its netuid accrues.
                s.RootClaimable.Remove(r.Netuid);
                string prefix = $"{r.Netuid}|";
                foreach (string key in s.RootClaimed.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList()) s.RootClaimed.Remove(key);
                s.RootClaimableGeneration[r.Netuid] = r.Generation;
            }
            s.RootClaimable[r.Netuid] = checked(s.RootClaimable.GetValueOrDefault(r.Netuid) + r.Rate);
        }
        foreach (var r in c.RootClaimed)
            if (r.Claimed == 0) s.RootClaimed.Remove(StakeKey(r.Netuid, r.Coldkey));
            else s.RootClaimed[StakeKey(r.Netuid, r.Coldkey)] = r.Claimed;
        if (c.MarkIndexed) s.Indexed = true;
    }

    public static string StakeKey(ushort netuid, string coldkey) => $"{netuid}|{coldkey}";

    public static HotkeyView View(string address, HotkeyState s) => new(
        address, s.Owner, s.Registrations.ToImmutableDictionary(),
        [.. s.Stakes.Select(kv =>
        {
            int bar = kv.Key.IndexOf('|');
            return new StakeEntry(ushort.Parse(kv.Key[..bar], System.Globalization.CultureInfo.InvariantCulture), kv.Key[(bar + 1)..], kv.Value);
        }).OrderBy(e => e.Netuid).ThenBy(e => e.Coldkey, StringComparer.Ordinal)],
        s.Take, s.Axons.ToImmutableDictionary())
    {
        RootClaimable = [.. s.RootClaimable.Keys.Order().SelectMany(netuid => s.Stakes.Keys
            .Where(k => k.StartsWith($"{RootNetwork.Netuid}|", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => k[(k.IndexOf('|') + 1)..])
            .Select(coldkey => new RootClaimableEntry(netuid, coldkey, RootNetwork.Owed(s, coldkey, netuid, s.RootClaimableGeneration.GetValueOrDefault(netuid))))
            .Where(c => c.Alpha > 0))],
    };
}
