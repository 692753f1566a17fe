namespace Bittensor.Runtime;

/// <summary>
/// The stake movements every staking call is made of (subtensor's <c>stake_into_subnet</c>, <c>unstake_from_subnet</c>
/// and <c>transfer_stake_within_subnet</c>): each changes the pool, the subnet's staked alpha, the roster's mirror of the
/// hotkey's stake and the hotkey's stake entry together, so that alpha is conserved to the rao. Callers check the rules
/// and compute the amounts first; these only apply them.
/// </summary>
public static class Staking
{
    /// <summary>The pool took <paramref name="tao"/> (already debited from wherever it came) and gave <paramref name="alpha"/>, staked for (hotkey, coldkey).</summary>
    public static async ValueTask BuyAsync(ChainPlan plan, SubnetEconomy e, string hotkey, string coldkey, ulong tao, ulong alpha)
    {
        e.PoolTao += tao;
        e.PoolAlpha -= alpha;
        e.AlphaStaked += alpha;
        await plan.SubnetAsync(e.Netuid, new NeuronStake(hotkey, (long)alpha));
        await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = [new StakeDelta(e.Netuid, coldkey, (long)alpha)] });
    }

    /// <summary>(hotkey, coldkey) sold <paramref name="alpha"/> of its stake to the pool for <paramref name="tao"/> (credited by the caller).</summary>
    public static async ValueTask SellAsync(ChainPlan plan, SubnetEconomy e, string hotkey, string coldkey, ulong alpha, ulong tao)
    {
        e.PoolTao -= tao;
        e.PoolAlpha += alpha;
        e.AlphaStaked -= alpha;
        await plan.SubnetAsync(e.Netuid, new NeuronStake(hotkey, -(long)alpha));
        await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = [new StakeDelta(e.Netuid, coldkey, -(long)alpha)] });
    }

    /// <summary>Moves <paramref name="alpha"/> of stake within one subnet, without the pool: no swap, no fee.</summary>
    public static async ValueTask ShiftAsync(ChainPlan plan, ushort netuid, (string Hotkey, string Coldkey) from, (string Hotkey, string Coldkey) to, ulong alpha)
    {
        if (from.Hotkey == to.Hotkey)
        {
            await plan.HotkeyAsync(from.Hotkey, new HotkeyChange
            {
                Stakes = [new StakeDelta(netuid, from.Coldkey, -(long)alpha), new StakeDelta(netuid, to.Coldkey, (long)alpha)],
            });
            return;
        }
        await plan.SubnetAsync(netuid, new NeuronStake(from.Hotkey, -(long)alpha));
        await plan.HotkeyAsync(from.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(netuid, from.Coldkey, -(long)alpha)] });
        await plan.SubnetAsync(netuid, new NeuronStake(to.Hotkey, (long)alpha));
        await plan.HotkeyAsync(to.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(netuid, to.Coldkey, (long)alpha)] });
    }

    /// <summary>Alpha that <paramref name="coldkey"/> stakes on the hotkey in <paramref name="netuid"/>.</summary>
    public static ulong StakeOf(HotkeyState hotkey, ushort netuid, string coldkey) => hotkey.Stakes.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));

    /// <summary>Whether one more coldkey may start staking on the hotkey in the subnet (the chain's bound on nominators).</summary>
    public static bool RoomForNominator(ChainPlan plan, HotkeyState hotkey, ushort netuid, string coldkey) =>
        hotkey.Stakes.ContainsKey(KeyLedger.StakeKey(netuid, coldkey)) || hotkey.NominatorsIn(netuid) < plan.Rules.MaxNominatorsPerHotkey;

    public static string TooManyNominatorsMessage(ChainPlan plan, ushort netuid) =>
        $"the hotkey already has {plan.Rules.MaxNominatorsPerHotkey} nominators on subnet {netuid}, the most the chain keeps per hotkey";
}
