using Bittensor.Testing;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Bittensor.Keys;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Commit-reveal v2 on the pure runtime (<see cref="InMemoryChain"/>): a client that hashes the documented encoding
/// itself commits and reveals; every rule of commit_weights, reveal_weights and batch_reveal_weights rejects with its
/// code and leaves the state as it was; the epoch's mask input comes from the unexpired commits.
/// </summary>
public sealed class CommitRevealTests
{
    private const ushort Netuid = 1;
    private const ulong Tempo = 10;

    private readonly InMemoryChain _chain = new(TestChain.Rules with { NewSubnetTempo = Tempo }, ClusterFixture.Genesis);
    private readonly KeyPair _validator = KeyPair.Generate();
    private readonly string _owner = KeyPair.Generate().Address, _ownerHot = KeyPair.Generate().Address, _validatorCold = KeyPair.Generate().Address;
    private readonly string[] _miners = [.. Enumerable.Range(0, 3).Select(_ => KeyPair.Generate().Address)];

    // ---- A third party's encoder: SCALE as the spec writes it, BLAKE2b-256, nothing from the repository's hash code. ----

    private static byte[] Compact(int n) => n switch
    {
        < 1 << 6 => [(byte)(n << 2)],
        < 1 << 14 => BitConverter.GetBytes((ushort)((n << 2) | 1)),
        _ => BitConverter.GetBytes((uint)((n << 2) | 2)),
    };

    private static IEnumerable<byte> Vec(IReadOnlyCollection<ushort> items) => Compact(items.Count).Concat(items.SelectMany(BitConverter.GetBytes));

    private static string ThirdPartyHash(byte[] publicKey, ushort netuid, ushort[] uids, ushort[] values, ushort[] salt, ulong versionKey)
    {
        Assert.True(BitConverter.IsLittleEndian);
        byte[] data = [.. publicKey, .. BitConverter.GetBytes(netuid), .. Vec(uids), .. Vec(values), .. Vec(salt), .. BitConverter.GetBytes(versionKey)];
        return "0x" + Convert.ToHexString(NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash(data)).ToLowerInvariant();
    }

    [Fact]
    public void CommitHash_IsBlake2b256OfTheScaleEncoding_AsSubtensorsGetCommitHash()
    {
        // Vectors computed with Python's hashlib.blake2b(digest_size=32) over the SCALE bytes, for Alice's public key.
        byte[] alice = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
        string address = Ss58.Encode(alice);
        Assert.Equal("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", address);
        Assert.Equal("0xf659ae7db54e83c3a01551769e722eb6a3ee70e1074431713f2b2d8b8261f72d",
            WeightCommitHash.Compute(address, 1, [0, 1, 2], [65535, 32768, 1], [1, 2, 3, 4, 5, 6, 7, 8], 0));
        // 70 uids: the two-byte compact length.
        ushort[] uids = [.. Enumerable.Range(0, 70).Select(i => (ushort)i)], values = [.. uids.Select(u => (ushort)(1000 + u))];
        Assert.Equal("0x11b3f87d3f41be426605d3a16ef1589dd4f76c1eb91f2d629746e072c48a2231",
            WeightCommitHash.Compute(address, 3, uids, values, [9, 8, 7], 123_456_789));
        Assert.Equal(ThirdPartyHash(alice, 3, uids, values, [9, 8, 7], 123_456_789), WeightCommitHash.Compute(alice, 3, uids, values, [9, 8, 7], 123_456_789));

        // SCALE compact lengths: 1, 2, 4 bytes, then the big-integer mode.
        Assert.Equal([0xfc], WeightCommitHash.CompactLength(63));
        Assert.Equal([0x01, 0x01], WeightCommitHash.CompactLength(64));
        Assert.Equal([0xfd, 0xff], WeightCommitHash.CompactLength(16383));
        Assert.Equal([0x02, 0x00, 0x01, 0x00], WeightCommitHash.CompactLength(16384));
        Assert.Equal([0x03, 0x00, 0x00, 0x00, 0x40], WeightCommitHash.CompactLength(1u << 30));
        Assert.True(WeightCommitHash.TryParse("0x" + new string('A', 64), out string lower));
        Assert.Equal("0x" + new string('a', 64), lower);
        Assert.False(WeightCommitHash.TryParse("0x" + new string('g', 64), out _));
        Assert.False(WeightCommitHash.TryParse(new string('a', 66), out _));
    }

    // ---- A subnet with commit-reveal on: owner, one validator with a permit, three miners. ----

    private async Task<OpResult> Ok(Operation op)
    {
        var r = await _chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name}: {r.Code}: {r.Message}");
        return r;
    }

    private async Task SetAsync(string name, string value) =>
        await Ok(new SetHyperparameter { Signer = _owner, Netuid = Netuid, Name = name, Value = value });

    private async Task<ushort[]> SubnetAsync(ulong rateLimit = 0)
    {
        await Ok(new Faucet { Signer = _owner, Amount = 5_000 * Tao.Rao });
        await _chain.ProduceBlockAsync();
        await Ok(new RegisterNetwork { Signer = _owner, Hotkey = _ownerHot });
        await SetAsync("weights_rate_limit", $"{rateLimit}");
        await Ok(new Faucet { Signer = _validatorCold, Amount = 1_000 * Tao.Rao });
        await Ok(new BurnedRegister { Signer = _validatorCold, Netuid = Netuid, Hotkey = _validator.Address });
        await Ok(new AddStake { Signer = _validatorCold, Hotkey = _validator.Address, Netuid = Netuid, Amount = 100 * Tao.Rao });
        foreach (string miner in _miners)
        {
            await Ok(new Faucet { Signer = miner, Amount = 100 * Tao.Rao });
            await Ok(new BurnedRegister { Signer = miner, Netuid = Netuid, Hotkey = miner });
        }
        await BlocksAsync((int)Tempo + 2); // an epoch hands out validator permits
        Assert.True(Subnet.Neurons[Uid(_validator.Address)].ValidatorPermit);
        await SetAsync("commit_reveal_weights_enabled", "true");
        return [.. _miners.Select(Uid)];
    }

    private SubnetState Subnet => _chain.Subnet(Netuid)!;

    private ushort Uid(string hotkey) => (ushort)Subnet.UidOf(hotkey);

    private Neuron ValidatorNeuron => Subnet.Neurons[Uid(_validator.Address)];

    private ulong EpochIndex => _chain.State.Subnets[Netuid].EpochIndex;

    private async Task BlocksAsync(int count)
    {
        for (int i = 0; i < count; i++) await _chain.ProduceBlockAsync();
    }

    /// <summary>Produces blocks until the subnet's epoch index is <paramref name="epoch"/> (never past it).</summary>
    private async Task ToEpochAsync(ulong epoch)
    {
        Assert.True(EpochIndex <= epoch, $"already in epoch {EpochIndex}");
        while (EpochIndex < epoch) await _chain.ProduceBlockAsync();
    }

    private CommitWeights Commit(string hash) => new() { Signer = _validator.Address, Netuid = Netuid, CommitHash = hash };

    private RevealWeights Reveal(ushort[] uids, ushort[] values, ushort[] salt, ulong versionKey = 0) => new()
    {
        Signer = _validator.Address, Netuid = Netuid, Uids = [.. uids], Values = [.. values], Salt = [.. salt], VersionKey = versionKey,
    };

    /// <summary>Everything a weights call could change: the subnet's rows, last updates and commits, the signer's nonce, events.</summary>
    private string Snapshot()
    {
        var text = new StringBuilder($"seq {_chain.State.Seq} events {_chain.Events.Count} nonce {_chain.Account(_validator.Address).Nonce}\n");
        foreach (var n in Subnet.Neurons)
            text.AppendLine($"{n.Hotkey} {n.LastUpdate} [{string.Join(',', n.WeightColumns)}] [{string.Join(',', n.WeightValues)}] {string.Join(';', n.Commits)}");
        return text.ToString();
    }

    /// <summary>The operation is rejected with <paramref name="code"/> and changes nothing.</summary>
    private async Task<OpResult> Rejected(Operation op, string code)
    {
        string before = Snapshot();
        var r = await _chain.ExecuteAsync(op);
        Assert.False(r.Ok, $"{op.GetType().Name} was applied");
        Assert.Equal(code, r.Code);
        Assert.Equal(before, Snapshot());
        return r;
    }

    [Fact]
    public async Task ThirdPartyHash_CommitsAndReveals_TheWeightsAreSet_LastUpdateIsTheCommitsBlock()
    {
        var uids = await SubnetAsync();
        ushort[] values = [100, 300, 200], salt = [11, 22, 33, 44, 55, 66, 77, 88];
        string hash = ThirdPartyHash(_validator.PublicKey, Netuid, uids, values, salt, 0);

        await Ok(Commit(hash));
        ulong commitBlock = _chain.State.Block, commitEpoch = EpochIndex;
        Assert.Equal([new WeightCommit(hash, commitEpoch, commitBlock)], ValidatorNeuron.Commits);
        Assert.Equal(commitBlock, ValidatorNeuron.LastUpdate); // last_update is set by the commit (spec yuma, last_update)
        Assert.Empty(ValidatorNeuron.WeightColumns);

        await ToEpochAsync(commitEpoch + 1); // commit_reveal_period 1: revealed in the next epoch
        await Ok(Reveal(uids, values, salt));
        Assert.Equal(uids, ValidatorNeuron.WeightColumns);
        Assert.Equal(WeightMath.MaxUpscale(values), ValidatorNeuron.WeightValues);
        Assert.Empty(ValidatorNeuron.Commits);
        Assert.Equal(commitBlock, ValidatorNeuron.LastUpdate); // the reveal does not move it
        Assert.Equal(["WeightsCommitted", "WeightsSet", "WeightsRevealed"],
            _chain.Events.Where(e => e.Kind.StartsWith("Weights", StringComparison.Ordinal)).Select(e => e.Kind));

        // The revealed weights pay the miners in the next epoch.
        await BlocksAsync((int)Tempo + 1);
        Assert.All(uids, u => Assert.True(Subnet.Neurons[u].Incentive > 0, $"uid {u} has no incentive"));
    }

    [Fact]
    public async Task CommitRevealPeriod_SetsTheRevealEpoch()
    {
        var uids = await SubnetAsync();
        await SetAsync("commit_reveal_period", "2");
        ushort[] values = [1, 2, 3], salt = [5];
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values, salt, 0)));
        ulong epoch = EpochIndex;
        await ToEpochAsync(epoch + 1);
        await Rejected(Reveal(uids, values, salt), Codes.RevealTooEarly);
        await ToEpochAsync(epoch + 2);
        await Ok(Reveal(uids, values, salt));
    }

    [Fact]
    public async Task SetWeights_OnACommitRevealSubnet_IsRefused_SayingToCommit()
    {
        var uids = await SubnetAsync();
        var r = await Rejected(new SetWeights { Signer = _validator.Address, Netuid = Netuid, Uids = [.. uids], Weights = [1, 1, 1] }, Codes.CommitRevealEnabled);
        Assert.Contains("commit_weights", r.Message);
    }

    [Fact]
    public async Task CommitAndReveal_WithCommitRevealOff_AreRefused()
    {
        var uids = await SubnetAsync();
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [1], 0)));
        await SetAsync("commit_reveal_weights_enabled", "false");
        await Rejected(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [2], 0)), Codes.CommitRevealDisabled);
        await Rejected(Reveal(uids, [1, 1, 1], [1]), Codes.CommitRevealDisabled);
        await Rejected(new BatchRevealWeights { Signer = _validator.Address, Netuid = Netuid, UidsList = [], ValuesList = [], SaltsList = [], VersionKeys = [] },
            Codes.CommitRevealDisabled);
    }

    [Fact]
    public async Task Reveal_OfDataThatHashesToNoCommit_IsRefused()
    {
        var uids = await SubnetAsync();
        ushort[] values = [1, 2, 3], salt = [7, 7];
        await Rejected(Reveal(uids, values, salt), Codes.NoWeightsCommitFound);
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values, salt, 0)));
        await ToEpochAsync(EpochIndex + 1);
        await Rejected(Reveal(uids, values, [7, 8]), Codes.InvalidRevealCommitHashNotMatch); // wrong salt
        await Rejected(Reveal(uids, [1, 2, 4], salt), Codes.InvalidRevealCommitHashNotMatch); // other values
        await Rejected(Reveal(uids, values, salt, versionKey: 1), Codes.InvalidRevealCommitHashNotMatch); // other version key
        // Another hotkey cannot reveal the validator's commit: the hash covers the signer's public key.
        await Rejected(Reveal(uids, values, salt) with { Signer = _ownerHot }, Codes.NoWeightsCommitFound);
        await Rejected(Reveal(uids, values, salt) with { Netuid = 9 }, Codes.SubnetNotFound);
        await Ok(Reveal(uids, values, salt));
    }

    [Fact]
    public async Task Reveal_InTheCommitsOwnEpoch_IsTooEarly()
    {
        var uids = await SubnetAsync();
        ushort[] values = [1, 2, 3], salt = [1];
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values, salt, 0)));
        await _chain.ProduceBlockAsync();
        var r = await Rejected(Reveal(uids, values, salt), Codes.RevealTooEarly);
        Assert.Contains($"revealed in epoch {EpochIndex + 1}", r.Message);
    }

    [Fact]
    public async Task Reveal_AfterTheRevealEpoch_IsRefused_TheCommitHasExpired()
    {
        var uids = await SubnetAsync();
        ushort[] values = [1, 2, 3], salt = [1];
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values, salt, 0)));
        await ToEpochAsync(EpochIndex + 2);
        await Rejected(Reveal(uids, values, salt), Codes.ExpiredWeightCommit);
        await Rejected(Reveal(uids, values, [2]), Codes.NoWeightsCommitFound); // nothing unexpired is left
        Assert.Single(ValidatorNeuron.Commits); // an expired commit is dropped by the next commit, not by a failed reveal
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values, [3], 0)));
        Assert.Equal(EpochIndex, Assert.Single(ValidatorNeuron.Commits).Epoch);
    }

    [Fact]
    public async Task Commit_BeyondTenUnrevealed_IsRefused_UntilTheyExpire()
    {
        var uids = await SubnetAsync();
        for (ushort k = 0; k < CommitReveal.MaxUnrevealedCommits; k++)
            await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [k], 0)));
        await Rejected(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [99], 0)), Codes.TooManyUnrevealedCommits);
        await ToEpochAsync(EpochIndex + 2); // all ten expire
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [99], 0)));
        Assert.Single(ValidatorNeuron.Commits);
    }

    [Fact]
    public async Task Commit_WithinTheWeightsRateLimit_IsRefused_NamingTheNextBlock()
    {
        var uids = await SubnetAsync(rateLimit: 3);
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [1], 0)));
        ulong at = _chain.State.Block;
        var r = await Rejected(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [2], 0)), Codes.CommittingWeightsTooFast);
        Assert.Equal(at + 3, r.NextAllowedBlock);
        await BlocksAsync(3);
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [2], 0)));
    }

    [Fact]
    public async Task Commit_ByAnUnregisteredHotkey_OrOnAMissingSubnet_IsRefused()
    {
        var uids = await SubnetAsync();
        string hash = WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [1], 0);
        await Rejected(Commit(hash) with { Signer = KeyPair.Generate().Address }, Codes.HotkeyNotRegistered);
        await Rejected(Commit(hash) with { Netuid = 9 }, Codes.SubnetNotFound);
    }

    [Fact]
    public async Task Reveal_ThatBreaksTheWeightRules_IsRefused_AndTheCommitStays()
    {
        var uids = await SubnetAsync();
        ushort[] salt = [4, 2];
        ushort[] shortValues = [1, 2]; // three uids, two values
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, shortValues, salt, 0)));
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, [uids[0], uids[0]], [1, 1], salt, 0)));
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, [uids[0], 99], [1, 1], salt, 0)));
        await ToEpochAsync(EpochIndex + 1);
        await Rejected(Reveal(uids, shortValues, salt), Codes.WeightVecLengthMismatch);
        await Rejected(Reveal([uids[0], uids[0]], [1, 1], salt), Codes.DuplicateUids);
        await Rejected(Reveal([uids[0], 99], [1, 1], salt), Codes.UidNotFound);
        Assert.Equal(3, ValidatorNeuron.Commits.Length);
    }

    [Fact]
    public async Task Reveal_OfALaterCommit_DropsTheOlderOnes()
    {
        var uids = await SubnetAsync();
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [1], 0)));
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 2, 3], [2], 0)));
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [3, 2, 1], [3], 0)));
        await ToEpochAsync(EpochIndex + 1);
        await Ok(Reveal(uids, [1, 2, 3], [2]));
        Assert.Equal(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [3, 2, 1], [3], 0), Assert.Single(ValidatorNeuron.Commits).Hash);
        await Rejected(Reveal(uids, [1, 1, 1], [1]), Codes.InvalidRevealCommitHashNotMatch);
    }

    [Fact]
    public async Task BatchReveal_RevealsAll_OrNone()
    {
        var uids = await SubnetAsync();
        ushort[][] values = [[1, 1, 1], [1, 2, 3], [3, 2, 1]];
        for (ushort k = 0; k < 3; k++) await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values[k], [k], 0)));
        await ToEpochAsync(EpochIndex + 1);
        BatchRevealWeights Batch(params int[] which) => new()
        {
            Signer = _validator.Address, Netuid = Netuid,
            UidsList = [.. which.Select(_ => uids.ToImmutableArray())], ValuesList = [.. which.Select(k => values[k].ToImmutableArray())],
            SaltsList = [.. which.Select(k => ImmutableArray.Create((ushort)k))], VersionKeys = [.. which.Select(_ => 0UL)],
        };
        await Rejected(Batch(0, 2) with { VersionKeys = [0] }, Codes.InputLengthsUnequal);
        await Rejected(Batch(0, 2) with { SaltsList = [[0], [9]] }, Codes.InvalidRevealCommitHashNotMatch); // the first is valid: nothing is applied
        await Rejected(Batch(0, 0), Codes.InvalidRevealCommitHashNotMatch); // the same commit twice

        await Ok(Batch(0, 2));
        Assert.Equal(WeightMath.MaxUpscale(values[2]), ValidatorNeuron.WeightValues); // the last reveal stands
        var left = Assert.Single(ValidatorNeuron.Commits); // only the revealed commits leave the queue
        Assert.Equal(WeightCommitHash.Compute(_validator.Address, Netuid, uids, values[1], [1], 0), left.Hash);
        Assert.Contains(_chain.Events, e => e.Kind == "WeightsBatchRevealed" && e.Number == 2);
    }

    [Fact]
    public void CommitCalls_ParseSubtensorsArguments_AndRefuseMalformedOnes()
    {
        string signer = _validator.Address;
        var args = (string json) => System.Text.Json.JsonDocument.Parse(json).RootElement;
        var commit = (CommitWeights)Calls.Parse("commit_weights", args($$"""{"netuid":1,"commit_hash":"0x{{new string('A', 64)}}"}"""), signer, 0)!;
        Assert.Equal("0x" + new string('a', 64), commit.CommitHash);
        var reveal = (RevealWeights)Calls.Parse("reveal_weights", args("""{"netuid":1,"uids":[1,2],"values":[3,4],"salt":[5],"version_key":6}"""), signer, 0)!;
        Assert.Equal([5], reveal.Salt);
        var batch = (BatchRevealWeights)Calls.Parse("batch_reveal_weights",
            args("""{"netuid":1,"uids_list":[[1]],"values_list":[[2]],"salts_list":[[3]],"version_keys":[4]}"""), signer, 0)!;
        Assert.Equal(4UL, Assert.Single(batch.VersionKeys));

        Assert.Equal("commit_hash", Assert.Throws<CallFormatException>(() => Calls.Parse("commit_weights", args("""{"netuid":1,"commit_hash":"0x12"}"""), signer, 0)).Field);
        Assert.Equal("salt", Assert.Throws<CallFormatException>(() => Calls.Parse("reveal_weights", args("""{"netuid":1,"uids":[],"values":[],"version_key":0}"""), signer, 0)).Field);
        Assert.Equal("uids_list[0]", Assert.Throws<CallFormatException>(() => Calls.Parse("batch_reveal_weights",
            args("""{"netuid":1,"uids_list":[[70000]],"values_list":[[2]],"salts_list":[[3]],"version_keys":[4]}"""), signer, 0)).Field);
    }

    [Fact]
    public async Task RecordedEpoch_OfACommitRevealSubnet_CarriesItsMask_AndReRunsToTheSameOutputs()
    {
        var uids = await SubnetAsync();
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 2, 3], [1], 0)));
        await ToEpochAsync(EpochIndex + 1);
        await Ok(Reveal(uids, [1, 2, 3], [1]));
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [3, 2, 1], [2], 0))); // pending: the mask is live
        string late = KeyPair.Generate().Address;
        await Ok(new Faucet { Signer = late, Amount = 100 * Tao.Rao });
        await Ok(new BurnedRegister { Signer = late, Netuid = Netuid, Hotkey = late }); // registered after the commit

        var e = _chain.State.Subnets[Netuid];
        var start = new EpochStart { Netuid = Netuid, Index = e.EpochIndex, Block = _chain.State.Block, Hyper = e.Hyper, RaoEmission = Tao.Rao };
        var request = EpochRequest.From(Subnet, start);
        Assert.Contains("\"commit_blocks\"", RecordedEpochs.AssertReRunsExactly(request));
    }

    [Fact]
    public async Task EpochMask_TakesEachUidsFirstUnexpiredCommitBlock()
    {
        var uids = await SubnetAsync();
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [1], 0)));
        ulong first = _chain.State.Block;
        await _chain.ProduceBlockAsync();
        await Ok(Commit(WeightCommitHash.Compute(_validator.Address, Netuid, uids, [1, 1, 1], [2], 0)));
        var e = _chain.State.Subnets[Netuid];
        var start = new EpochStart { Netuid = Netuid, Index = e.EpochIndex, Block = _chain.State.Block, Hyper = e.Hyper, RaoEmission = 0 };
        var mask = EpochRequest.From(Subnet, start).CommitBlocks!;
        Assert.Equal(first, mask[Uid(_validator.Address)]);
        Assert.All(uids, u => Assert.Equal(ulong.MaxValue, mask[u]));
        // Two epochs on, both commits have expired: no mask; with commit-reveal off, no mask input at all.
        Assert.All(EpochRequest.From(Subnet, start with { Index = e.EpochIndex + 2 }).CommitBlocks!, b => Assert.Equal(ulong.MaxValue, b));
        Assert.Null(EpochRequest.From(Subnet, start with { Hyper = e.Hyper with { CommitRevealWeightsEnabled = false } }).CommitBlocks);
        var (parameters, input) = EpochRequest.From(Subnet, start).ToEngine();
        Assert.True(parameters.CommitReveal);
        Assert.Equal(mask, input.CommitBlocks);
    }
}
