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

    /// <summary>Least owed root dividend a claim pays (subtensor's <c>RootClaimableThreshold</c> default, 500 000 alpha rao).</summary>
    public const ulong ClaimThreshold = 500_000;

    /// <summary>Most subnets one <c>claim_root</c> names (subtensor's <c>MAX_SUBNET_CLAIMS</c>).</summary>
    public const int MaxSubnetClaims = 5;

    /// <summary>
    /// Moves <paramref name="tao"/> rao (negative: out) of root stake for (hotkey, coldkey); the caller debits or credits the
    /// balance. What the coldkey is deemed to have claimed moves with it (<c>add_stake_adjust_root_claimed…</c>,
    /// <c>remove_stake_adjust_root_claimed…</c>), so a stake change neither earns past dividends nor forfeits owed ones.
    /// </summary>
    public static async ValueTask StakeAsync(ChainPlan plan, string hotkey, string coldkey, long tao)
    {
        if (tao == 0) return;
        plan.Chain.RootStake = checked((ulong)((long)plan.Chain.RootStake + tao));
        var state = await plan.HotkeyAsync(hotkey);
        var claimed = ImmutableArray.CreateBuilder<RootClaimedTotal>();
        foreach (var (netuid, rate) in state.RootClaimable.OrderBy(r => r.Key))
        {
            ulong before = state.RootClaimed.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));
            ulong moved = Saturate((UInt128)rate * (ulong)Math.Abs(tao) >> 32);
            ulong after = tao > 0 ? (ulong.MaxValue - before < moved ? ulong.MaxValue : before + moved) : before - Math.Min(before, moved);
            if (after != before) claimed.Add(new RootClaimedTotal(netuid, coldkey, after));
        }
        await plan.SubnetAsync(Netuid, new NeuronStake(hotkey, tao));
        await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = [new StakeDelta(Netuid, coldkey, tao)], RootClaimed = claimed.ToImmutable() });
        if (tao > 0 && !(await plan.AccountAsync(coldkey)).RootHotkeys.Contains(hotkey))
            await plan.AccountAsync(coldkey, new AccountChange(0) { AddRootHotkey = hotkey });
    }

    private static ulong Saturate(UInt128 v) => v > ulong.MaxValue ? ulong.MaxValue : (ulong)v;

    /// <summary>
    /// What (hotkey, coldkey) is owed of the hotkey's root dividends on <paramref name="netuid"/> (the subnet registered at
    /// <paramref name="generation"/>): <c>rate·root_stake − claimed</c>, floored, at least 0 (<c>get_root_owed_for_hotkey_coldkey</c>).
    /// </summary>
    public static ulong Owed(HotkeyState hotkey, string coldkey, ushort netuid, ulong generation)
    {
        if (hotkey.RootClaimableGeneration.GetValueOrDefault(netuid) != generation) return 0; // accrued on a dissolved subnet
        UInt128 claimable = (UInt128)hotkey.RootClaimable.GetValueOrDefault(netuid) * Staking.StakeOf(hotkey, Netuid, coldkey) >> 32;
        ulong claimed = hotkey.RootClaimed.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));
        return claimable > claimed ? Saturate(claimable - claimed) : 0;
    }

    /// <summary>
    /// A hotkey's root dividend of <paramref name="alpha"/> on a subnet (<c>increase_root_claimable_for_hotkey_and_subnet</c>):
    /// accrued per rao of its root stake, to be claimed by its root nominators; more than its whole root stake is staked to
    /// its owner on the subnet instead. Returns the alpha staked that way (0 when it became claimable).
    /// </summary>
    public static async ValueTask<bool> AccrueAsync(ChainPlan plan, SubnetEconomy e, string hotkey, ulong alpha)
    {
        if (alpha == 0) return true;
        ulong total = (await plan.HotkeyAsync(hotkey)).StakeIn(Netuid);
        if (alpha > total) return false;
        ulong rate = (ulong)(((UInt128)alpha << 32) / total);
        e.RootClaimableAlpha += alpha;
        await plan.HotkeyAsync(hotkey, new HotkeyChange { RootClaimable = [new RootClaimableRate(e.Netuid, rate) { Generation = e.RegisteredAt }] });
        return true;
    }

    /// <summary>
    /// <c>root_claim_on_subnet</c>: pays (hotkey, coldkey) what it is owed on the subnet when at least
    /// <see cref="ClaimThreshold"/> — Swap sells it on the subnet's pool without a fee and stakes the TAO on root on the hotkey,
    /// Keep stakes the alpha on the hotkey in the subnet — and records it claimed. Returns the alpha claimed (0: nothing).
    /// </summary>
    public static async ValueTask<ulong> ClaimAsync(ChainPlan plan, string hotkey, string coldkey, ushort netuid, RootClaimType type)
    {
        if (plan.Economy(netuid) is not { } e) return 0;
        var state = await plan.HotkeyAsync(hotkey);
        ulong owed = Owed(state, coldkey, netuid, e.RegisteredAt);
        if (owed < ClaimThreshold || owed == 0) return 0;
        ulong pay = Math.Min(owed, e.RootClaimableAlpha); // the bucket never goes below zero, whatever the rates' rounding
        e.RootClaimableAlpha -= pay;
        if (type == RootClaimType.Swap)
        {
            ulong tao = PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, pay, feeRate: 0, quoteWeight: e.QuoteWeight);
            e.PoolAlpha += pay;
            e.PoolTao -= tao;
            await StakeAsync(plan, hotkey, coldkey, (long)tao);
            plan.Emit(new ChainEvent { Kind = EventKinds.RootClaimed, Coldkey = coldkey, Hotkey = hotkey, Netuid = netuid, Alpha = pay, Tao = tao });
        }
        else
        {
            e.AlphaStaked += pay;
            await plan.SubnetAsync(netuid, new NeuronStake(hotkey, (long)pay));
            await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = [new StakeDelta(netuid, coldkey, (long)pay)] });
            plan.Emit(new ChainEvent { Kind = EventKinds.RootClaimed, Coldkey = coldkey, Hotkey = hotkey, Netuid = netuid, Alpha = pay });
        }
        state = await plan.HotkeyAsync(hotkey);
        ulong claimed = state.RootClaimed.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));
        await plan.HotkeyAsync(hotkey, new HotkeyChange { RootClaimed = [new RootClaimedTotal(netuid, coldkey, ulong.MaxValue - claimed < owed ? ulong.MaxValue : claimed + owed)] });
        return pay;
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

    /// <summary>
    /// <c>root_proportion</c> (<c>block_step.rs</c>): <c>tao_weight·root_tao / (tao_weight·root_tao + alpha_issuance)</c> as
    /// U96F32 bits (32 fractional bits, at most 2³²); 0 with no root stake.
    /// </summary>
    public static ulong Proportion(ulong rootStake, ulong taoWeight, ulong alphaIssuance)
    {
        UInt128 weighted = (UInt128)rootStake * WeightBits(taoWeight); // U96F32 bits of root_tao·tao_weight
        UInt128 total = weighted + ((UInt128)alphaIssuance << 32);
        return total == 0 ? 0 : (ulong)((weighted << 32) / total);
    }

    /// <summary>
    /// A subnet's TAO emission for the block enters its pool as subtensor's <c>get_subnet_terms</c> and
    /// <c>inject_and_maybe_swap</c> do: <c>alpha_in = tao/price</c> capped at <c>root_proportion·alpha_emission</c> (then
    /// <c>tao_in = alpha_in·price</c>), in U96F32; the pool's weights are re-solved for (tao_in, alpha_in)
    /// (<see cref="WeightedPool.WeightsAfterInjection"/>, nothing injected when a weight would leave [0.01, 0.99]); the
    /// excess TAO buys alpha for the protocol without a fee at the new weights; then tao_in and the minted alpha_in join the
    /// reserves. Returns the TAO not spent (rounding, a refused injection), which the caller recycles. With no root stake
    /// (root proportion 0) the whole emission buys protocol alpha, as before the root network.
    /// </summary>
    public static ulong Inject(SubnetEconomy e, ulong tao, ulong alphaEmission, ulong rootProportion)
    {
        UInt128 price = WeightedPool.PriceBits(e.PoolTao, e.PoolAlpha, e.QuoteWeight) >> 32; // U64F64 → U96F32, truncated
        UInt128 taoBits = (UInt128)tao << 32;
        UInt128 alphaIn = price == 0 ? 0 : (taoBits << 32) / price;
        UInt128 taoIn = taoBits;
        UInt128 cap = (UInt128)rootProportion * alphaEmission;
        if (alphaIn > cap)
        {
            alphaIn = cap;
            taoIn = alphaIn * price >> 32;
        }
        ulong excess = (ulong)((taoBits > taoIn ? taoBits - taoIn : 0) >> 32);
        ulong injectTao = (ulong)(taoIn >> 32), injectAlpha = (ulong)(alphaIn >> 32);
        if (WeightedPool.WeightsAfterInjection(e.PoolTao, e.PoolAlpha, injectTao, injectAlpha, e.QuoteWeight) is ulong weight)
            e.QuoteWeight = weight;
        else injectTao = injectAlpha = 0;
        if (excess > 0)
        {
            ulong bought = PoolMath.AlphaOut(e.PoolTao, e.PoolAlpha, excess, feeRate: 0, quoteWeight: e.QuoteWeight);
            e.PoolTao += excess;
            e.PoolAlpha -= bought;
            e.ProtocolAlpha += bought;
        }
        e.PoolAlpha += injectAlpha;
        e.AlphaIssued += injectAlpha;
        e.PoolTao += injectTao;
        return tao - excess - injectTao;
    }

    /// <summary>Root's part of the validators' alpha: <c>root_proportion·½·rest</c>, floored (<c>emit_to_subnets</c>).</summary>
    public static ulong AlphaShare(ulong rest, ulong rootProportion) => (ulong)((UInt128)rest * rootProportion >> 33);

    /// <summary>
    /// <c>calculate_dividend_distribution</c> in U96F32: each hotkey's dividend <c>d</c> splits by
    /// <c>root_prop = r·tao_weight / (a + r·tao_weight)</c> (a: alpha staked on the hotkey here, r: its root stake) into a root
    /// part and an alpha part; the alpha parts are rescaled to sum to <paramref name="pendingAlpha"/>, the root parts to
    /// <paramref name="pendingRoot"/>; each floored. Returned in the order given.
    /// </summary>
    public static List<(string Hotkey, ulong Alpha, ulong Root)> DividendDistribution(ulong pendingAlpha, ulong pendingRoot, ulong taoWeight,
        IReadOnlyList<(string Hotkey, ulong Dividend, ulong AlphaStake, ulong RootStake)> dividends)
    {
        UInt128 weight = WeightBits(taoWeight), totalRoot = 0, totalAlpha = 0;
        var split = new List<(string Hotkey, UInt128 Alpha, UInt128 Root)>(dividends.Count);
        foreach (var (hotkey, dividend, alphaStake, rootStake) in dividends)
        {
            UInt128 rootAlpha = rootStake * weight, total = ((UInt128)alphaStake << 32) + rootAlpha;
            UInt128 prop = total == 0 ? 0 : (rootAlpha << 32) / total;
            UInt128 root = dividend * prop, alpha = ((UInt128)dividend << 32) - root;
            split.Add((hotkey, alpha, root));
            totalRoot += root;
            totalAlpha += alpha;
        }
        var result = new List<(string, ulong, ulong)>(split.Count);
        foreach (var (hotkey, alpha, root) in split)
        {
            UInt128 alphaShare = totalAlpha == 0 ? 0 : (alpha << 32) / totalAlpha, rootShare = totalRoot == 0 ? 0 : (root << 32) / totalRoot;
            result.Add((hotkey, (ulong)(pendingAlpha * alphaShare >> 32), (ulong)(pendingRoot * rootShare >> 32)));
        }
        return result;
    }

    /// <summary>A validator's take of a root dividend: <c>take/65535 · amount</c> in U96F32, floored (<c>get_hotkey_take_float</c>).</summary>
    public static ulong Take(ulong amount, ushort take) => (ulong)((((UInt128)take << 32) / 65535 * amount) >> 32);

    /// <summary><c>get_network_root_sell_flag</c>: root alpha is paid out only while Σ moving prices of the emitting subnets exceeds 1.</summary>
    public static bool SellFlag(IEnumerable<SubnetEconomy> subnets)
    {
        double total = 0;
        foreach (var s in subnets) if (s.Started) total += s.MovingPrice;
        return total > 1.0;
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
