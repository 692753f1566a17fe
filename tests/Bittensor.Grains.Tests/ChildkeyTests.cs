using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Bittensor.Runtime.Extrinsics;
using Bittensor.Testing;
using static Bittensor.Grains.Tests.StakeMovementTests;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Childkeys on the runtime over plain dictionaries (<see cref="InMemoryChain"/>): <c>set_children</c> and
/// <c>set_childkey_take</c> with every rule's rejection (code, unchanged state), the pending cooldown, stake weight
/// inherited in epochs and dividends split between parent and child — the arithmetic worked by hand in subtensor's
/// U96F32 (32 fractional bits: products floor, quotients truncate).
/// </summary>
public sealed class ChildkeyTests
{
    private const string Owner = "owner", OwnerHot = "owner-hot", Alice = "alice", AliceHot = "alice-hot", Bob = "bob", BobHot = "bob-hot",
        Root = "root", Carol = "carol", CarolHot = "carol-hot";
    private const ushort One = 1;
    private const ulong Half = ulong.MaxValue / 2, Quarter = ulong.MaxValue / 4, All = ulong.MaxValue;

    private static ChainRules Rules(bool started = true, ulong cooldown = 5) => new()
    {
        Id = "test", Faucet = true, MinLockCost = 100 * Tao.Rao, NewSubnetTempo = 10, StartSubnetsAtCreation = started,
        PendingChildKeyCooldown = cooldown, SetChildrenRateLimit = 20, ChildkeyTakeRateLimit = 30, Sudo = Root,
    };

    /// <summary>Subnet 1 (tempo 10, no weights rate limit); Alice (validator, 100 TAO staked), Bob (validator, 200 TAO) and Carol (miner) registered.</summary>
    private static async Task<InMemoryChain> Chain(ChainRules? rules = null)
    {
        var chain = new InMemoryChain(rules ?? Rules(), TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new SetHyperparameter { Signer = Root, Netuid = One, Name = "weights_rate_limit", Value = "0" });
        foreach (var (cold, hot) in new[] { (Alice, AliceHot), (Bob, BobHot), (Carol, CarolHot) })
        {
            await Ok(chain, new Faucet { Signer = cold, Amount = 1_000 * Tao.Rao });
            await Ok(chain, new BurnedRegister { Signer = cold, Netuid = One, Hotkey = hot });
        }
        await Ok(chain, new AddStake { Signer = Alice, Hotkey = AliceHot, Netuid = One, Amount = 100 * Tao.Rao });
        await Ok(chain, new AddStake { Signer = Bob, Hotkey = BobHot, Netuid = One, Amount = 200 * Tao.Rao });
        return chain;
    }

    private static SetChildren Children(string signer, string hotkey, params (ulong Proportion, string Child)[] children) =>
        new() { Signer = signer, Hotkey = hotkey, Netuid = One, Children = [.. children.Select(c => new ChildLink(c.Proportion, c.Child))] };

    private static async Task Blocks(InMemoryChain chain, int count)
    {
        for (int k = 0; k < count; k++) await chain.ProduceBlockAsync();
        AssertConsistent(chain);
    }

    private static EpochRequest Request(InMemoryChain chain) =>
        EpochRequest.From(chain.Subnet(One)!, new EpochStart { Netuid = One, Index = 0, Block = chain.State.Block + 1, Hyper = chain.State.Subnets[One].Hyper, RaoEmission = 0 });

    [Fact]
    public void Inherited_HandWorked_InU96F32()
    {
        // proportion u64::MAX / 4 = 2⁶² − 1 normalises to floor((2⁶² − 1)·2³² / (2⁶⁴ − 1)) = 2³⁰ − 1, a hair under a quarter.
        Assert.Equal((UInt128)(1UL << 30) - 1, ChildKeys.Normalized(Quarter));
        Assert.Equal((UInt128)1 << 32, ChildKeys.Normalized(All));
        // A parent with 10¹² alpha lending a quarter: it lends 10¹²·(2³⁰ − 1)/2³² = 249 999 999 767.17 and keeps 750 000 000 232.83 → 750 000 000 232.
        Assert.Equal(750_000_000_232UL, ChildKeys.Inherited(1_000_000_000_000, [Quarter], []));
        // Its child with 5·10¹¹ of its own inherits the 249 999 999 767.17 → 749 999 999 767.
        Assert.Equal(749_999_999_767UL, ChildKeys.Inherited(500_000_000_000, [], [(Quarter, 1_000_000_000_000)]));
        // Lending everything leaves nothing; inheriting everything adds all, exactly.
        Assert.Equal(0UL, ChildKeys.Inherited(1_000_000_000_000, [All], []));
        Assert.Equal(1_500_000_000_000UL, ChildKeys.Inherited(500_000_000_000, [], [(All, 1_000_000_000_000)]));
        // Both ways at once (a child that is itself a parent): 10¹² − 10¹²/2 (u64::MAX/2 normalises to 2³¹ − 1) + 2·10¹¹.
        Assert.Equal(500_000_000_232UL + 200_000_000_000, ChildKeys.Inherited(1_000_000_000_000, [Half], [(All, 200_000_000_000)]));
    }

    [Fact]
    public void Dividends_HandWorked_ParentAndChild()
    {
        // Child with 10¹² alpha (no children of its own), one parent of another coldkey lending all of its 10¹² alpha:
        // contributions 1:1, so the factor is exactly 2³¹ (one half) and the parent's part of 10⁹ is 5·10⁸. The childkey
        // take 3 855/65 535 = 1/17 truncates to floor(2³²/17) = 252 645 135, i.e. 5·10⁸·252 645 135/2³² = 29 411 764.69 kept
        // by the child: the parent gets floor(470 588 235.31) = 470 588 235, the child the rest, 529 411 765.
        var split = new ChildkeySplit
        {
            Hotkey = "child", Alpha = 1_000_000_000_000, ChildProportions = [], Take = 3_855,
            Parents = [new ParentStake("parent", All, 1_000_000_000_000)],
        };
        Assert.Equal(new[] { ("parent", 470_588_235UL), ("child", 529_411_765UL) }, ChildKeys.Distribution(split, 1_000_000_000, _ => false));
        // The same coldkey on both sides: no take.
        Assert.Equal(new[] { ("parent", 500_000_000UL), ("child", 500_000_000UL) }, ChildKeys.Distribution(split, 1_000_000_000, _ => true));
        // Two parents 3:1 (one lends all of 3·10¹², one a quarter of 4·10¹² = 10¹² − a hair) and no alpha of the child's own.
        var two = split with { Alpha = 0, Take = 0, Parents = [new ParentStake("p1", All, 3_000_000_000_000), new ParentStake("p2", Quarter, 4_000_000_000_000)] };
        var parts = ChildKeys.Distribution(two, 1_000_000, _ => false);
        Assert.Equal(1_000_000UL, (ulong)parts.Sum(p => (decimal)p.Alpha));
        Assert.Equal((750_000UL, 250_000UL), (parts[0].Alpha, parts[1].Alpha + parts[2].Alpha)); // the child gets only the rounding rao
        Assert.InRange(parts[2].Alpha, 0UL, 2UL);
    }

    [Fact]
    public async Task SetChildren_Pending_ThenInForce_StakeWeightInherited()
    {
        var chain = await Chain();
        ulong alice = chain.Hotkey(AliceHot).StakeIn(One), bob = chain.Hotkey(BobHot).StakeIn(One);
        var r = await Ok(chain, Children(Bob, BobHot, (Half, AliceHot)));
        ulong cooldown = chain.State.Block + 5;
        Assert.Equal(cooldown, r.Amount);
        Assert.Contains(chain.Events, e => e.Kind == "SetChildrenScheduled");
        var s = chain.Subnet(One)!;
        Assert.Empty(s.Children);
        Assert.Equal(cooldown, s.PendingChildren[BobHot].CooldownBlock);
        var before = Request(chain);
        Assert.Equal(alice, before.Stake[s.UidOf(AliceHot)]);

        // Applied in the first block after the cooldown block; an epoch of that block still sees the old relations.
        while (chain.State.Block < cooldown + 1) await Blocks(chain, 1);
        Assert.Empty(ChildKeys.Effective(chain.Subnet(One)!, cooldown));
        Assert.Single(ChildKeys.Effective(chain.Subnet(One)!, cooldown + 1));
        await Blocks(chain, 1);
        s = chain.Subnet(One)!;
        alice = chain.Hotkey(AliceHot).StakeIn(One);
        bob = chain.Hotkey(BobHot).StakeIn(One);
        var request = Request(chain);
        Assert.Equal(ChildKeys.Inherited(bob, [Half], []), request.Stake[s.UidOf(BobHot)]);
        Assert.Equal(ChildKeys.Inherited(alice, [], [(Half, bob)]), request.Stake[s.UidOf(AliceHot)]);
        Assert.True(request.Stake[s.UidOf(AliceHot)] > alice);
        var split = Assert.Single(request.Childkeys);
        Assert.Equal((AliceHot, alice, BobHot), (split.Hotkey, split.Alpha, split.Parents.Single().Parent));

        // Revoking (no children) is scheduled the same way and leaves no relation once applied.
        await Blocks(chain, 20);
        await Ok(chain, Children(Bob, BobHot));
        await Blocks(chain, 7);
        Assert.Empty(ChildKeys.Effective(chain.Subnet(One)!, chain.State.Block));
        Assert.Empty(Request(chain).Childkeys);
    }

    [Fact]
    public async Task SetChildren_BeforeStartCall_AppliesAtOnce()
    {
        var chain = new InMemoryChain(Rules(started: false), TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new Faucet { Signer = Alice, Amount = 100 * Tao.Rao });
        await Ok(chain, new BurnedRegister { Signer = Alice, Netuid = One, Hotkey = AliceHot });
        var r = await Ok(chain, Children(Owner, OwnerHot, (All, AliceHot)));
        Assert.Equal(chain.State.Block, r.Amount);
        Assert.Equal(new[] { new ChildLink(All, AliceHot) }, chain.Subnet(One)!.Children[OwnerHot]);
        Assert.Contains(chain.Events, e => e.Kind == "SetChildren");
    }

    [Fact]
    public async Task SetChildren_EachRule_RefusedWithItsCode_StateUnchanged()
    {
        var chain = await Chain();
        await Rejected(chain, Children(Bob, BobHot, (Half, AliceHot)) with { Netuid = 9 }, Codes.SubnetNotFound);
        await Rejected(chain, Children(Alice, BobHot, (Half, AliceHot)), Codes.NotOwner);
        await Rejected(chain, Children(Bob, BobHot, (Half, AliceHot), (Quarter, AliceHot)), Codes.DuplicateChild);
        await Rejected(chain, Children(Bob, BobHot, (Half, BobHot)), Codes.InvalidChild);
        await Rejected(chain, Children(Bob, BobHot, [.. Enumerable.Range(0, 6).Select(k => (1UL, $"child-{k}"))]), Codes.TooManyChildren);
        await Rejected(chain, Children(Bob, BobHot, (All, AliceHot), (1, CarolHot)), Codes.ProportionOverflow);
        // Alice makes Bob's hotkey her child (applied after the cooldown): Bob may not then take her hotkey as his child.
        await Blocks(chain, 1); // a call at block 0 counts as none for the rate limit, as subtensor's last block 0 does
        await Ok(chain, Children(Alice, AliceHot, (Half, BobHot)));
        await Blocks(chain, 7);
        await Rejected(chain, Children(Bob, BobHot, (Half, AliceHot)), Codes.ChildParentInconsistency);
        // The rate limit: one set_children per 20 blocks per hotkey and subnet (the first passes).
        var limited = await Rejected(chain, Children(Alice, AliceHot, (Quarter, BobHot)), Codes.TxRateLimitExceeded);
        Assert.True(limited.NextAllowedBlock > chain.State.Block);
        // A stake threshold above the parent's stake; the owner hotkey is exempt.
        var rich = await Chain();
        // (subtensor's StakeThreshold is root's; no call sets it here, so the test sets the subnet's copy directly)
        rich.State.Subnets[One].Hyper = rich.State.Subnets[One].Hyper with { StakeThreshold = 1_000 * Tao.Rao };
        await Rejected(rich, Children(Bob, BobHot, (Half, AliceHot)), Codes.NotEnoughStakeToSetChildkeys);
        await Ok(rich, Children(Owner, OwnerHot, (Half, AliceHot)));
        await Ok(rich, Children(Bob, BobHot)); // revoking needs no stake
        // TAO on root counts at price 1 (get_total_stake_for_hotkey): Bob's alpha (bought for 200 TAO, at the pool's price now) and 790 TAO on root pass 1000 TAO.
        await Ok(rich, new AddStake { Signer = Bob, Hotkey = BobHot, Netuid = RootNetwork.Netuid, Amount = 790 * Tao.Rao });
        await Ok(rich, Children(Bob, BobHot, (Half, AliceHot)));
        // A child that is not an SS58 address is refused when parsed.
        var bad = Assert.Throws<CallFormatException>(() => Calls.Parse("set_children",
            JsonDocument.Parse("""{"hotkey":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","netuid":1,"children":[[1,"nope"]]}""").RootElement, Bob, null));
        Assert.Equal("children[0]", bad.Field);
    }

    [Fact]
    public async Task SetChildkeyTake_EachRule_RefusedWithItsCode_StateUnchanged_DecreasesImmediate()
    {
        var chain = await Chain();
        SetChildkeyTakeOperation Take(string signer, ushort take, ushort netuid = One) => new() { Signer = signer, Hotkey = AliceHot, Netuid = netuid, Take = take };
        await Rejected(chain, Take(Alice, 100, netuid: 9), Codes.SubnetNotFound);
        await Rejected(chain, Take(Bob, 100), Codes.NotOwner);
        await Rejected(chain, Take(Alice, 11_797), Codes.InvalidChildkeyTake);
        await Blocks(chain, 1);
        await Ok(chain, Take(Alice, 5_000)); // the first change passes
        Assert.Equal((ushort)5_000, chain.Subnet(One)!.ChildkeyTakes[AliceHot]);
        await Blocks(chain, 3);
        var limited = await Rejected(chain, Take(Alice, 6_000), Codes.TxChildkeyTakeRateLimitExceeded);
        Assert.Equal(chain.State.Block - 3 + 30, limited.NextAllowedBlock);
        await Ok(chain, Take(Alice, 1_000)); // a decrease applies at once (and restarts the limit)
        await Blocks(chain, 29);
        await Rejected(chain, Take(Alice, 11_796), Codes.TxChildkeyTakeRateLimitExceeded);
        await Blocks(chain, 1);
        await Ok(chain, Take(Alice, 11_796));
    }

    [Fact]
    public async Task Epochs_SplitTheChildsDividends_WithItsParent_Conserved()
    {
        var chain = await Chain();
        // Bob lends all of his hotkey's weight to Alice's; Alice keeps 1/17 of what Bob's part earns.
        await Ok(chain, Children(Bob, BobHot, (All, AliceHot)));
        await Ok(chain, new SetChildkeyTakeOperation { Signer = Alice, Hotkey = AliceHot, Netuid = One, Take = 3_855 });
        await Blocks(chain, 12); // permits, and the children in force
        var s = chain.Subnet(One)!;
        ushort carol = (ushort)s.UidOf(CarolHot);
        await Ok(chain, new SetWeights { Signer = AliceHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        ulong bobBefore = chain.Hotkey(BobHot).StakeIn(One), aliceBefore = chain.Hotkey(AliceHot).StakeIn(One);
        int epochs = chain.Subnet(One)!.Epochs.Count;
        while (chain.Subnet(One)!.Epochs.Count < epochs + 2) await Blocks(chain, 1);
        s = chain.Subnet(One)!;
        // Bob's hotkey has no stake weight of its own (it lent all), yet earns through Alice's: the parent's part.
        Assert.Equal(0, s.Neurons[s.UidOf(BobHot)].Dividends);
        Assert.True(s.Neurons[s.UidOf(AliceHot)].Dividends > 0);
        ulong bobGain = chain.Hotkey(BobHot).StakeIn(One) - bobBefore, aliceGain = chain.Hotkey(AliceHot).StakeIn(One) - aliceBefore;
        Assert.True(bobGain > 0 && aliceGain > 0, $"bob +{bobGain}, alice +{aliceGain}");
        // Bob's part of the dividends: his hotkey's share of the weight Alice's validates with, less Alice's 1/17 take.
        double expected = (double)bobBefore / (bobBefore + aliceBefore) * 16 / 17, share = (double)bobGain / (bobGain + aliceGain);
        Assert.InRange(share, expected - 0.03, expected + 0.03);
        Assert.Contains(chain.Subnet(One)!.StakedHotkeys, kv => kv.Key == BobHot);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomSequencesWithChildkeys_NeverCreateOrDestroyARao(int seed)
    {
        var chain = await Chain();
        var rng = new Random(seed);
        chain.State.Subnets[One].MovingPrice = 1.5; // root alpha paid out as root dividends, split through the childkeys too
        (string Cold, string Hot)[] keys = [(Alice, AliceHot), (Bob, BobHot), (Carol, CarolHot), (Owner, OwnerHot)];
        ushort[] uids = [.. keys.Select(k => (ushort)chain.Subnet(One)!.UidOf(k.Hot))];
        for (int step = 0; step < 150; step++)
        {
            var (cold, hot) = keys[rng.Next(keys.Length)];
            var other = keys[rng.Next(keys.Length)].Hot;
            Operation op = rng.Next(6) switch
            {
                0 => Children(cold, hot, (ulong.MaxValue / (ulong)rng.Next(1, 5), other)),
                1 => Children(cold, hot),
                2 => new SetChildkeyTakeOperation { Signer = cold, Hotkey = hot, Netuid = One, Take = (ushort)rng.Next(0, 11_797) },
                3 => new AddStake { Signer = cold, Hotkey = hot, Netuid = rng.Next(3) == 0 ? RootNetwork.Netuid : One, Amount = (ulong)rng.Next(1, 30) * Tao.Rao },
                4 => new RemoveStake { Signer = cold, Hotkey = hot, Netuid = rng.Next(3) == 0 ? RootNetwork.Netuid : One, Amount = (ulong)rng.Next(1, 30) * Tao.Rao / 10 },
                _ => new SetWeights { Signer = hot, Netuid = One, Uids = [.. uids], Weights = [.. uids.Select(_ => (ushort)rng.Next(1, 65_535))] },
            };
            await chain.ExecuteAsync(op);
            AssertConsistent(chain);
            if (step % 2 == 0) await Blocks(chain, 1);
        }
        Assert.True(chain.State.EpochsRun >= 5);
        Assert.Contains(chain.Events, e => e.Kind == "SetChildrenScheduled");
        Assert.Contains(chain.Events, e => e.Kind == "EpochCompleted" && e.Epoch!.RootEmission > 0); // root stake in the mix
    }

    [Fact]
    public async Task RecordedEpoch_WithChildren_ReRunsExactly()
    {
        var chain = await Chain();
        await Ok(chain, Children(Bob, BobHot, (Half, AliceHot)));
        await Blocks(chain, 12);
        ushort carol = (ushort)chain.Subnet(One)!.UidOf(CarolHot);
        await Ok(chain, new SetWeights { Signer = AliceHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        await Ok(chain, new SetWeights { Signer = BobHot, Netuid = One, Uids = [carol], Weights = [65_535] });
        var request = Request(chain);
        Assert.NotEmpty(request.Childkeys);
        // The recorded stake is the inherited one, so the case re-runs to the same outputs without knowing of children.
        Assert.Contains($"{request.Stake[chain.Subnet(One)!.UidOf(AliceHot)]}", RecordedEpochs.AssertReRunsExactly(request));
    }
}
