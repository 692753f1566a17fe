using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// Where a plan reads the state of accounts, hotkeys and subnets. The grains implement it over grain calls and the
/// chain's cache; a simulator or a test implements it over dictionaries. Account and hotkey states returned are the
/// plan's own copies; a subnet may be a shared cached copy, which the plan reports in <see cref="ChainPlan.MutatedSubnets"/>.
/// </summary>
public interface IStateSource
{
    ValueTask<AccountState> AccountAsync(string address);

    ValueTask<HotkeyState> HotkeyAsync(string address);

    /// <summary>The subnet's roster, or null when it does not exist.</summary>
    ValueTask<SubnetState?> SubnetAsync(ushort netuid);
}

/// <summary>
/// An operation or a block being planned: <c>state + operation → changes + events</c>. It reads states once through an
/// <see cref="IStateSource"/>, applies each change to its copy through the same ledger functions the grains use (so later
/// checks in the same plan see earlier effects), and records the change as a command for the grain that owns it.
/// Nothing is written until the chain stores the plan as one batch; a plan that is dropped changes nothing but its copies.
/// </summary>
public sealed class ChainPlan(ChainState chain, IStateSource source, ChainRules rules)
{
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HotkeyState> _hotkeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HotkeyChange>> _credited = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, SubnetState?> _subnets = [];

    /// <summary>The chain's state as the plan leaves it (a copy: the caller keeps the original until the plan is stored).</summary>
    public ChainState Chain { get; } = chain;

    public ChainRules Rules { get; } = rules;

    /// <summary>The sequence number the batch will have.</summary>
    public long Seq => Chain.Seq + 1;

    public List<GrainCommand> Commands { get; } = [];

    public List<ChainEvent> Events { get; } = [];

    /// <summary>Subnets whose (possibly shared) state the plan changed.</summary>
    public HashSet<ushort> MutatedSubnets { get; } = [];

    public bool IsEmpty => Commands.Count == 0;

    public async ValueTask<AccountState> AccountAsync(string address)
    {
        if (!_accounts.TryGetValue(address, out var s)) _accounts[address] = s = await source.AccountAsync(address);
        return s;
    }

    public async ValueTask<HotkeyState> HotkeyAsync(string address)
    {
        if (!_hotkeys.TryGetValue(address, out var s))
        {
            s = await source.HotkeyAsync(address);
            // Credits this plan made without reading the hotkey are part of what it reads now.
            if (_credited.Remove(address, out var credits))
                foreach (var change in credits) KeyLedger.Apply(s, change);
            _hotkeys[address] = s;
        }
        return s;
    }

    /// <summary>
    /// Credits stake to a registered neuron's hotkey without reading it (an epoch landing pays hundreds of miners: it
    /// reads only the validators it splits dividends for). The change is recorded for the grain and, should the plan
    /// read the hotkey later, applied to what it reads. Only for hotkeys already listed in the address index (a
    /// registered neuron's) and only to add stake.
    /// </summary>
    public async ValueTask CreditHotkeyAsync(string address, HotkeyChange change)
    {
        foreach (var d in change.Stakes)
            if (d.Alpha < 0) throw new ArgumentException("a blind credit only adds stake", nameof(change));
        if (change.Owner is not null) throw new ArgumentException("a blind credit only adds stake", nameof(change));
        if (_hotkeys.ContainsKey(address))
        {
            await HotkeyAsync(address, change);
            return;
        }
        if (!_credited.TryGetValue(address, out var credits)) _credited[address] = credits = [];
        credits.Add(change);
        Commands.Add(new HotkeyCommand(address, change));
    }

    /// <summary>Reads the hotkeys not read yet all at once (an epoch landing touches hundreds: one round trip, not hundreds in a row).</summary>
    public async ValueTask PrefetchHotkeysAsync(IEnumerable<string> addresses)
    {
        var missing = addresses.Where(a => !_hotkeys.ContainsKey(a)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return;
        var reads = missing.Select(a => source.HotkeyAsync(a)).ToList();
        if (reads.TrueForAll(r => r.IsCompletedSuccessfully))
        {
            for (int i = 0; i < missing.Count; i++) _hotkeys[missing[i]] = reads[i].Result; // an in-memory source answers at once
            return;
        }
        var states = await Task.WhenAll(reads.Select(r => r.AsTask()));
        for (int i = 0; i < missing.Count; i++) _hotkeys[missing[i]] = states[i];
    }

    public async ValueTask<SubnetState?> SubnetAsync(ushort netuid)
    {
        if (!_subnets.TryGetValue(netuid, out var s)) _subnets[netuid] = s = await source.SubnetAsync(netuid);
        return s is { Exists: true } ? s : null;
    }

    /// <summary>The root network's roster (netuid 0): its members and the root stake per hotkey; never null.</summary>
    public async ValueTask<SubnetState> RootAsync()
    {
        if (!_subnets.TryGetValue(RootNetwork.Netuid, out var s) || s is null)
            _subnets[RootNetwork.Netuid] = s = await source.SubnetAsync(RootNetwork.Netuid) ?? new SubnetState();
        return s;
    }

    /// <summary>The plan's copy of an account it read (every change the plan made to it applied), or null.</summary>
    internal AccountState? ReadAccount(string address) => _accounts.GetValueOrDefault(address);

    /// <summary>The plan's copy of a hotkey it read (every change the plan made to it applied, blind credits too), or null when it only credited it blind.</summary>
    internal HotkeyState? ReadHotkey(string address) => _hotkeys.GetValueOrDefault(address);

    /// <summary>The plan's copy of a subnet's roster (every command the plan gave it applied), or null when it read none.</summary>
    internal SubnetState? ReadSubnet(ushort netuid) => _subnets.GetValueOrDefault(netuid);

    /// <summary>The subnet's economy, or null when it does not exist.</summary>
    public SubnetEconomy? Economy(ushort netuid) => Chain.Subnets.GetValueOrDefault(netuid);

    /// <summary>Changes an account (and the running Σ of free balances); lists it in the address index the first time.</summary>
    public async ValueTask AccountAsync(string address, AccountChange change)
    {
        var account = await AccountAsync(address);
        if (!account.Indexed)
        {
            change = change with { MarkIndexed = true };
            Commands.Add(new IndexCommand(AddressKind.Account, address));
            Chain.AccountCount++;
        }
        KeyLedger.Apply(account, change);
        Chain.FreeTotal = checked((ulong)((long)Chain.FreeTotal + change.Balance));
        Commands.Add(new AccountCommand(address, change));
    }

    /// <summary>Changes a hotkey; lists it in the address index the first time.</summary>
    public async ValueTask HotkeyAsync(string address, HotkeyChange change)
    {
        var hotkey = await HotkeyAsync(address);
        if (!hotkey.Indexed)
        {
            change = change with { MarkIndexed = true };
            Commands.Add(new IndexCommand(AddressKind.Hotkey, address));
            Chain.HotkeyCount++;
        }
        KeyLedger.Apply(hotkey, change);
        Commands.Add(new HotkeyCommand(address, change));
    }

    /// <summary>Changes a subnet's roster.</summary>
    public async ValueTask SubnetAsync(ushort netuid, SubnetCommand command)
    {
        if (!_subnets.TryGetValue(netuid, out var s) || s is null)
            _subnets[netuid] = s = await source.SubnetAsync(netuid) ?? new SubnetState();
        MutatedSubnets.Add(netuid);
        SubnetLedger.Apply(s, command);
        Commands.Add(new SubnetCommandFor(netuid, command));
    }

    /// <summary>Records an event (one of <see cref="EventKinds"/>) in the plan's block.</summary>
    public void Emit(ChainEvent e) => Events.Add(e with { Block = Chain.Block });

    /// <summary>The extrinsic this plan applies (set by <see cref="ChainRuntime.ExecuteAsync"/>), recorded in its block.</summary>
    public ExtrinsicRecord? Extrinsic { get; set; }

    /// <summary>
    /// The batch this plan stores, with its block-log entry: the events get the chain's next event ids (the count is part
    /// of the chain state stored with the batch, so ids are stable and never reused). <paramref name="opened"/> is the
    /// timestamp of the block this plan opens (a block step, genesis); <paramref name="refused"/> extrinsics refused since
    /// the last batch.
    /// </summary>
    public Batch ToBatch(DateTime? opened = null, ImmutableArray<ExtrinsicRecord> refused = default)
    {
        var log = new LogCommand
        {
            Block = Chain.Block, FirstEventId = checked((long)Chain.EventCount + 1), Events = [.. Events], Extrinsic = Extrinsic,
            Opened = opened, Refused = refused.IsDefault ? [] : refused,
        };
        Chain.EventCount += (ulong)Events.Count;
        return new(Seq, Chain.Block, [.. Commands, log]);
    }
}

/// <summary>Alpha credited per (hotkey, coldkey) in one subnet, merged, in ordinal order of hotkey then coldkey.</summary>
public sealed class StakeCredits(ushort netuid)
{
    // Appended as they come and sorted and merged once when read: an epoch credits hundreds of keys, mostly once each.
    private readonly List<(string Hotkey, string Coldkey, ulong Alpha)> _credits = [];
    private bool _merged = true;

    public void Add(string hotkey, string coldkey, ulong alpha)
    {
        if (alpha == 0) return;
        _credits.Add((hotkey, coldkey, alpha));
        _merged = false;
    }

    /// <summary>Total credited per hotkey, in ordinal order of hotkey.</summary>
    public ImmutableArray<KeyValuePair<string, ulong>> PerHotkey()
    {
        var merged = Merged();
        var totals = ImmutableArray.CreateBuilder<KeyValuePair<string, ulong>>(merged.Count);
        foreach (var (hotkey, _, alpha) in merged)
        {
            if (totals.Count > 0 && totals[^1].Key == hotkey) totals[^1] = new(hotkey, checked(totals[^1].Value + alpha));
            else totals.Add(new(hotkey, alpha));
        }
        return totals.DrainToImmutable();
    }

    /// <summary>The hotkey changes that credit every nominator.</summary>
    public IEnumerable<(string Hotkey, HotkeyChange Change)> Changes()
    {
        var merged = Merged();
        for (int start = 0; start < merged.Count;)
        {
            int end = start + 1;
            while (end < merged.Count && merged[end].Hotkey == merged[start].Hotkey) end++;
            var deltas = ImmutableArray.CreateBuilder<StakeDelta>(end - start);
            for (int k = start; k < end; k++) deltas.Add(new StakeDelta(netuid, merged[k].Coldkey, (long)merged[k].Alpha));
            yield return (merged[start].Hotkey, new HotkeyChange { Stakes = deltas.MoveToImmutable() });
            start = end;
        }
    }

    private List<(string Hotkey, string Coldkey, ulong Alpha)> Merged()
    {
        if (_merged) return _credits;
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_credits).Sort(default(ByKeys)); // a struct comparer: no delegate per comparison
        int w = 0;
        for (int r = 0; r < _credits.Count; r++)
        {
            var credit = _credits[r];
            if (w > 0 && _credits[w - 1].Hotkey == credit.Hotkey && _credits[w - 1].Coldkey == credit.Coldkey)
                _credits[w - 1] = (credit.Hotkey, credit.Coldkey, checked(_credits[w - 1].Alpha + credit.Alpha));
            else _credits[w++] = credit;
        }
        _credits.RemoveRange(w, _credits.Count - w);
        _merged = true;
        return _credits;
    }

    /// <summary>Ordinal order of hotkey, then of coldkey.</summary>
    private readonly struct ByKeys : IComparer<(string Hotkey, string Coldkey, ulong Alpha)>
    {
        public int Compare((string Hotkey, string Coldkey, ulong Alpha) a, (string Hotkey, string Coldkey, ulong Alpha) b)
        {
            int c = string.CompareOrdinal(a.Hotkey, b.Hotkey);
            return c != 0 ? c : string.CompareOrdinal(a.Coldkey, b.Coldkey);
        }
    }
}
