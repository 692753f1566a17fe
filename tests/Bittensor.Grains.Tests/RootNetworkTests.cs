using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Testing;
using static Bittensor.Grains.Tests.StakeMovementTests;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The root network (netuid 0) on the runtime over plain dictionaries (<see cref="InMemoryChain"/>): <c>root_register</c>
/// with its replacement of the lowest-stake member and its rejections, TAO staked on root 1:1, and root stake in every
/// subnet's stake weight (<c>alpha + tao_weight·root_tao</c>, inherited through childkeys) worked by hand.
/// </summary>
public sealed class RootNetworkTests
{
    private const string Owner = "owner", OwnerHot = "owner-hot", Alice = "alice", AliceHot = "alice-hot", Bob = "bob", BobHot = "bob-hot",
        Carol = "carol", CarolHot = "carol-hot", Whale = "whale", Sudo = "root";
    private const ushort One = 1, Root = RootNetwork.Netuid;
    private const ulong Half = ulong.MaxValue / 2;

    private static ChainRules Rules() => new()
    {
        Id = "test", Faucet = true, MinLockCost = 100 * Tao.Rao, NewSubnetTempo = 10, StartSubnetsAtCreation = true, NetworkRateLimit = 0,
        WeightFee = 0, PendingChildKeyCooldown = 5, SetChildrenRateLimit = 20, Sudo = Sudo,
    };

    /// <summary>Subnet 1 (tempo 10); Alice (100 TAO staked), Bob (200 TAO) and Carol (miner) registered on it.</summary>
    private static async Task<InMemoryChain> Chain(ChainRules? rules = null)
    {
        var chain = new InMemoryChain(rules ?? Rules(), TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new SetHyperparameter { Signer = Sudo, Netuid = One, Name = "weights_rate_limit", Value = "0" });
        foreach (var (cold, hot) in new[] { (Alice, AliceHot), (Bob, BobHot), (Carol, CarolHot) })
        {
            await Ok(chain, new Faucet { Signer = cold, Amount = 5_000 * Tao.Rao });
            await Ok(chain, new BurnedRegister { Signer = cold, Netuid = One, Hotkey = hot });
        }
        await Ok(chain, new AddStake { Signer = Alice, Hotkey = AliceHot, Netuid = One, Amount = 100 * Tao.Rao });
        await Ok(chain, new AddStake { Signer = Bob, Hotkey = BobHot, Netuid = One, Amount = 200 * Tao.Rao });
        return chain;
    }

    private static AddStake RootStake(string coldkey, string hotkey, ulong tao) => new() { Signer = coldkey, Hotkey = hotkey, Netuid = Root, Amount = tao };

    // ---- staking on root ----

    [Fact]
    public async Task AddStake_OnRoot_Is1To1_NoPoolNoFee_AndRemoveStakeGivesItBack()
    {
        var chain = await Chain();
        ulong balance = chain.Account(Alice).Balance, issuance = chain.State.TotalIssuance;
        var pools = chain.State.Subnets.Values.Select(e => (e.PoolTao, e.PoolAlpha)).ToList();
        var r = await Ok(chain, RootStake(Alice, AliceHot, 300 * Tao.Rao));
        Assert.Equal(300 * Tao.Rao, r.Amount);
        Assert.Equal(balance - 300 * Tao.Rao, chain.Account(Alice).Balance);
        Assert.Equal(300 * Tao.Rao, chain.State.RootStake);
        Assert.Equal(300 * Tao.Rao, chain.Hotkey(AliceHot).StakeIn(Root));
        Assert.Equal(300 * Tao.Rao, chain.Subnet(Root)!.StakedHotkeys[AliceHot]);
        Assert.Equal(pools, chain.State.Subnets.Values.Select(e => (e.PoolTao, e.PoolAlpha)).ToList());
        Assert.Equal(issuance, chain.State.TotalIssuance);
        Assert.Contains(chain.Events, e => e is { Kind: "StakeAdded", Netuid: Root, Tao: 300 * Tao.Rao, Alpha: 300 * Tao.Rao });

        r = await Ok(chain, new RemoveStake { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = 120 * Tao.Rao });
        Assert.Equal(120 * Tao.Rao, r.Amount);
        Assert.Equal(balance - 180 * Tao.Rao, chain.Account(Alice).Balance);
        Assert.Equal(180 * Tao.Rao, chain.State.RootStake);
        await Ok(chain, new RemoveStake { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = 180 * Tao.Rao });
        Assert.Equal(0UL, chain.State.RootStake);
        Assert.Equal(balance, chain.Account(Alice).Balance);
        Assert.False(chain.Subnet(Root)!.StakedHotkeys.ContainsKey(AliceHot));
    }

    [Fact]
    public async Task StakeOnRoot_RejectsEachBrokenRule_WithItsCode()
    {
        var chain = await Chain();
        await Ok(chain, RootStake(Alice, AliceHot, 10 * Tao.Rao));
        await Rejected(chain, RootStake(Alice, AliceHot, Tao.MinStake - 1), Codes.AmountTooLow);
        await Rejected(chain, RootStake(Alice, "nobody-hot", Tao.Rao), Codes.HotkeyNotFound);
        await Rejected(chain, RootStake(Alice, AliceHot, 1_000_000 * Tao.Rao), Codes.InsufficientBalance);
        await Rejected(chain, new RemoveStake { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = 11 * Tao.Rao }, Codes.NotEnoughStake);
        await Rejected(chain, new RemoveStake { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.MinStake - 1 }, Codes.AmountTooLow);
        await Rejected(chain, new RemoveStake { Signer = Bob, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao }, Codes.NotEnoughStake);
        // Root's price is 1 TAO and never moves: a buy limit below it fits nothing, a sell limit above it fits nothing.
        await Rejected(chain, new AddStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao, LimitPrice = Tao.Rao - 1, AllowPartial = false }, Codes.SlippageTooHigh);
        await Rejected(chain, new AddStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao, LimitPrice = Tao.Rao - 1, AllowPartial = true }, Codes.AmountTooLow);
        await Rejected(chain, new RemoveStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao, LimitPrice = Tao.Rao + 1, AllowPartial = true }, Codes.SlippageTooHigh);
        await Ok(chain, new AddStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao, LimitPrice = Tao.Rao, AllowPartial = false });
        await Ok(chain, new RemoveStakeLimit { Signer = Alice, Hotkey = AliceHot, Netuid = Root, Amount = Tao.Rao, LimitPrice = Tao.Rao, AllowPartial = false });
        Assert.Equal(10 * Tao.Rao, chain.State.RootStake);
    }

    // ---- root_register ----

    [Fact]
    public async Task RootRegister_Appends_AndRejectsTwice_AlreadyRegistered_AndABadAddress_InvalidAddress()
    {
        var chain = await Chain();
        await Ok(chain, RootStake(Alice, AliceHot, 50 * Tao.Rao));
        var r = await Ok(chain, new RootRegister { Signer = Alice, Hotkey = AliceHot });
        Assert.Equal((ushort)0, r.Uid);
        var root = chain.Subnet(Root)!;
        Assert.Equal(AliceHot, root.Neurons[0].Hotkey);
        Assert.Equal(Alice, root.Neurons[0].Coldkey);
        Assert.Equal(50 * Tao.Rao, root.Neurons[0].Stake); // the root stake it already had
        Assert.Equal((ushort)0, chain.Hotkey(AliceHot).Registrations[Root]);
        // A fresh hotkey is associated with the signer (create_account_if_non_existent) and appended.
        r = await Ok(chain, new RootRegister { Signer = Carol, Hotkey = "carol-root-hot" });
        Assert.Equal((ushort)1, r.Uid);
        Assert.Equal(Carol, chain.Hotkey("carol-root-hot").Owner);
        Assert.Contains("carol-root-hot", chain.Account(Carol).Hotkeys);
        await Rejected(chain, new RootRegister { Signer = Alice, Hotkey = AliceHot }, Codes.AlreadyRegistered);
        await Rejected(chain, new RootRegister { Signer = Alice, Hotkey = "not an address!" }, Codes.InvalidAddress);
        Assert.DoesNotContain(Root, chain.State.Subnets.Keys); // root is no dynamic subnet: no pool, no emission
    }

    [Fact]
    public async Task RootRegister_WhenFull_ReplacesTheLowestStakeMember_OnlyWithMoreStake_StakeTooLowForRoot()
    {
        var chain = await Chain();
        await Ok(chain, new Faucet { Signer = Whale, Amount = 100 * Tao.Rao });
        for (int k = 0; k < RootNetwork.MaxValidators; k++)
        {
            string hot = $"whale-hot-{k}";
            await Ok(chain, new RootRegister { Signer = Whale, Hotkey = hot });
            // Member 7 has the least root stake (1 × the minimum); the others more.
            await Ok(chain, RootStake(Whale, hot, (ulong)(k == 7 ? 1 : k + 10) * Tao.MinStake));
        }
        Assert.Equal(RootNetwork.MaxValidators, chain.Subnet(Root)!.Neurons.Count);
        await Rejected(chain, new RootRegister { Signer = Alice, Hotkey = AliceHot }, Codes.StakeTooLowForRoot); // no root stake
        await Ok(chain, RootStake(Alice, AliceHot, Tao.MinStake));
        await Rejected(chain, new RootRegister { Signer = Alice, Hotkey = AliceHot }, Codes.StakeTooLowForRoot); // equal is not more
        await Ok(chain, RootStake(Alice, AliceHot, Tao.MinStake));
        var r = await Ok(chain, new RootRegister { Signer = Alice, Hotkey = AliceHot });
        Assert.Equal((ushort)7, r.Uid);
        var root = chain.Subnet(Root)!;
        Assert.Equal(RootNetwork.MaxValidators, root.Neurons.Count);
        Assert.Equal(AliceHot, root.Neurons[7].Hotkey);
        Assert.Equal(2 * Tao.MinStake, root.Neurons[7].Stake);
        Assert.False(chain.Hotkey("whale-hot-7").Registrations.ContainsKey(Root));
        Assert.Equal(Tao.MinStake, chain.Hotkey("whale-hot-7").StakeIn(Root)); // the replaced member keeps its root stake
        Assert.Contains(chain.Events, e => e is { Kind: "NeuronPruned", Hotkey: "whale-hot-7", Netuid: Root, Uid: 7 });
    }

    // ---- stake weight ----

    private static EpochRequest Request(InMemoryChain chain, ChainRules rules) =>
        EpochRequest.From(chain.Subnet(One)!, new EpochStart
        {
            Netuid = One, Index = 0, Block = chain.State.Block + 1, Hyper = chain.State.Subnets[One].Hyper, RaoEmission = 0,
            RootStakes = chain.Subnet(Root)?.StakedHotkeys, TaoWeight = rules.TaoWeight,
        });

    private static EpochRequest AlphaOnly(InMemoryChain chain) =>
        EpochRequest.From(chain.Subnet(One)!, new EpochStart { Netuid = One, Index = 0, Block = chain.State.Block + 1, Hyper = chain.State.Subnets[One].Hyper, RaoEmission = 0 });

    [Fact]
    public void TaoWeight_IsSubtensorsDefault_AsU96F32()
    {
        Assert.Equal(971_718_665_099_567_868UL, new ChainRules().TaoWeight);
        // get_tao_weight: 971718665099567868 / u64::MAX in U96F32 = floor(971718665099567868·2³² / (2⁶⁴−1)) / 2³² ≈ 0.05268.
        Assert.Equal(226_245_882UL, RootNetwork.WeightBits(RootNetwork.DefaultTaoWeight));
        // 1000 TAO on root: 10¹² · 226245882 / 2³² = 52 676 974 330 rao and 418 488 320 / 2³² (I64F64, exact).
        Assert.Equal((52_676_974_330UL, 418_488_320U), RootNetwork.StakeWeight(0, 1_000 * Tao.Rao, RootNetwork.DefaultTaoWeight));
        Assert.Equal((52_676_974_330UL + 7, 418_488_320U), RootNetwork.StakeWeight(7, 1_000 * Tao.Rao, RootNetwork.DefaultTaoWeight));
        Assert.Equal((7UL, 0U), RootNetwork.StakeWeight(7, 1_000 * Tao.Rao, 0));
    }

    [Fact]
    public async Task StakeWeight_IsAlphaPlusTaoWeightTimesRoot_InheritedThroughChildkeys_HandWorked()
    {
        var rules = Rules();
        var chain = await Chain(rules);
        await Ok(chain, RootStake(Alice, AliceHot, 1_000 * Tao.Rao));
        await Ok(chain, RootStake(Bob, BobHot, 400 * Tao.Rao));
        int alice = chain.Subnet(One)!.UidOf(AliceHot), bob = chain.Subnet(One)!.UidOf(BobHot), carol = chain.Subnet(One)!.UidOf(CarolHot);

        var alpha = AlphaOnly(chain);
        var withRoot = Request(chain, rules);
        Assert.Null(alpha.StakeFraction);
        // Alice: alpha + 1000 TAO · 0.05268… = alpha + 52 676 974 330 + 418 488 320/2³² (see TaoWeight_IsSubtensorsDefault_AsU96F32).
        Assert.Equal(alpha.Stake[alice] + 52_676_974_330UL, withRoot.Stake[alice]);
        Assert.Equal(418_488_320U, withRoot.StakeFraction![alice]);
        Assert.Equal(1_000 * Tao.Rao, withRoot.TaoStake![alice]);
        Assert.Equal(alpha.Stake[carol], withRoot.Stake[carol]); // no root stake
        Assert.Equal(0U, withRoot.StakeFraction[carol]);

        // Bob lends half to Alice: the root TAO is inherited as the alpha is (get_tao_inherited_for_hotkey_on_subnet, U96F32):
        // Half/u64::MAX = 2147483647/2³²; Alice: floor((10¹²·2³² + 4·10¹¹·2147483647)/2³²) = 1 199 999 999 906;
        // Bob: floor((4·10¹¹·2³² − 4·10¹¹·2147483647)/2³²) = 200 000 000 093.
        await Ok(chain, new SetChildren { Signer = Bob, Hotkey = BobHot, Netuid = One, Children = [new ChildLink(Half, AliceHot)] });
        for (int k = 0; k < 7; k++) await chain.ProduceBlockAsync();
        alpha = AlphaOnly(chain);
        withRoot = Request(chain, rules);
        Assert.Equal(1_199_999_999_906UL, withRoot.TaoStake![alice]);
        Assert.Equal(200_000_000_093UL, withRoot.TaoStake[bob]);
        // tao·226245882: Alice 63 212 369 191 + 709 909 556/2³²; Bob 10 535 394 870 + 3 944 695 506/2³².
        Assert.Equal(alpha.Stake[alice] + 63_212_369_191UL, withRoot.Stake[alice]);
        Assert.Equal(709_909_556U, withRoot.StakeFraction![alice]);
        Assert.Equal(alpha.Stake[bob] + 10_535_394_870UL, withRoot.Stake[bob]);
        Assert.Equal(3_944_695_506U, withRoot.StakeFraction[bob]);
    }

    [Fact]
    public async Task Epochs_CountRootStake_ThroughTheChainsOwnBlockStep()
    {
        var chain = await Chain();
        await Ok(chain, RootStake(Carol, CarolHot, 4_000 * Tao.Rao));
        ulong alphaBefore = chain.Subnet(One)!.Neurons[chain.Subnet(One)!.UidOf(CarolHot)].Stake; // a miner: 0 until its first incentive
        var requests = new List<EpochRequest>();
        chain.EpochRan = (request, _) => requests.Add(request);
        for (int k = 0; k < 12; k++) await chain.ProduceBlockAsync();
        AssertConsistent(chain);
        var request = Assert.Single(requests, r => r.Start.Netuid == One);
        int carol = chain.Subnet(One)!.UidOf(CarolHot);
        Assert.Equal(4_000 * Tao.Rao, request.TaoStake![carol]);
        Assert.Equal(RootNetwork.StakeWeight(alphaBefore, 4_000 * Tao.Rao, RootNetwork.DefaultTaoWeight).Whole, request.Stake[carol]);
        // The metagraph's tao_stake and total_stake (alpha + tao_weight·tao) come from the epoch that counted them.
        var neuron = chain.Subnet(One)!.Neurons[carol];
        Assert.Equal(4_000 * Tao.Rao, neuron.TaoStake);
        Assert.Equal(RootNetwork.StakeWeight(0, 4_000 * Tao.Rao, RootNetwork.DefaultTaoWeight).Whole, neuron.TaoWeighted);
        Assert.Equal(neuron.Stake + neuron.TaoWeighted, Bittensor.Grains.SubnetVersion.ViewOf(neuron, carol).TotalStake);
    }

    [Fact]
    public async Task RecordedEpoch_WithRootStake_ReRunsExactly()
    {
        var rules = Rules();
        var chain = await Chain(rules);
        await Ok(chain, RootStake(Alice, AliceHot, 1_000 * Tao.Rao));
        await Ok(chain, RootStake(Carol, CarolHot, 3_333 * Tao.Rao + 7));
        await Ok(chain, new SetChildren { Signer = Bob, Hotkey = BobHot, Netuid = One, Children = [new ChildLink(Half, AliceHot)] });
        for (int k = 0; k < 12; k++) await chain.ProduceBlockAsync();
        ushort carol = (ushort)chain.Subnet(One)!.UidOf(CarolHot);
        await Ok(chain, new SetWeights { Signer = AliceHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        await Ok(chain, new SetWeights { Signer = BobHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        var request = Request(chain, rules);
        Assert.Contains(request.StakeFraction!, f => f != 0);
        Assert.Contains("\"stake_frac\"", RecordedEpochs.AssertReRunsExactly(request));
    }

    [Fact]
    public void StakeFraction_TakesPartInNormalizationAndThreshold_AsI64F64()
    {
        // Two UIDs of equal whole stake; the second's fraction makes it the larger, and a threshold equal to the whole part
        // keeps both (s ≥ threshold), as I64F64 compares.
        var p = new EpochParameters { Tempo = 10, Kappa = 32_767, MaxAllowedValidators = 64, StakeThreshold = 1_000, RaoEmission = 1_000_000 };
        EpochInput Input(uint[]? fraction) => new()
        {
            N = 2, Block = 100, Stake = [1_000, 1_000], StakeFraction = fraction,
            Weights = SparseMatrix.FromRows([[], []]), Bonds = SparseMatrix.FromRows([[], []]),
            ValidatorPermit = [true, true], LastUpdate = [100, 100], BlockAtRegistration = [0, 0],
        };
        var whole = YumaEpoch.Run(p, Input(null), Arithmetic.Exact);
        var exact = YumaEpoch.Run(p, Input([0, uint.MaxValue]), Arithmetic.Exact);
        var fast = YumaEpoch.Run(p, Input([0, uint.MaxValue]), Arithmetic.Fast);
        Assert.Equal(whole.StakeWeight[0], whole.StakeWeight[1]);
        Assert.True(exact.StakeWeight[1] > exact.StakeWeight[0]);
        Assert.Equal(exact.StakeWeight, fast.StakeWeight);
    }

    // ---- the weighted pool ----

    [Fact]
    public void WeightedPool_AtHalf_AgreesWithConstantProduct_AndInjectionResolvesTheWeights_HandWorked()
    {
        // The 320-bit power at w2 = ½ (exponent 1) must give the constant product's own floor(x·Δy/(y+Δy)), or 1 rao less
        // (the U64F64 truncation of the power); a quick check of the log/exp.
        var rng = new Random(7);
        for (int k = 0; k < 200; k++)
        {
            ulong x = (ulong)rng.NextInt64(1, 1L << 50), y = (ulong)rng.NextInt64(1, 1L << 50), dy = (ulong)rng.NextInt64(1, 1L << 45);
            ulong exact = (ulong)((UInt128)x * dy / ((UInt128)y + dy));
            ulong weighted = WeightedPool.AlphaOut(y, x, dy, WeightedPool.Half);
            Assert.InRange(weighted, exact - Math.Min(exact, 1), exact);
        }
        // Injection re-solves w2 so the price does not move: 1000/1000 TAO/alpha, +100 TAO and no alpha:
        // q1 = round(½·10¹²·10¹²) = 5·10²³, q2 = round(½·10¹²·1.1·10¹²) = 5.5·10²³, w2 = floor(10¹⁸·q2/(q1+q2)) = 523 809 523 809 523 809.
        ulong? w2 = WeightedPool.WeightsAfterInjection(1_000 * Tao.Rao, 1_000 * Tao.Rao, 100 * Tao.Rao, 0, WeightedPool.Half);
        Assert.Equal(523_809_523_809_523_809UL, w2);
        // Price (w1/w2)·(y/x) stays 1 TAO to within the Perquintill's rounding.
        Assert.InRange(PoolMath.PriceRao(1_100 * Tao.Rao, 1_000 * Tao.Rao, w2!.Value), Tao.Rao - 2, Tao.Rao + 2);
        // At ½ with deltas in proportion to the price the weight stays exactly ½; pushing a weight under 0.01 injects nothing.
        Assert.Equal(WeightedPool.Half, WeightedPool.WeightsAfterInjection(1_000 * Tao.Rao, 2_000 * Tao.Rao, 10 * Tao.Rao, 20 * Tao.Rao, WeightedPool.Half));
        Assert.Null(WeightedPool.WeightsAfterInjection(1_000, 1_000, 1_000_000_000, 0, WeightedPool.Half));
        // Off ½ a buy pays x·(1 − (y/(y+Δy))^(w2/w1)) (here checked against doubles to 10⁻⁹).
        double w = (double)w2.Value / WeightedPool.Accuracy, expected = 1_000e9 * (1 - Math.Pow(1_100.0 / 1_110.0, w / (1 - w)));
        ulong bought = PoolMath.AlphaOut(1_100 * Tao.Rao, 1_000 * Tao.Rao, 10 * Tao.Rao, feeRate: 0, quoteWeight: w2.Value);
        Assert.InRange(bought, expected * (1 - 1e-9), expected * (1 + 1e-9));
    }

    [Fact]
    public void RootProportion_IsTaoWeightTimesRootOverItPlusAlphaIssuance_InU96F32()
    {
        Assert.Equal(0UL, RootNetwork.Proportion(0, RootNetwork.DefaultTaoWeight, 1_000 * Tao.Rao));
        // root 10 000 TAO: 10¹³·226245882 = 2.26245882·10²¹ (U96F32 bits of 526.77… TAO); alpha issuance 526.77… TAO gives ½.
        ulong half = RootNetwork.Proportion(10_000 * Tao.Rao, RootNetwork.DefaultTaoWeight, (ulong)((UInt128)10_000 * Tao.Rao * 226_245_882 >> 32));
        Assert.InRange(half, (1UL << 31) - 1, 1UL << 31);
        Assert.Equal(1UL << 32, RootNetwork.Proportion(1, RootNetwork.DefaultTaoWeight, 0));
    }

    // ---- root emission, dividends and claims ----

    /// <summary>Alice validates subnet 1 with 1000 TAO on root; Carol mines; Σ moving prices above 1 so root alpha is paid out.</summary>
    private static async Task<InMemoryChain> RootDividendsChain()
    {
        var chain = await Chain();
        await Ok(chain, RootStake(Alice, AliceHot, 1_000 * Tao.Rao));
        await Ok(chain, RootStake(Bob, AliceHot, 500 * Tao.Rao)); // a root nominator of Alice's hotkey
        chain.State.Subnets[One].MovingPrice = 1.5; // get_network_root_sell_flag: Σ moving prices > 1 (tests cannot wait for the EMA)
        for (int k = 0; k < 12; k++) await chain.ProduceBlockAsync();
        ushort carol = (ushort)chain.Subnet(One)!.UidOf(CarolHot);
        await Ok(chain, new SetWeights { Signer = AliceHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        await Ok(chain, new SetWeights { Signer = BobHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        for (int k = 0; k < 24; k++) await chain.ProduceBlockAsync();
        AssertConsistent(chain);
        return chain;
    }

    [Fact]
    public async Task BlockStep_WithRootStake_InjectsAtThePrice_AndSetsRootAlphaAside()
    {
        var chain = await Chain();
        await Ok(chain, RootStake(Alice, AliceHot, 1_000 * Tao.Rao));
        chain.State.Subnets[One].MovingPrice = 1.5;
        var e = chain.State.Subnets[One];
        ulong issuance = e.AlphaIssued - e.AlphaBurned, poolTao = e.PoolTao, poolAlpha = e.PoolAlpha, protocol = e.ProtocolAlpha;
        ulong rootProportion = RootNetwork.Proportion(chain.State.RootStake, RootNetwork.DefaultTaoWeight, issuance);
        Assert.True(rootProportion > 0);
        await chain.ProduceBlockAsync();
        e = chain.State.Subnets[One];
        ulong alphaOut = BlockEmission.ForIssuance(issuance);
        ulong rest = alphaOut - (ulong)((UInt128)alphaOut * e.Hyper.SubnetOwnerCut / 65535);
        Assert.Equal(RootNetwork.AlphaShare(rest, rootProportion), e.PendingRootAlpha);
        Assert.True(e.PendingRootAlpha > 0);
        Assert.True(e.PoolTao > poolTao && e.PoolAlpha > poolAlpha - (e.ProtocolAlpha - protocol)); // liquidity went in
        Assert.NotEqual(0UL, e.QuoteWeight);
        AssertConsistent(chain);
    }

    [Fact]
    public async Task RootDividends_AccrueToRootStakers_AndClaimRoot_SwapsToRootStake_OrKeepsAlpha()
    {
        var chain = await RootDividendsChain();
        var e = chain.State.Subnets[One];
        Assert.True(e.RootClaimableAlpha > 0, "root dividends accrued");
        Assert.Contains(chain.Events, ev => ev.Kind == "EpochCompleted" && ev.Epoch!.RootEmission > 0);
        var hot = chain.Hotkey(AliceHot);
        Assert.True(hot.RootClaimable[One] > 0);
        ulong aliceOwed = RootNetwork.Owed(hot, Alice, One, e.RegisteredAt), bobOwed = RootNetwork.Owed(hot, Bob, One, e.RegisteredAt);
        Assert.True(aliceOwed > RootNetwork.ClaimThreshold && bobOwed > RootNetwork.ClaimThreshold);
        Assert.InRange(aliceOwed, 2 * bobOwed - 2, 2 * bobOwed + 2); // pro rata to root stake (1000 : 500)

        // Alice claims with the default type, Swap: the alpha is sold on subnet 1's pool (no fee) and the TAO staked on root.
        ulong rootBefore = chain.Hotkey(AliceHot).StakeIn(Root), poolTao = e.PoolTao;
        ulong expectedTao = PoolMath.TaoOut(e.PoolTao, e.PoolAlpha, aliceOwed, feeRate: 0, quoteWeight: e.QuoteWeight);
        var r = await Ok(chain, new ClaimRoot { Signer = Alice, Netuids = [One] });
        Assert.Equal(aliceOwed, r.Amount);
        Assert.Equal(rootBefore + expectedTao, chain.Hotkey(AliceHot).StakeIn(Root));
        Assert.Equal(poolTao - expectedTao, chain.State.Subnets[One].PoolTao);
        Assert.Equal(0UL, RootNetwork.Owed(chain.Hotkey(AliceHot), Alice, One, e.RegisteredAt)); // the new root stake earns no past dividends
        Assert.Contains(chain.Events, ev => ev is { Kind: "RootClaimed", Coldkey: Alice, Netuid: One } && ev.Tao == expectedTao);
        // Claiming again owes nothing: no error, nothing moves.
        Assert.Equal(0UL, (await Ok(chain, new ClaimRoot { Signer = Alice, Netuids = [One] })).Amount);

        // Bob keeps alpha: the claim is staked on Alice's hotkey in subnet 1 for Bob.
        await Ok(chain, new SetRootClaimType { Signer = Bob, Type = "Keep" });
        Assert.Equal(RootClaimType.Keep, chain.Account(Bob).RootClaimType);
        ulong bobAlpha = chain.Hotkey(AliceHot).Stakes.GetValueOrDefault(KeyLedger.StakeKey(One, Bob));
        r = await Ok(chain, new ClaimRoot { Signer = Bob, Netuids = [One, 2] }); // subnet 2 does not exist: nothing there
        Assert.Equal(bobOwed, r.Amount);
        Assert.Equal(bobAlpha + bobOwed, chain.Hotkey(AliceHot).Stakes[KeyLedger.StakeKey(One, Bob)]);
    }

    [Fact]
    public async Task ClaimRoot_AndSetRootClaimType_RejectEachBrokenRule_WithItsCode()
    {
        var chain = await Chain();
        await Rejected(chain, new ClaimRoot { Signer = Alice, Netuids = [] }, Codes.InvalidSubnetNumber);
        await Rejected(chain, new ClaimRoot { Signer = Alice, Netuids = [1, 2, 3, 4, 5, 6] }, Codes.InvalidSubnetNumber);
        await Rejected(chain, new SetRootClaimType { Signer = Alice, Type = "KeepSubnets" }, Codes.InvalidArgs);
        using var args = JsonDocument.Parse("""{"type":"keep"}""");
        Assert.Throws<Runtime.Extrinsics.CallFormatException>(() => Runtime.Extrinsics.Calls.Parse("set_root_claim_type", args.RootElement, Alice, null));
        Assert.Equal(RootClaimType.Swap, chain.Account(Alice).RootClaimType); // subtensor's default
    }

    [Fact]
    public async Task RootStakeChanges_NeitherEarnPastDividends_NorForfeitOwedOnes()
    {
        var chain = await RootDividendsChain();
        var e = chain.State.Subnets[One];
        ulong owed = RootNetwork.Owed(chain.Hotkey(AliceHot), Bob, One, e.RegisteredAt);
        await Ok(chain, RootStake(Bob, AliceHot, 300 * Tao.Rao));
        Assert.InRange(RootNetwork.Owed(chain.Hotkey(AliceHot), Bob, One, e.RegisteredAt), owed, owed + 1);
        await Ok(chain, new RemoveStake { Signer = Bob, Hotkey = AliceHot, Netuid = Root, Amount = 200 * Tao.Rao });
        Assert.InRange(RootNetwork.Owed(chain.Hotkey(AliceHot), Bob, One, e.RegisteredAt), owed - 1, owed + 1);
        // Removing more than was added since the dividends accrued floors the claimed total at 0 (subtensor's saturating_sub
        // on RootClaimed): what the removed stake was owed is forfeited — claim first.
        await Ok(chain, new RemoveStake { Signer = Bob, Hotkey = AliceHot, Netuid = Root, Amount = 500 * Tao.Rao });
        Assert.True(RootNetwork.Owed(chain.Hotkey(AliceHot), Bob, One, e.RegisteredAt) < owed / 2);
        // A newcomer's first root stake owes nothing of what accrued before it.
        await Ok(chain, RootStake(Carol, AliceHot, 100 * Tao.Rao));
        Assert.Equal(0UL, RootNetwork.Owed(chain.Hotkey(AliceHot), Carol, One, e.RegisteredAt));
    }

    [Fact]
    public void ChildDividendSplit_CountsTheParentsRootStakeWithTaoWeight_HandWorked()
    {
        // get_parent_child_dividends_distribution: a parent lending half of 2000 TAO on root contributes
        // 2000·10⁹·(Half/u64::MAX = 2147483647/2³²)·226245882/2³² ≈ 52.68 TAO (U96F32 bits 226 245 881 894 646 051 339); the
        // child's own 52 676 974 330 rao of alpha is as much, so 10⁹ rao of dividend splits 499 999 999 / 500 000 001.
        var split = new ChildkeySplit
        {
            Hotkey = CarolHot, Alpha = 52_676_974_330, ChildProportions = [], Take = 0, TaoWeight = RootNetwork.DefaultTaoWeight,
            Parents = [new ParentStake(BobHot, Half, 0) { Root = 2_000 * Tao.Rao }],
        };
        Assert.Equal([(BobHot, 499_999_999UL), (CarolHot, 500_000_001UL)], ChildKeys.Distribution(split, Tao.Rao, _ => true));
        // Without tao_weight the parent, with no alpha, lends nothing.
        Assert.Equal([(BobHot, 0UL), (CarolHot, Tao.Rao)], ChildKeys.Distribution(split with { TaoWeight = 0 }, Tao.Rao, _ => true));
    }

    [Fact]
    public async Task SetWeights_StakeThreshold_CountsTaoWeightTimesRootStake()
    {
        var chain = await Chain();
        for (int k = 0; k < 12; k++) await chain.ProduceBlockAsync(); // an epoch hands out validator permits
        ulong alpha = chain.Subnet(One)!.Neurons[chain.Subnet(One)!.UidOf(AliceHot)].Stake;
        // check_weights_min_stake compares alpha + tao_weight·root with the threshold: 50 TAO above Alice's alpha.
        chain.Override(One, new ReplaceHyperparameters(chain.State.Subnets[One].Hyper with { StakeThreshold = alpha + 50 * Tao.Rao }));
        ushort carol = (ushort)chain.Subnet(One)!.UidOf(CarolHot);
        var weights = new SetWeights { Signer = AliceHot, Netuid = One, Uids = [carol], Weights = [65_535] };
        await Rejected(chain, weights, Codes.NotEnoughStakeToSetWeights);
        await Ok(chain, RootStake(Alice, AliceHot, 900 * Tao.Rao)); // 900 TAO · 0.05268 ≈ 47.4 TAO: not enough
        await Rejected(chain, weights, Codes.NotEnoughStakeToSetWeights);
        await Ok(chain, RootStake(Alice, AliceHot, 100 * Tao.Rao)); // 1000 TAO · 0.05268 ≈ 52.7 TAO
        await Ok(chain, weights);
    }
}
