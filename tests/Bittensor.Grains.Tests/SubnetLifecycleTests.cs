using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Runtime.Extrinsics;
using Bittensor.Testing;
using static Bittensor.Grains.Tests.StakeMovementTests;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The subnet lifecycle on the runtime over plain dictionaries (<see cref="InMemoryChain"/>) with the real network's
/// rules: <c>start_call</c> gates emission, the subnet identity, the owner hotkey change; every rule's rejection with its
/// code and an unchanged state, and conservation through each path.
/// </summary>
public sealed class SubnetLifecycleTests
{
    private const string Owner = "owner", OwnerHot = "owner-hot", OwnerHot2 = "owner-hot-2", Alice = "alice", AliceHot = "alice-hot", Root = "root";
    private const ushort One = 1;

    /// <summary>One subnet (tempo 10) created at block 0 by Owner, not started; Alice registered on it; Owner holds a second hotkey registered there.</summary>
    private static async Task<InMemoryChain> Chain(ulong startCallDelay = 0, ulong ownerHotkeyRateLimit = 50_400)
    {
        var chain = new InMemoryChain(new ChainRules
        {
            Id = "test", Faucet = true, MinLockCost = 100 * Tao.Rao, NewSubnetTempo = 10, Sudo = Root,
            StartCallDelay = startCallDelay, OwnerHotkeyRateLimit = ownerHotkeyRateLimit,
        }, TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new BurnedRegister { Signer = Owner, Netuid = One, Hotkey = OwnerHot2 });
        await Ok(chain, new Faucet { Signer = Alice, Amount = 500 * Tao.Rao });
        await Ok(chain, new BurnedRegister { Signer = Alice, Netuid = One, Hotkey = AliceHot });
        return chain;
    }

    private static async Task Blocks(InMemoryChain chain, int count)
    {
        for (int k = 0; k < count; k++) await chain.ProduceBlockAsync();
        AssertConsistent(chain);
    }

    [Fact]
    public async Task StartCall_NoEmissionBefore_EmissionFromTheNextBlock()
    {
        var chain = await Chain();
        var e = chain.State.Subnets[One];
        Assert.False(e.Started);
        ulong issuance = chain.State.TotalIssuance, alpha = e.AlphaIssued, pool = e.PoolTao;
        await Blocks(chain, 25); // two epochs pass: they run, with nothing to pay
        e = chain.State.Subnets[One];
        Assert.Equal(issuance, chain.State.TotalIssuance);
        Assert.Equal(alpha, e.AlphaIssued);
        Assert.Equal(pool, e.PoolTao);
        Assert.Equal(0.0, e.MovingPrice);
        Assert.Equal(0UL, e.PendingTotal);

        var started = await Ok(chain, new StartCall { Signer = Owner, Netuid = One });
        Assert.Equal(chain.State.Block + 1, started.Amount); // subtensor's FirstEmissionBlockNumber
        Assert.Equal(chain.State.Block, chain.State.Subnets[One].StartCallBlock);
        await Blocks(chain, 1);
        e = chain.State.Subnets[One];
        Assert.Equal(issuance + BlockEmission.ForIssuance(issuance), chain.State.TotalIssuance);
        Assert.True(e.AlphaIssued > alpha);
        Assert.True(e.MovingPrice > 0);
        Assert.Contains(chain.Events, ev => ev.Kind == "FirstEmissionBlockNumberSet" && ev.Netuid == One);
    }

    [Fact]
    public async Task StartCall_EachRule_RefusedWithItsCode_StateUnchanged()
    {
        var chain = await Chain(startCallDelay: 20);
        await Rejected(chain, new StartCall { Signer = Owner, Netuid = 9 }, Codes.SubnetNotFound);
        await Rejected(chain, new StartCall { Signer = Alice, Netuid = One }, Codes.NotOwner);
        await Rejected(chain, new StartCall { Signer = Root, Netuid = One }, Codes.NotOwner); // subtensor: ensure_subnet_owner, not root
        var early = await Rejected(chain, new StartCall { Signer = Owner, Netuid = One }, Codes.NeedWaitingMoreBlocksToStarCall);
        Assert.Equal(20UL, early.NextAllowedBlock);
        await Blocks(chain, 19);
        await Rejected(chain, new StartCall { Signer = Owner, Netuid = One }, Codes.NeedWaitingMoreBlocksToStarCall);
        await Blocks(chain, 1);
        await Ok(chain, new StartCall { Signer = Owner, Netuid = One });
        await Rejected(chain, new StartCall { Signer = Owner, Netuid = One }, Codes.FirstEmissionBlockNumberAlreadySet);
    }

    [Fact]
    public async Task StartSubnetsAtCreation_EmitsWithoutStartCall_AndRefusesOne()
    {
        var chain = new InMemoryChain(new ChainRules { Id = "test", Faucet = true, MinLockCost = 100 * Tao.Rao, StartSubnetsAtCreation = true }, TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        Assert.True(chain.State.Subnets[One].Started);
        ulong alpha = chain.State.Subnets[One].AlphaIssued;
        await Blocks(chain, 1);
        Assert.True(chain.State.Subnets[One].AlphaIssued > alpha);
        await Rejected(chain, new StartCall { Signer = Owner, Netuid = One }, Codes.FirstEmissionBlockNumberAlreadySet);
    }

    [Fact]
    public async Task SetSubnetIdentity_StoresEveryField_AndReplacesThePrevious()
    {
        var chain = await Chain();
        var op = (SetSubnetIdentity)Calls.Parse("set_subnet_identity", JsonDocument.Parse("""
            {"netuid":1,"subnet_name":"Apex","github_repo":"https://github.com/x/apex","subnet_contact":"ops@apex.example",
             "subnet_url":"https://apex.example","discord":"apex#1","description":"Reasoning — ✓","logo_url":"https://apex.example/l.png","additional":""}
            """).RootElement, Owner, null)!;
        await Ok(chain, op);
        var id = chain.State.Subnets[One].Identity!;
        Assert.Equal(("Apex", "https://github.com/x/apex", "Reasoning — ✓", ""), (id.SubnetName, id.GithubRepo, id.Description, id.Additional));
        await Ok(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new SubnetIdentity { SubnetName = "Apex 2" } });
        Assert.Equal(new SubnetIdentity { SubnetName = "Apex 2" }, chain.State.Subnets[One].Identity);
    }

    [Fact]
    public async Task SetSubnetIdentity_EachRule_RefusedWithItsCode_StateUnchanged()
    {
        var chain = await Chain();
        var ok = new SubnetIdentity { SubnetName = "n" };
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = 9, Identity = ok }, Codes.SubnetNotFound);
        await Rejected(chain, new SetSubnetIdentity { Signer = Alice, Netuid = One, Identity = ok }, Codes.NotOwner);
        // Each field one byte over its limit (a multi-byte character counts its UTF-8 bytes), then a control character.
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { SubnetName = new string('a', 257) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { SubnetName = new string('é', 129) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { Discord = new string('d', 257) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { Description = new string('d', 1025) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { LogoUrl = new string('l', 1025) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { Additional = new string('x', 1025) } }, Codes.InvalidIdentity);
        await Rejected(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { SubnetName = "a\u001b[2Jb" } }, Codes.InvalidIdentity);
        await Ok(chain, new SetSubnetIdentity { Signer = Owner, Netuid = One, Identity = new() { SubnetName = new string('é', 128), Description = new string('d', 1024) } });
        // A misspelt field is refused when parsed, before the chain sees it.
        var misspelt = Assert.Throws<CallFormatException>(() => Calls.Parse("set_subnet_identity", JsonDocument.Parse("""{"netuid":1,"name":"x"}""").RootElement, Owner, null));
        Assert.Equal("name", misspelt.Field);
    }

    [Fact]
    public async Task SudoSetSnOwnerHotkey_MovesTheOwnerCutAndTheOwnerUid()
    {
        var chain = await Chain();
        await Ok(chain, new StartCall { Signer = Owner, Netuid = One });
        await Ok(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = One, Hotkey = OwnerHot2 });
        Assert.Equal(OwnerHot2, chain.State.Subnets[One].OwnerHotkey);
        Assert.Equal(OwnerHot2, chain.Subnet(One)!.OwnerHotkey);
        ulong before = chain.Hotkey(OwnerHot2).StakeIn(One), old = chain.Hotkey(OwnerHot).StakeIn(One);
        await Blocks(chain, 12); // an epoch lands: the owner cut goes to the new owner hotkey
        Assert.True(chain.Hotkey(OwnerHot2).StakeIn(One) > before);
        Assert.Equal(old, chain.Hotkey(OwnerHot).StakeIn(One));
    }

    [Fact]
    public async Task SudoSetSnOwnerHotkey_EachRule_RefusedWithItsCode_StateUnchanged()
    {
        var chain = await Chain(ownerHotkeyRateLimit: 30);
        await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = 9, Hotkey = OwnerHot2 }, Codes.SubnetNotFound);
        await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Alice, Netuid = One, Hotkey = AliceHot }, Codes.NotOwner);
        await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = One, Hotkey = AliceHot }, Codes.HotkeyOwnedByAnother);
        await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = One, Hotkey = "nobody-hot" }, Codes.HotkeyNotFound);
        await Blocks(chain, 5);
        await Ok(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = One, Hotkey = OwnerHot2 });
        var limited = await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Owner, Netuid = One, Hotkey = OwnerHot }, Codes.TxRateLimitExceeded);
        Assert.Equal(35UL, limited.NextAllowedBlock);
        await Blocks(chain, 29);
        await Rejected(chain, new SudoSetSnOwnerHotkey { Signer = Root, Netuid = One, Hotkey = OwnerHot }, Codes.TxRateLimitExceeded); // root too, as subtensor
        await Blocks(chain, 1);
        await Ok(chain, new SudoSetSnOwnerHotkey { Signer = Root, Netuid = One, Hotkey = OwnerHot });
        Assert.Equal(OwnerHot, chain.Subnet(One)!.OwnerHotkey);
    }

    /// <summary>Two subnets at a cap of 2 (immunity 5 blocks): subnet 1 cheap, subnet 2 dearer; Alice and Bob stake on subnet 1 through Alice's hotkey, Carol on subnet 2.</summary>
    private static async Task<InMemoryChain> FullChain()
    {
        var chain = new InMemoryChain(new ChainRules
        {
            Id = "test", Faucet = true, MinLockCost = 100 * Tao.Rao, LockReductionInterval = 1, NewSubnetTempo = 10, MaxSubnets = 2,
            NetworkImmunityPeriod = 5, StartSubnetsAtCreation = true,
        }, TestChain.GenesisIssuance);
        await Ok(chain, new Faucet { Signer = Owner, Amount = 5_000 * Tao.Rao });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot });
        await Ok(chain, new RegisterNetwork { Signer = Owner, Hotkey = OwnerHot2 });
        foreach (var who in new[] { Alice, "bob", "carol", "dave" }) await Ok(chain, new Faucet { Signer = who, Amount = 1_000 * Tao.Rao });
        await Ok(chain, new BurnedRegister { Signer = Alice, Netuid = One, Hotkey = AliceHot });
        await Ok(chain, new AddStake { Signer = Alice, Hotkey = AliceHot, Netuid = One, Amount = 30 * Tao.Rao });
        await Ok(chain, new AddStake { Signer = "bob", Hotkey = AliceHot, Netuid = One, Amount = 7 * Tao.Rao });
        await Ok(chain, new AddStake { Signer = "carol", Hotkey = OwnerHot2, Netuid = 2, Amount = 300 * Tao.Rao });
        return chain;
    }

    private static async Task<InMemoryChain> Chain2Cheaper()
    {
        var chain = await FullChain();
        await Blocks(chain, 12);
        chain.State.Subnets[2].MovingPrice /= 2;
        return chain;
    }

    [Fact]
    public async Task RegisterNetwork_AtTheCap_DissolvesTheCheapestNonImmuneSubnet_PayingItsStakersProRata()
    {
        var chain = await FullChain();
        // Within the network immunity no subnet may go.
        await Rejected(chain, new RegisterNetwork { Signer = "dave", Hotkey = "dave-hot" }, Codes.TooManySubnets);
        await Blocks(chain, 12); // past the immunity; an epoch has paid stake on both
        // Both pools sit above price 1, where the moving price caps (min(price, 1)): their moving prices are equal, and the
        // tie goes to the earlier registration. Set them apart by hand so the lowest price decides: subnet 2 cheaper first.
        Assert.Equal(chain.State.Subnets[One].MovingPrice, chain.State.Subnets[2].MovingPrice);
        var cheap2 = await Chain2Cheaper();
        Assert.Equal((ushort)2, (await Ok(cheap2, new RegisterNetwork { Signer = "dave", Hotkey = "dave-hot" })).Netuid);
        Assert.Equal(0UL, cheap2.Hotkey(OwnerHot2).StakeIn(2)); // Carol's stake on the dissolved subnet 2 is paid out
        Assert.True(cheap2.Hotkey(AliceHot).StakeIn(One) > 0);
        chain.State.Subnets[One].MovingPrice /= 2;

        var e = chain.State.Subnets[One];
        ulong pot = e.PoolTao, recycled = chain.State.Recycled;
        var stakes = chain.Hotkeys.SelectMany(h => chain.Hotkey(h).Stakes
            .Where(kv => kv.Key.StartsWith("1|", StringComparison.Ordinal)).Select(kv => (Hotkey: h, Coldkey: kv.Key[2..], Alpha: kv.Value))).ToList();
        Assert.Contains(stakes, s => s.Coldkey == "bob");
        UInt128 total = (UInt128)e.PoolAlpha + e.ProtocolAlpha + stakes.Aggregate(UInt128.Zero, (t, s) => t + s.Alpha);
        var before = stakes.Select(s => s.Coldkey).Distinct().ToDictionary(c => c, c => chain.Account(c).Balance);
        ulong daveBefore = chain.Account("dave").Balance, lockCost = LockCost.At(chain.State.Block, chain.State.LastLockCost, chain.State.LastLockBlock, chain.Rules);

        var created = await Ok(chain, new RegisterNetwork { Signer = "dave", Hotkey = "dave-hot" });
        Assert.Equal(One, created.Netuid); // the dissolved netuid is reused

        // Each staker's TAO: its alpha's pro-rata part of the pool's TAO, floored, plus at most one rao of the remainder.
        ulong paid = 0;
        foreach (var (coldkey, balance) in before)
        {
            ulong got = chain.Account(coldkey).Balance - balance + (coldkey == "dave" ? lockCost : 0);
            UInt128 alpha = stakes.Where(s => s.Coldkey == coldkey).Aggregate(UInt128.Zero, (t, s) => t + s.Alpha);
            ulong floor = (ulong)(pot * alpha / total);
            Assert.InRange(got, floor, floor + (ulong)stakes.Count(s => s.Coldkey == coldkey));
            paid += got;
        }
        Assert.Equal(pot - paid, chain.State.Recycled - recycled); // the protocol's part is recycled, to the rao
        Assert.True(chain.State.Recycled - recycled >= (ulong)(pot * ((UInt128)e.PoolAlpha + e.ProtocolAlpha) / total));
        Assert.Equal(daveBefore - lockCost, chain.Account("dave").Balance);
        // No alpha entry, registration or neuron of the old subnet is left; the new one is Dave's, fresh.
        foreach (string h in chain.Hotkeys) Assert.Equal(0UL, chain.Hotkey(h).StakeIn(One));
        Assert.False(chain.Hotkey(AliceHot).Registrations.ContainsKey(One));
        var fresh = chain.Subnet(One)!;
        Assert.Equal(["dave-hot"], fresh.Neurons.Select(n => n.Hotkey));
        Assert.Empty(fresh.Epochs);
        Assert.Equal("dave", chain.State.Subnets[One].OwnerColdkey);
        Assert.Contains(chain.Events, ev => ev.Kind == "NetworkRemoved" && ev.Netuid == One && ev.Tao == pot);
        await Blocks(chain, 12); // the chain goes on, conserved
    }

    [Fact]
    public async Task Dissolution_ConservesThroughRandomSequences()
    {
        var rng = new Random(20261202);
        for (int run = 0; run < 4; run++)
        {
            var chain = await FullChain();
            string[] coldkeys = [Alice, "bob", "carol", "dave"];
            for (int step = 0; step < 60; step++)
            {
                string who = coldkeys[rng.Next(coldkeys.Length)];
                var netuids = chain.State.Subnets.Keys.ToArray();
                ushort netuid = netuids[rng.Next(netuids.Length)];
                string hotkey = chain.Subnet(netuid)!.Neurons[rng.Next(chain.Subnet(netuid)!.Neurons.Count)].Hotkey;
                Operation op = rng.Next(5) switch
                {
                    0 => new AddStake { Signer = who, Hotkey = hotkey, Netuid = netuid, Amount = (ulong)rng.Next(1, 50) * Tao.Rao / 10 },
                    1 => new RemoveStake { Signer = who, Hotkey = hotkey, Netuid = netuid, Amount = (ulong)rng.Next(1, 50) * Tao.Rao / 100 },
                    2 => new RegisterNetwork { Signer = who, Hotkey = $"{who}-net-{step}" },
                    3 => new BurnedRegister { Signer = who, Netuid = netuid, Hotkey = $"{who}-hot-{step}" },
                    _ => new Faucet { Signer = who, Amount = 200 * Tao.Rao },
                };
                await chain.ExecuteAsync(op);
                AssertConsistent(chain);
                if (step % 3 == 0) await Blocks(chain, 1);
            }
            Assert.Contains(chain.Events, ev => ev.Kind == "NetworkRemoved");
        }
    }
}
