using System.Text.Json;
using Bittensor.Testing;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Moving stake, price-limited staking, unstaking everything and the delegate take, on the runtime over plain dictionaries
/// (<see cref="InMemoryChain"/>): every rule's rejection with its code and an unchanged state, the amounts each path
/// moves to the rao, and conservation through random sequences of these calls.
/// </summary>
public sealed class StakeMovementTests
{
    private const string Owner = "owner", OwnerHot = "owner-hot", Alice = "alice", AliceHot = "alice-hot", Bob = "bob", BobHot = "bob-hot", Carol = "carol";
    private const ushort One = 1, Two = 2;

    /// <summary>Two subnets (both locked 100 TAO at block 0, so pools of 100/100 TAO/alpha), Alice registered and staked 100 TAO on subnet 1, Bob registered on subnet 2.</summary>
    private static async Task<InMemoryChain> Chain(ChainRules? rules = null)
    {
        var chain = new InMemoryChain(rules ?? new ChainRules { Id = "test", Faucet = true, StartSubnetsAtCreation = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, WeightFee = 0 }, TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        foreach (var (cold, hot, netuid) in new[] { (Alice, AliceHot, One), (Bob, BobHot, Two) })
        {
            await Ok(chain, new Faucet { Signer = cold, Amount = 500 * Tao.Rao });
            await Ok(chain, new BurnedRegister { Signer = cold, Netuid = netuid, Hotkey = hot });
        }
        await Ok(chain, new Faucet { Signer = Carol, Amount = 100 * Tao.Rao });
        await Ok(chain, new AddStake { Signer = Alice, Hotkey = AliceHot, Netuid = One, Amount = 100 * Tao.Rao });
        return chain;
    }

    internal static async Task<OpResult> Ok(InMemoryChain chain, Operation op)
    {
        var r = await chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        AssertConsistent(chain);
        return r;
    }

    /// <summary>
    /// Conservation to the rao, and every neuron's stake equal to its hotkey's stake in the subnet; so is the subnet's index
    /// of staked hotkeys, registered or not (what a dissolution pays and parents lend from).
    /// </summary>
    internal static void AssertConsistent(InMemoryChain chain)
    {
        Assert.True(chain.Conserved(), $"conservation at block {chain.State.Block}");
        foreach (ushort netuid in chain.State.Subnets.Keys.Append(RootNetwork.Netuid))
        {
            if (chain.Subnet(netuid) is not { } s) continue; // root before anything touched it
            foreach (var n in s.Neurons)
                Assert.Equal(chain.Hotkey(n.Hotkey).StakeIn(netuid), n.Stake);
            var staked = chain.Hotkeys.Select(h => (h, chain.Hotkey(h).StakeIn(netuid))).Where(x => x.Item2 > 0).OrderBy(x => x.h, StringComparer.Ordinal);
            Assert.Equal(staked, s.StakedHotkeys.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Key, StringComparer.Ordinal));
        }
    }

    /// <summary>Everything a call could change, as comparable JSON.</summary>
    internal static string Snapshot(InMemoryChain chain) => JsonSerializer.Serialize(new object[]
    {
        chain.State.Subnets.OrderBy(s => s.Key).Select(s => s.Value).ToList(),
        new[] { chain.State.FreeTotal, chain.State.TotalIssuance, chain.State.AccountCount, chain.State.HotkeyCount, (ulong)chain.State.Seq, chain.State.RootStake },
        RootSnapshot(chain),
        chain.Accounts.Order(StringComparer.Ordinal).Select(a => (a, chain.Account(a).Balance, chain.Account(a).Nonce)).Select(t => t.ToString()).ToList(),
        chain.Hotkeys.Order(StringComparer.Ordinal).Select(h => KeyLedger.View(h, chain.Hotkey(h))).Select(v => JsonSerializer.Serialize(v)).ToList(),
        chain.State.Subnets.Keys.Order().Select(n => chain.Subnet(n)!.Neurons.Select(x => $"{x.Hotkey}:{x.Stake}").ToList()).ToList(),
        chain.State.Subnets.Keys.Order().Select(n => chain.Subnet(n)!.OwnerHotkey).ToList(),
        chain.State.Subnets.Keys.Order().Select(n => chain.Subnet(n)!).Select(s => JsonSerializer.Serialize(new object[]
        {
            s.Children.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(), s.PendingChildren.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(),
            s.ChildkeyTakes.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(), s.ChildrenSetAt.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(),
            s.ChildkeyTakeSetAt.OrderBy(c => c.Key, StringComparer.Ordinal).ToList(),
        })).ToList(),
        chain.Hotkeys.Order(StringComparer.Ordinal).Select(h => chain.Hotkey(h).TakeChangedAt).ToList(),
    });

    /// <summary>The root roster: members and root stake per hotkey.</summary>
    private static List<string> RootSnapshot(InMemoryChain chain) => chain.Subnet(RootNetwork.Netuid) is not { } root ? [] :
        [.. root.Neurons.Select(x => $"{x.Hotkey}:{x.Coldkey}:{x.Stake}"), .. root.StakedHotkeys.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}")];

    internal static async Task<OpResult> Rejected(InMemoryChain chain, Operation op, string code)
    {
        string before = Snapshot(chain);
        int events = chain.Events.Count;
        var r = await chain.ExecuteAsync(op);
        Assert.False(r.Ok, $"{op.GetType().Name} was accepted; expected {code}");
        Assert.Equal(code, r.Code);
        Assert.False(string.IsNullOrWhiteSpace(r.Message));
        Assert.Equal(before, Snapshot(chain));
        Assert.Equal(events, chain.Events.Count);
        return r;
    }

    private static ulong StakeOf(InMemoryChain chain, string hotkey, ushort netuid, string coldkey) =>
        chain.Hotkey(hotkey).Stakes.GetValueOrDefault(KeyLedger.StakeKey(netuid, coldkey));

    private static MoveStake Move(string from, string to, ushort origin, ushort destination, ulong alpha) => new()
    {
        Signer = Alice, OriginHotkey = from, DestinationHotkey = to, OriginNetuid = origin, DestinationNetuid = destination, AlphaAmount = alpha,
    };

    // ---- move_stake, transfer_stake, swap_stake: rules ----

    [Fact]
    public async Task MoveStake_RejectsTheSameStake_SameNetuid() => await Rejected(await Chain(), Move(AliceHot, AliceHot, One, One, Tao.Rao), Codes.SameNetuid);

    [Fact]
    public async Task MoveStake_RejectsAMissingOriginOrDestinationSubnet_SubnetNotFound()
    {
        var chain = await Chain();
        await Rejected(chain, Move(AliceHot, AliceHot, 9, One, Tao.Rao), Codes.SubnetNotFound);
        await Rejected(chain, Move(AliceHot, AliceHot, One, 9, Tao.Rao), Codes.SubnetNotFound);
    }

    [Fact]
    public async Task MoveStake_RejectsAnUnknownHotkey_HotkeyNotFound()
    {
        var chain = await Chain();
        await Rejected(chain, Move(AliceHot, "nobody-hot", One, One, Tao.Rao), Codes.HotkeyNotFound);
        await Rejected(chain, Move("nobody-hot", AliceHot, One, Two, Tao.Rao), Codes.HotkeyNotFound);
    }

    [Fact]
    public async Task MoveStake_RejectsLessThanTheMinimumStake_AmountTooLow()
    {
        var chain = await Chain();
        await Rejected(chain, Move(AliceHot, BobHot, One, One, Tao.MinStake / 10), Codes.AmountTooLow); // within a subnet: worth < 0.002 TAO at price ≈ 4
        await Rejected(chain, Move(AliceHot, AliceHot, One, Two, Tao.MinStake / 10), Codes.AmountTooLow); // across: must return more than the minimum
        await Rejected(chain, Move(BobHot, BobHot, Two, One, 10 * Tao.Rao), Codes.AmountTooLow); // Alice holds nothing on Bob's hotkey
    }

    [Fact]
    public async Task MoveStake_RejectsANewNominatorBeyondTheBound_TooManyNominators()
    {
        var chain = await Chain(new ChainRules { Id = "test", Faucet = true, StartSubnetsAtCreation = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, WeightFee = 0, MaxNominatorsPerHotkey = 1 });
        await Ok(chain, new AddStake { Signer = Bob, Hotkey = BobHot, Netuid = Two, Amount = 10 * Tao.Rao });
        await Rejected(chain, Move(AliceHot, BobHot, One, Two, 10 * Tao.Rao), Codes.TooManyNominators);
    }

    [Fact]
    public async Task TransferStake_RejectsWhenTheOwnerDisallowsIt_TransferDisallowed()
    {
        var chain = await Chain();
        await Ok(chain, new SetHyperparameter { Signer = Owner, Netuid = Two, Name = "transfer_allowed", Value = "false" });
        await Rejected(chain, new TransferStake { Signer = Alice, DestinationColdkey = Carol, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = Two, AlphaAmount = 10 * Tao.Rao },
            Codes.TransferDisallowed);
        await Ok(chain, new SetHyperparameter { Signer = Owner, Netuid = One, Name = "transfer_allowed", Value = "false" });
        await Rejected(chain, new TransferStake { Signer = Alice, DestinationColdkey = Carol, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = One, AlphaAmount = 10 * Tao.Rao },
            Codes.TransferDisallowed);
        // move_stake and swap_stake keep the coldkey: the toggle does not apply to them.
        await Ok(chain, Move(AliceHot, AliceHot, One, Two, 10 * Tao.Rao));
    }

    [Fact]
    public async Task SwapStakeLimit_RejectsAMoveBeyondTheLimit_SlippageTooHigh_OrCutsItWithAllowPartial()
    {
        var chain = await Chain();
        ulong held = StakeOf(chain, AliceHot, One, Alice);
        // The ratio of prices (subnet 1 / subnet 2) is about 4 now; a limit of 1.9 lets part of the stake go.
        var limited = new SwapStakeLimit { Signer = Alice, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = Two, AlphaAmount = held, LimitPrice = 1_900_000_000 };
        await Rejected(chain, limited, Codes.SlippageTooHigh);
        await Rejected(chain, limited with { LimitPrice = 10 * Tao.Rao, AllowPartial = true }, Codes.SlippageTooHigh); // already past: nothing fits
        await Ok(chain, limited with { AllowPartial = true });
        ulong left = StakeOf(chain, AliceHot, One, Alice);
        Assert.InRange(left, 1UL, held - 1);
        var (o, d) = (chain.State.Subnets[One], chain.State.Subnets[Two]);
        ulong ratio = (ulong)((UInt128)PoolMath.PriceRao(o.PoolTao, o.PoolAlpha) * Tao.Rao / PoolMath.PriceRao(d.PoolTao, d.PoolAlpha));
        Assert.InRange(ratio, 1_900_000_000UL - 5_000_000, 1_910_000_000UL); // stopped at the limit (up to the prices' rounding)
    }

    // ---- move_stake, transfer_stake, swap_stake: effects ----

    [Fact]
    public async Task MoveStake_WithinASubnet_MovesAlphaWithoutThePool()
    {
        var chain = await Chain();
        var pool = (chain.State.Subnets[One].PoolTao, chain.State.Subnets[One].PoolAlpha);
        ulong held = StakeOf(chain, AliceHot, One, Alice);
        var r = await Ok(chain, Move(AliceHot, OwnerHot, One, One, 10 * Tao.Rao));
        Assert.Equal(10 * Tao.Rao, r.Amount);
        Assert.Equal(held - 10 * Tao.Rao, StakeOf(chain, AliceHot, One, Alice));
        Assert.Equal(10 * Tao.Rao, StakeOf(chain, OwnerHot, One, Alice));
        Assert.Equal(pool, (chain.State.Subnets[One].PoolTao, chain.State.Subnets[One].PoolAlpha));
    }

    [Fact]
    public async Task MoveStake_OfMoreThanHeld_MovesEverythingHeld()
    {
        var chain = await Chain();
        ulong held = StakeOf(chain, AliceHot, One, Alice);
        await Ok(chain, Move(AliceHot, OwnerHot, One, One, ulong.MaxValue));
        Assert.Equal(0UL, StakeOf(chain, AliceHot, One, Alice));
        Assert.Equal(held, StakeOf(chain, OwnerHot, One, Alice));
    }

    [Fact]
    public async Task SwapStake_AcrossSubnets_SellsWithTheFeeAndBuysWithoutOne()
    {
        var chain = await Chain();
        var (o, d) = (chain.State.Subnets[One].Clone(), chain.State.Subnets[Two].Clone());
        ulong alpha = 20 * Tao.Rao;
        ulong tao = PoolMath.TaoOut(o.PoolTao, o.PoolAlpha, alpha);
        ulong bought = PoolMath.AlphaOut(d.PoolTao, d.PoolAlpha, tao, feeRate: 0);
        var r = await Ok(chain, new SwapStake { Signer = Alice, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = Two, AlphaAmount = alpha });
        Assert.Equal(bought, r.Amount);
        Assert.Equal(bought, StakeOf(chain, AliceHot, Two, Alice));
        Assert.Equal((o.PoolTao - tao, o.PoolAlpha + alpha), (chain.State.Subnets[One].PoolTao, chain.State.Subnets[One].PoolAlpha));
        Assert.Equal((d.PoolTao + tao, d.PoolAlpha - bought), (chain.State.Subnets[Two].PoolTao, chain.State.Subnets[Two].PoolAlpha));
        Assert.True(PoolMath.Fee(alpha) > 0);
    }

    [Fact]
    public async Task TransferStake_GivesTheAlphaToAnotherColdkey()
    {
        var chain = await Chain();
        ulong held = StakeOf(chain, AliceHot, One, Alice);
        await Ok(chain, new TransferStake { Signer = Alice, DestinationColdkey = Carol, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = One, AlphaAmount = 5 * Tao.Rao });
        Assert.Equal((held - 5 * Tao.Rao, 5 * Tao.Rao), (StakeOf(chain, AliceHot, One, Alice), StakeOf(chain, AliceHot, One, Carol)));
        await Ok(chain, new TransferStake { Signer = Alice, DestinationColdkey = Carol, Hotkey = AliceHot, OriginNetuid = One, DestinationNetuid = Two, AlphaAmount = 5 * Tao.Rao });
        Assert.True(StakeOf(chain, AliceHot, Two, Carol) > 0);
    }

    // ---- add_stake_limit, remove_stake_limit ----

    [Fact]
    public async Task AddStakeLimit_RejectsABuyPastTheLimit_SlippageTooHigh_AndCutsItWithAllowPartial()
    {
        var chain = await Chain();
        var e = chain.State.Subnets[Two];
        ulong limit = PoolMath.PriceRao(e.PoolTao, e.PoolAlpha) * 11 / 10;
        var buy = new AddStakeLimit { Signer = Carol, Hotkey = BobHot, Netuid = Two, Amount = 50 * Tao.Rao, LimitPrice = limit };
        await Rejected(chain, buy, Codes.SlippageTooHigh);
        await Rejected(chain, buy with { LimitPrice = 1, AllowPartial = true }, Codes.AmountTooLow); // nothing (< 0.002 TAO) fits under the limit
        ulong max = PoolMath.MaxBuy(e.PoolTao, e.PoolAlpha, limit, buy.Amount);
        ulong balance = chain.Account(Carol).Balance;
        await Ok(chain, buy with { AllowPartial = true });
        Assert.Equal(balance - max, chain.Account(Carol).Balance);
        e = chain.State.Subnets[Two];
        Assert.True(PoolMath.PriceRao(e.PoolTao, e.PoolAlpha) <= limit);
        Assert.True(PoolMath.PriceAfterBuy(e.PoolTao, e.PoolAlpha, Tao.MinStake) > limit - limit / 1000);
    }

    [Fact]
    public async Task RemoveStakeLimit_RejectsASellPastTheLimit_SlippageTooHigh_AndCutsItWithAllowPartial()
    {
        var chain = await Chain();
        var e = chain.State.Subnets[One];
        ulong held = StakeOf(chain, AliceHot, One, Alice);
        ulong limit = PoolMath.PriceRao(e.PoolTao, e.PoolAlpha) * 9 / 10;
        var sell = new RemoveStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = One, Amount = held, LimitPrice = limit };
        await Rejected(chain, sell, Codes.SlippageTooHigh);
        await Rejected(chain, sell with { LimitPrice = ulong.MaxValue, AllowPartial = true }, Codes.SlippageTooHigh);
        await Rejected(chain, sell with { Amount = held + 1 }, Codes.NotEnoughStake);
        ulong max = PoolMath.MaxSell(e.PoolTao, e.PoolAlpha, limit, held);
        await Ok(chain, sell with { AllowPartial = true });
        Assert.Equal(held - max, StakeOf(chain, AliceHot, One, Alice));
        e = chain.State.Subnets[One];
        Assert.True(PoolMath.PriceRao(e.PoolTao, e.PoolAlpha) >= limit);
    }

    [Fact]
    public async Task AddStake_GetsExactlyWhatTheQuoteSaid()
    {
        var chain = await Chain();
        var e = chain.State.Subnets[Two];
        var quote = SwapQuote.For(e.PoolTao, e.PoolAlpha, buy: true, 30 * Tao.Rao);
        var r = await Ok(chain, new AddStake { Signer = Carol, Hotkey = BobHot, Netuid = Two, Amount = 30 * Tao.Rao });
        Assert.Equal(quote.AmountOut, r.Amount);
        Assert.Equal(quote.PriceAfter, PoolMath.PriceRao(chain.State.Subnets[Two].PoolTao, chain.State.Subnets[Two].PoolAlpha));
        Assert.InRange(quote.PriceImpact, 0.2, 0.25); // 30 TAO into a 101 TAO pool: ≈ 23% less than at the spot price
        var sell = SwapQuote.For(chain.State.Subnets[Two].PoolTao, chain.State.Subnets[Two].PoolAlpha, buy: false, r.Amount!.Value);
        Assert.Equal(sell.AmountOut, (await Ok(chain, new RemoveStake { Signer = Carol, Hotkey = BobHot, Netuid = Two, Amount = r.Amount.Value })).Amount);
    }

    // ---- unstake_all, unstake_all_alpha ----

    [Fact]
    public async Task UnstakeAll_RejectsAnUnknownHotkey_HotkeyNotFound_AndNothingToSell_AmountTooLow()
    {
        var chain = await Chain();
        await Rejected(chain, new UnstakeAll { Signer = Alice, Hotkey = "nobody-hot" }, Codes.HotkeyNotFound);
        await Rejected(chain, new UnstakeAll { Signer = Carol, Hotkey = AliceHot }, Codes.AmountTooLow);
        await Rejected(chain, new UnstakeAllAlpha { Signer = Carol, Hotkey = AliceHot }, Codes.AmountTooLow);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnstakeAll_SellsEverySubnetsStake_ForFreeTao_UnstakeAllAlpha_StakesItOnRoot(bool alphaOnly)
    {
        var chain = await Chain();
        await Ok(chain, Move(AliceHot, AliceHot, One, Two, 30 * Tao.Rao));
        await Ok(chain, new AddStake { Signer = Alice, Hotkey = AliceHot, Netuid = RootNetwork.Netuid, Amount = 7 * Tao.Rao });
        ulong expected = chain.State.Subnets.Values.Aggregate(0UL, (sum, e) => sum + PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, StakeOf(chain, AliceHot, e.Netuid, Alice)));
        ulong balance = chain.Account(Alice).Balance;
        var r = await Ok(chain, alphaOnly ? new UnstakeAllAlpha { Signer = Alice, Hotkey = AliceHot } : new UnstakeAll { Signer = Alice, Hotkey = AliceHot });
        if (alphaOnly)
        {
            // subtensor's do_unstake_all_alpha: the alpha is sold and the TAO staked on root, beside what was there.
            Assert.Equal(expected, r.Amount);
            Assert.Equal(balance, chain.Account(Alice).Balance);
            Assert.Equal(7 * Tao.Rao + expected, StakeOf(chain, AliceHot, RootNetwork.Netuid, Alice));
            Assert.Equal(7 * Tao.Rao + expected, chain.State.RootStake);
            Assert.Equal([KeyLedger.StakeKey(RootNetwork.Netuid, Alice)], chain.Hotkey(AliceHot).Stakes.Keys.Where(k => k.EndsWith($"|{Alice}", StringComparison.Ordinal)));
            return;
        }
        Assert.Equal(expected + 7 * Tao.Rao, r.Amount); // root too, 1:1
        Assert.Equal(balance + expected + 7 * Tao.Rao, chain.Account(Alice).Balance);
        Assert.Equal(0UL, chain.State.RootStake);
        Assert.DoesNotContain(chain.Hotkey(AliceHot).Stakes.Keys, k => k.EndsWith($"|{Alice}", StringComparison.Ordinal));
    }

    // ---- delegate take ----

    [Fact]
    public async Task Take_IncreasesAreRateLimited_DelegateTxRateLimitExceeded_DecreasesAreImmediate()
    {
        var chain = await Chain(new ChainRules { Id = "test", Faucet = true, StartSubnetsAtCreation = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, WeightFee = 0, TakeRateLimit = 5 });
        await chain.ProduceBlockAsync(); // a change at block 0 counts as none, as subtensor's LastTxBlockDelegateTake = 0 does
        await Ok(chain, new DecreaseTake { Signer = Alice, Hotkey = AliceHot, Take = 5_000 });
        Assert.Equal((ushort)5_000, chain.Hotkey(AliceHot).Take);
        await Ok(chain, new SetTake { Signer = Alice, Hotkey = AliceHot, Take = 4_000 }); // a cut through set_take: immediate too
        var r = await Rejected(chain, new SetTake { Signer = Alice, Hotkey = AliceHot, Take = 6_000 }, Codes.DelegateTxRateLimitExceeded);
        await Rejected(chain, new IncreaseTake { Signer = Alice, Hotkey = AliceHot, Take = 6_000 }, Codes.DelegateTxRateLimitExceeded);
        Assert.Equal(chain.State.Block + 6, r.NextAllowedBlock);
        while (chain.State.Block < r.NextAllowedBlock) await chain.ProduceBlockAsync();
        await Ok(chain, new IncreaseTake { Signer = Alice, Hotkey = AliceHot, Take = 6_000 });
        Assert.Equal((ushort)6_000, chain.Hotkey(AliceHot).Take);
    }

    [Fact]
    public async Task Take_RejectsEachBrokenRule_WithItsCode()
    {
        var chain = await Chain();
        await Rejected(chain, new IncreaseTake { Signer = Alice, Hotkey = AliceHot, Take = HotkeyState.DefaultTake + 1 }, Codes.TakeTooHigh);
        await Rejected(chain, new IncreaseTake { Signer = Alice, Hotkey = AliceHot, Take = HotkeyState.DefaultTake }, Codes.DelegateTakeTooLow);
        await Rejected(chain, new DecreaseTake { Signer = Alice, Hotkey = AliceHot, Take = HotkeyState.DefaultTake }, Codes.DelegateTakeTooLow);
        await Rejected(chain, new SetTake { Signer = Alice, Hotkey = AliceHot, Take = HotkeyState.DefaultTake }, Codes.DelegateTakeTooLow);
        await Rejected(chain, new DecreaseTake { Signer = Bob, Hotkey = AliceHot, Take = 1 }, Codes.NotOwner);
        await Rejected(chain, new DecreaseTake { Signer = Bob, Hotkey = "nobody-hot", Take = 1 }, Codes.HotkeyNotFound);
        var floor = await Chain(new ChainRules { Id = "test", Faucet = true, StartSubnetsAtCreation = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, WeightFee = 0, MinTake = 1_000 });
        await Rejected(floor, new DecreaseTake { Signer = Alice, Hotkey = AliceHot, Take = 999 }, Codes.DelegateTakeTooLow);
    }

    // ---- conservation ----

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomSequencesOfStakeCalls_NeverCreateOrDestroyARao(int seed)
    {
        var chain = await Chain(new ChainRules { Id = "test", Faucet = true, StartSubnetsAtCreation = true, MinLockCost = 100 * Tao.Rao, NetworkRateLimit = 0, WeightFee = 0, NewSubnetTempo = 10, TakeRateLimit = 3 });
        var rng = new Random(seed);
        // Σ moving prices above 1, so root alpha is paid out as root dividends (get_network_root_sell_flag) and claims have something to claim.
        foreach (var e in chain.State.Subnets.Values) e.MovingPrice = 1.0;
        string[] coldkeys = [Alice, Bob, Carol, Owner];
        string[] hotkeys = [AliceHot, BobHot, OwnerHot, "nobody-hot"];
        string Cold() => coldkeys[rng.Next(coldkeys.Length)];
        string Hot() => hotkeys[rng.Next(10) == 0 ? 3 : rng.Next(3)];
        ushort Net() => (ushort)(rng.Next(10) == 0 ? 3 : rng.Next(9) == 0 ? RootNetwork.Netuid : rng.Next(1, 3)); // 3 does not exist; 0 is root
        ulong Amount() => rng.Next(8) switch { 0 => (ulong)rng.NextInt64(0, 3 * (long)Tao.MinStake), 1 => ulong.MaxValue, _ => (ulong)rng.NextInt64(0, 20 * (long)Tao.Rao) };
        // Most calls start from a stake that exists (else nearly every move is refused for want of stake).
        (string Cold, string Hot, ushort Net) Held()
        {
            var held = chain.Hotkeys.Order(StringComparer.Ordinal)
                .SelectMany(h => KeyLedger.View(h, chain.Hotkey(h)).Stakes.Select(e => (e.Coldkey, h, e.Netuid))).ToList();
            return held.Count == 0 || rng.Next(5) == 0 ? (Cold(), Hot(), Net()) : held[rng.Next(held.Count)];
        }
        ulong Price() => (ulong)rng.NextInt64(0, 3 * (long)Tao.Rao);
        int applied = 0;
        for (int step = 0; step < 400; step++)
        {
            var (c, h, n) = Held();
            Operation op = rng.Next(17) switch
            {
                0 => new MoveStake { Signer = c, OriginHotkey = h, DestinationHotkey = Hot(), OriginNetuid = n, DestinationNetuid = Net(), AlphaAmount = Amount() },
                1 => new TransferStake { Signer = c, DestinationColdkey = Cold(), Hotkey = h, OriginNetuid = n, DestinationNetuid = Net(), AlphaAmount = Amount() },
                2 => new SwapStake { Signer = c, Hotkey = h, OriginNetuid = n, DestinationNetuid = Net(), AlphaAmount = Amount() },
                3 => new SwapStakeLimit { Signer = c, Hotkey = h, OriginNetuid = n, DestinationNetuid = Net(), AlphaAmount = Amount(), LimitPrice = Price(), AllowPartial = rng.Next(2) == 0 },
                4 => new AddStakeLimit { Signer = Cold(), Hotkey = Hot(), Netuid = Net(), Amount = Amount(), LimitPrice = 2 * Price(), AllowPartial = rng.Next(2) == 0 },
                5 => new RemoveStakeLimit { Signer = c, Hotkey = h, Netuid = n, Amount = Amount(), LimitPrice = Price(), AllowPartial = rng.Next(2) == 0 },
                6 => new UnstakeAll { Signer = c, Hotkey = h },
                7 => new UnstakeAllAlpha { Signer = c, Hotkey = h },
                8 or 9 => new AddStake { Signer = Cold(), Hotkey = Hot(), Netuid = Net(), Amount = Amount() },
                10 => new RemoveStake { Signer = c, Hotkey = h, Netuid = n, Amount = Amount() },
                11 => new SetTake { Signer = Cold(), Hotkey = Hot(), Take = (ushort)rng.Next(0, 13_000) },
                12 => new SetHyperparameter { Signer = Owner, Netuid = Net(), Name = "transfer_allowed", Value = rng.Next(3) == 0 ? "false" : "true" },
                13 => new RootRegister { Signer = Cold(), Hotkey = Hot() },
                14 => new ClaimRoot { Signer = c, Netuids = [Net(), Net()] },
                15 => new SetRootClaimType { Signer = Cold(), Type = rng.Next(2) == 0 ? "Swap" : "Keep" },
                _ => new Faucet { Signer = Cold(), Amount = (ulong)rng.NextInt64(1, 50 * (long)Tao.Rao) },
            };
            string before = Snapshot(chain);
            var r = await chain.ExecuteAsync(op);
            if (r.Ok) applied++;
            else Assert.Equal(before, Snapshot(chain));
            AssertConsistent(chain);
            if (step % 20 == 19) await chain.ProduceBlockAsync();
            AssertConsistent(chain);
        }
        Assert.True(applied > 140, $"only {applied} of 400 calls applied: the sequence tests too little");
        Assert.True(chain.State.RootStake > 0 || chain.Events.Any(e => e is { Kind: EventKinds.StakeAdded, Netuid: RootNetwork.Netuid }), "no root stake was ever added");
        Assert.True(chain.Events.Any(e => e.Kind == EventKinds.RootClaimed), "no root dividend was ever claimed");
    }
}
