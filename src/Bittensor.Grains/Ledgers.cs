using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>
/// The only code that mutates state. Grains call it to apply a journaled batch; the chain calls it on copies while
/// planning, so a plan and its application can never disagree.
/// </summary>
public static class SubnetLedger
{
    /// <summary>Epoch summaries kept per subnet (and epoch records kept in their own grains).</summary>
    public const int EpochHistory = 100;

    public static void Apply(SubnetState s, SubnetCommand command)
    {
        switch (command)
        {
            case CreateSubnet c:
                s.Exists = true;
                s.Netuid = c.Netuid;
                s.OwnerColdkey = c.OwnerColdkey;
                s.OwnerHotkey = c.OwnerHotkey;
                s.RegisteredAt = c.Block;
                s.Hyper = c.Hyper;
                s.Lock = c.Lock;
                s.PoolTao = c.Lock;
                s.PoolAlpha = c.Lock;
                s.AlphaIssued = c.Lock;
                s.MovingPrice = 0;
                s.Burn = c.Burn;
                s.LastEpochBlock = c.LastEpochBlock;
                s.CurrentBlock = c.Block;
                // The owner hotkey is the subnet's first neuron (uid 0).
                s.Neurons.Add(new Neuron { Hotkey = c.OwnerHotkey, Coldkey = c.OwnerColdkey, BlockAtRegistration = c.Block, LastUpdate = c.Block });
                break;
            case RegisterNeuron r:
                var neuron = new Neuron { Hotkey = r.Hotkey, Coldkey = r.Coldkey, BlockAtRegistration = r.Block, LastUpdate = r.Block };
                if (r.Uid == s.Neurons.Count) s.Neurons.Add(neuron);
                else
                {
                    s.Neurons[r.Uid] = neuron;
                    // Every weight *to* the replaced uid becomes 0 (the entry is kept); bonds to it reset in the epoch.
                    foreach (var n in s.Neurons)
                        for (int k = 0; k < n.WeightColumns.Length; k++)
                            if (n.WeightColumns[k] == r.Uid) n.WeightValues[k] = 0;
                }
                s.PoolTao += r.BurnPaid;
                s.PoolAlpha -= r.AlphaBurned;
                s.AlphaBurned += r.AlphaBurned;
                s.Burn = r.NewBurn;
                break;
            case StoreWeights w:
                s.Neurons[w.Uid].WeightColumns = [.. w.Columns];
                s.Neurons[w.Uid].WeightValues = [.. w.Values];
                s.Neurons[w.Uid].LastUpdate = w.Block;
                break;
            case MoveStake m:
                ulong current = s.HotkeyStake.GetValueOrDefault(m.Hotkey);
                ulong next = checked((ulong)((long)current + m.Alpha));
                if (next == 0) s.HotkeyStake.Remove(m.Hotkey); else s.HotkeyStake[m.Hotkey] = next;
                s.AlphaStaked = checked((ulong)((long)s.AlphaStaked + m.Alpha));
                s.PoolTao = checked((ulong)((long)s.PoolTao + m.PoolTao));
                s.PoolAlpha = checked((ulong)((long)s.PoolAlpha + m.PoolAlpha));
                break;
            case ReplaceHyperparameters h:
                s.Hyper = h.Hyper;
                if (h.ResetLastEpochBlock is ulong reset) s.LastEpochBlock = reset;
                break;
            case StepBlock b:
                s.PoolTao += b.TaoIntoPool;
                s.PoolAlpha -= b.AlphaBoughtByProtocol;
                s.ProtocolAlpha += b.AlphaBoughtByProtocol;
                s.AlphaIssued += b.AlphaOut;
                s.PendingOwnerCut += b.OwnerCut;
                s.PendingServer += b.Server;
                s.PendingValidator += b.Validator;
                s.Burn = b.Burn;
                s.MovingPrice = b.MovingPrice;
                s.BlocksSinceLastStep = b.BlocksSinceLastStep;
                s.CurrentBlock = b.Block;
                break;
            case ScheduleEpoch e:
                if (e.Ran)
                {
                    s.LastEpochBlock = e.Block;
                    s.PendingEpochAt = 0;
                    s.EpochIndex++;
                    s.BlocksSinceLastStep = 0;
                }
                else s.PendingEpochAt = e.PendingEpochAt;
                break;
            case ApplyEpoch a:
                for (int uid = 0; uid < s.Neurons.Count; uid++)
                {
                    var n = s.Neurons[uid];
                    n.StakeWeight = a.StakeWeight[uid];
                    n.Consensus = a.Consensus[uid];
                    n.Incentive = a.Incentive[uid];
                    n.Dividends = a.Dividends[uid];
                    n.ValidatorTrust = a.ValidatorTrust[uid];
                    n.Emission = a.Emission[uid];
                    n.Active = a.Active[uid];
                    n.ValidatorPermit = a.ValidatorPermit[uid];
                    n.BondColumns = [.. a.BondColumns[uid]];
                    n.BondValues = [.. a.BondValues[uid]];
                }
                ulong staked = 0;
                foreach (var (hotkey, alpha) in a.Staked)
                {
                    s.HotkeyStake[hotkey] = s.HotkeyStake.GetValueOrDefault(hotkey) + alpha;
                    staked += alpha;
                }
                s.AlphaStaked += staked;
                s.AlphaBurned += a.Summary.Burned;
                s.PendingServer = a.Summary.Carried;
                s.PendingValidator = 0;
                s.PendingOwnerCut = 0;
                s.LastMechanismStepBlock = a.Block;
                s.Epochs.Add(a.Summary);
                if (s.Epochs.Count > EpochHistory) s.Epochs.RemoveRange(0, s.Epochs.Count - EpochHistory);
                break;
            default:
                throw new InvalidOperationException($"unknown subnet command {command.GetType().Name}");
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
        if (c.AddHotkey is { } h && !s.Hotkeys.Contains(h)) s.Hotkeys.Add(h);
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
    }

    public static string StakeKey(ushort netuid, string coldkey) => $"{netuid}|{coldkey}";

    public static HotkeyView View(string address, HotkeyState s) => new(
        address, s.Owner, s.Registrations.ToImmutableDictionary(),
        [.. s.Stakes.Select(kv =>
        {
            int bar = kv.Key.IndexOf('|');
            return new StakeEntry(ushort.Parse(kv.Key[..bar], System.Globalization.CultureInfo.InvariantCulture), kv.Key[(bar + 1)..], kv.Value);
        }).OrderBy(e => e.Netuid).ThenBy(e => e.Coldkey, StringComparer.Ordinal)],
        s.Take, s.Axons.ToImmutableDictionary());
}
