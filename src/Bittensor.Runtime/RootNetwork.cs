using System.Collections.Immutable;

namespace Bittensor.Runtime;

/// <summary>
/// The root network (netuid 0, subtensor's <c>NetUid::ROOT</c>): a roster of at most <see cref="MaxValidators"/> hotkeys
/// (<c>root_register</c>) and TAO staked on any hotkey with <c>add_stake {netuid: 0}</c>, 1:1 with no pool and no swap fee
/// (subtensor's stable mechanism, price 1). Root stake is kept as the hotkeys' stake entries of netuid 0, mirrored per
/// hotkey in the root roster (<see cref="SubnetState.StakedHotkeys"/> of subnet 0) and summed in
/// <see cref="ChainState.RootStake"/> (subtensor's <c>SubnetTAO[root]</c>). It enters every subnet's stake weight as
/// <c>tao_weight·root_tao</c> (<see cref="AttachAsync"/>).
/// </summary>
public static class RootNetwork
{
    public const ushort Netuid = 0;

    /// <summary>subtensor's <c>MaxAllowedUids(ROOT)</c> at genesis: 64 root validators.</summary>
    public const int MaxValidators = 64;

    /// <summary>subtensor's default <c>TaoWeight</c> (parts of u64::MAX): 971 718 665 099 567 868 ≈ 0.05268.</summary>
    public const ulong DefaultTaoWeight = 971_718_665_099_567_868;

    /// <summary>Root's price, rao of TAO per alpha: 1 (subtensor's stable mechanism).</summary>
    public const ulong Price = Tao.Rao;

    /// <summary>Moves <paramref name="tao"/> rao (negative: out) of root stake for (hotkey, coldkey); the caller debits or credits the balance.</summary>
    public static async ValueTask StakeAsync(ChainPlan plan, string hotkey, string coldkey, long tao)
    {
        if (tao == 0) return;
        plan.Chain.RootStake = checked((ulong)((long)plan.Chain.RootStake + tao));
        await plan.SubnetAsync(Netuid, new NeuronStake(hotkey, tao));
        await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = [new StakeDelta(Netuid, coldkey, tao)] });
    }

    /// <summary>
    /// The most TAO a stake on root may put in under <paramref name="limitPrice"/> (rao per alpha): all of it at a limit of
    /// at least 1 TAO, else nothing — the price never moves (<c>get_max_amount_add</c>'s root case).
    /// </summary>
    public static ulong MaxAdd(ulong limitPrice, ulong amount) => limitPrice >= Price ? amount : 0;

    /// <summary>The most root stake an unstake may take out under <paramref name="limitPrice"/>: all of it at a limit of at most 1 TAO (<c>get_max_amount_remove</c>).</summary>
    public static ulong MaxRemove(ulong limitPrice, ulong amount) => limitPrice <= Price ? amount : 0;

    /// <summary><c>get_tao_weight</c>: <paramref name="taoWeight"/> / u64::MAX as U96F32 bits (32 fractional bits), truncated.</summary>
    public static ulong WeightBits(ulong taoWeight) => (ulong)(((UInt128)taoWeight << 32) / ulong.MaxValue);

    /// <summary>
    /// A UID's stake weight (<c>get_stake_weights_for_network</c>: <c>alpha + tao·tao_weight</c> in I64F64, both inherited)
    /// in 2⁻³² rao: whole rao and the fraction. Exact, as subtensor's product of a whole number and a 32-bit fraction is.
    /// </summary>
    public static (ulong Whole, uint Fraction) StakeWeight(ulong alpha, ulong tao, ulong taoWeight)
    {
        UInt128 bits = ((UInt128)alpha << 32) + (UInt128)tao * WeightBits(taoWeight);
        UInt128 max = (UInt128)long.MaxValue << 32; // I64F64 saturates at 2⁶³
        if (bits > max) bits = max;
        return ((ulong)(bits >> 32), (uint)bits);
    }

    /// <summary>The root roster's stake per hotkey, given to each epoch starting now (empty root or tao_weight 0: nothing).</summary>
    public static async ValueTask AttachAsync(ChainPlan plan, List<EpochStart> starts)
    {
        if (starts.Count == 0 || plan.Rules.TaoWeight == 0 || plan.Chain.RootStake == 0) return;
        var root = await plan.RootAsync();
        if (root.StakedHotkeys.IsEmpty) return;
        for (int k = 0; k < starts.Count; k++)
            starts[k] = starts[k] with { RootStakes = root.StakedHotkeys, TaoWeight = plan.Rules.TaoWeight };
    }

    /// <summary>The root roster's lowest-stake member (subtensor's replacement candidate when root is full; ties to the lower UID).</summary>
    public static int LowestStakeUid(SubnetState root)
    {
        int lowest = -1;
        ulong stake = ulong.MaxValue;
        for (int uid = 0; uid < root.Neurons.Count; uid++)
        {
            ulong s = root.StakedHotkeys.GetValueOrDefault(root.Neurons[uid].Hotkey);
            if (lowest < 0 || s < stake) (lowest, stake) = (uid, s);
        }
        return lowest;
    }

    /// <summary>Root stake of each hotkey, as an epoch's start took it.</summary>
    public static ulong Of(ImmutableDictionary<string, ulong>? stakes, string hotkey) => stakes?.GetValueOrDefault(hotkey) ?? 0;
}
