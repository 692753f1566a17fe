using Bittensor.Testing;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;
using Bittensor.Keys;

namespace Bittensor.Grains.Tests;

/// <summary>
/// Commit-reveal v4 (timelocked weights) on the pure runtime: a client seals weights to a future round of the cluster's
/// hash-chain beacon with the documented layout; the chain decrypts and sets them in the block that publishes the round
/// (in the commit's reveal epoch), not before; the epoch pays by them; every rule of commit_timelocked_weights rejects
/// with its code and changes nothing; commits that cannot be read at reveal time are dropped and the chain goes on.
/// </summary>
public sealed class TimelockTests
{
    private const ushort Netuid = 1;
    private const ulong Tempo = 10;

    private static readonly ChainRules Rules = TestChain.Rules with { NewSubnetTempo = Tempo };

    private readonly InMemoryChain _chain = new(Rules, ClusterFixture.Genesis);
    private readonly KeyPair _validator = KeyPair.Generate();
    private readonly string _owner = KeyPair.Generate().Address, _ownerHot = KeyPair.Generate().Address, _validatorCold = KeyPair.Generate().Address;
    private readonly string[] _miners = [.. Enumerable.Range(0, 3).Select(_ => KeyPair.Generate().Address)];

    private static IRandomnessBeacon Beacon => HashChainBeacon.For(Rules);

    // ---- A third party's sealing: the README's layout with NSec and AES-GCM, nothing from the repository's cipher. ----

    private static byte[] ThirdPartyPayload(byte[] publicKey, ushort[] uids, ushort[] values, ulong versionKey)
    {
        static IEnumerable<byte> Vec(ushort[] items) => new[] { (byte)(items.Length << 2) }.Concat(items.SelectMany(BitConverter.GetBytes));
        return [(byte)(32 << 2), .. publicKey, .. Vec(uids), .. Vec(values), .. BitConverter.GetBytes(versionKey)];
    }

    private static byte[] ThirdPartySeal(byte[] roundPublicKey, ulong round, byte[] plaintext)
    {
        var x25519 = NSec.Cryptography.KeyAgreementAlgorithm.X25519;
        using var ephemeral = NSec.Cryptography.Key.Create(x25519);
        byte[] epk = ephemeral.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
        using var shared = x25519.Agree(ephemeral, NSec.Cryptography.PublicKey.Import(x25519, roundPublicKey, NSec.Cryptography.KeyBlobFormat.RawPublicKey))!;
        byte[] header = [1, .. BitConverter.GetBytes(round)];
        byte[] key = NSec.Cryptography.KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(shared, epk, [.. "bittensor-orleans/tlock/v1"u8, .. BitConverter.GetBytes(round)], 32);
        byte[] nonce = RandomNumberGenerator.GetBytes(12), cipher = new byte[plaintext.Length], tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, cipher, tag, header);
        return [.. header, .. epk, .. nonce, .. cipher, .. tag];
    }

    [Fact]
    public void Beacon_RoundSecrets_VerifyAgainstTheAnchor_AndArePublishedOnePerRound()
    {
        var beacon = new HashChainBeacon("seed"u8, 5000, 2);
        Assert.Null(beacon.RoundSecret(11, 21));
        byte[] r11 = beacon.RoundSecret(11, 22)!;
        Assert.Equal(11UL, beacon.LatestRound(23));
        Assert.True(HashChainBeacon.Verify(beacon.Anchor, 11, r11));
        Assert.Equal(r11, SHA256.HashData(beacon.RoundSecret(12, 24)!)); // a later round reveals the earlier ones
        Assert.True(HashChainBeacon.Verify(beacon.Anchor, 3000, beacon.RoundSecret(3000, 6000)!));
        Assert.True(HashChainBeacon.Verify(beacon.Anchor, 7, beacon.RoundSecret(7, 6000)!));
        Assert.False(HashChainBeacon.Verify(beacon.Anchor, 12, r11));
        Assert.Equal(TimelockCipher.PublicKey(beacon.RoundSecret(11, 22)!), beacon.PublicKey(11));
        byte[] sealedTo11 = TimelockCipher.Encrypt(beacon.PublicKey(11), 11, [1, 2, 3]);
        Assert.Equal([1, 2, 3], TimelockCipher.TryDecrypt(r11, 11, sealedTo11));
        Assert.Null(TimelockCipher.TryDecrypt(beacon.RoundSecret(10, 22)!, 11, sealedTo11));
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

    private async Task<ushort[]> SubnetAsync()
    {
        await Ok(new Faucet { Signer = _owner, Amount = 5_000 * Tao.Rao });
        await _chain.ProduceBlockAsync();
        await Ok(new RegisterNetwork { Signer = _owner, Hotkey = _ownerHot });
        await SetAsync("weights_rate_limit", "0");
        await Ok(new Faucet { Signer = _validatorCold, Amount = 1_000 * Tao.Rao });
        await Ok(new BurnedRegister { Signer = _validatorCold, Netuid = Netuid, Hotkey = _validator.Address });
        await Ok(new AddStake { Signer = _validatorCold, Hotkey = _validator.Address, Netuid = Netuid, Amount = 100 * Tao.Rao });
        foreach (string miner in _miners)
        {
            await Ok(new Faucet { Signer = miner, Amount = 100 * Tao.Rao });
            await Ok(new BurnedRegister { Signer = miner, Netuid = Netuid, Hotkey = miner });
        }
        await BlocksAsync((int)Tempo + 2); // an epoch hands out validator permits
        await SetAsync("commit_reveal_weights_enabled", "true");
        await ToEpochAsync(EpochIndex + 1); // at an epoch's first block
        return [.. _miners.Select(Uid)];
    }

    private SubnetState Subnet => _chain.Subnet(Netuid)!;

    private ushort Uid(string hotkey) => (ushort)Subnet.UidOf(hotkey);

    private Neuron ValidatorNeuron => Subnet.Neurons[Uid(_validator.Address)];

    private ulong EpochIndex => _chain.State.Subnets[Netuid].EpochIndex;

    private ulong Block => _chain.State.Block;

    private async Task BlocksAsync(int count)
    {
        for (int i = 0; i < count; i++) await _chain.ProduceBlockAsync();
    }

    private async Task ToBlockAsync(ulong block)
    {
        while (Block < block) await _chain.ProduceBlockAsync();
    }

    private async Task ToEpochAsync(ulong epoch)
    {
        while (EpochIndex < epoch) await _chain.ProduceBlockAsync();
    }

    private CommitTimelockedWeights Commit(byte[] commit, ulong round, ushort version = TimelockReveal.CommitRevealVersion, string? signer = null) => new()
    {
        Signer = signer ?? _validator.Address, Netuid = Netuid, Commit = commit, RevealRound = round, CommitRevealVersion = version,
    };

    private CommitTimelockedWeights Sealed(ushort[] uids, ushort[] values, ulong round, string? hotkey = null) =>
        Commit(TimelockCipher.Encrypt(Beacon.PublicKey(round), round, TimelockPayload.For(hotkey ?? _validator.Address, uids, values, 0).Encode()), round);

    /// <summary>Everything a weights call could change: rows, last updates, pending timelocked commits, the nonce, events.</summary>
    private string Snapshot()
    {
        var text = new StringBuilder($"seq {_chain.State.Seq} events {_chain.Events.Count} nonce {_chain.Account(_validator.Address).Nonce}\n");
        text.AppendLine(string.Join(';', _chain.State.Subnets.Values.SelectMany(e => e.Timelocked).Select(c => $"{c.Who}@{c.Epoch}/{c.Block}/{c.RevealRound}")));
        foreach (var n in Subnet.Neurons)
            text.AppendLine($"{n.Hotkey} {n.LastUpdate} [{string.Join(',', n.WeightColumns)}] [{string.Join(',', n.WeightValues)}]");
        return text.ToString();
    }

    private async Task Rejected(Operation op, string code)
    {
        string before = Snapshot();
        var r = await _chain.ExecuteAsync(op);
        Assert.False(r.Ok, $"{op.GetType().Name} was applied");
        Assert.Equal(code, r.Code);
        Assert.Equal(before, Snapshot());
    }

    private int Revealed => _chain.Events.Count(e => e.Kind == "TimelockedWeightsRevealed");

    [Fact]
    public async Task ThirdPartySealedCommit_IsAppliedInTheBlockThatPublishesItsRound_NotBefore_AndTheEpochPaysByIt()
    {
        var uids = await SubnetAsync();
        ulong commitEpoch = EpochIndex, commitBlock = Block, round = commitBlock + Tempo + 4; // a block in the reveal epoch
        ushort[] values = [100, 300, 200];
        await Ok(Commit(ThirdPartySeal(Beacon.PublicKey(round), round, ThirdPartyPayload(_validator.PublicKey, uids, values, 0)), round));
        Assert.Equal(commitBlock, ValidatorNeuron.LastUpdate); // last_update is set by the commit
        Assert.Single(_chain.State.Subnets[Netuid].Timelocked);

        await ToBlockAsync(round - 1);
        Assert.Equal(commitEpoch + 1, EpochIndex); // in the reveal epoch, the round not yet published
        Assert.Empty(ValidatorNeuron.WeightColumns);
        await _chain.ProduceBlockAsync();
        Assert.Equal(uids, ValidatorNeuron.WeightColumns);
        Assert.Equal(WeightMath.MaxUpscale(values), ValidatorNeuron.WeightValues);
        Assert.Equal(commitBlock, ValidatorNeuron.LastUpdate); // the reveal does not move it (subtensor)
        Assert.Empty(_chain.State.Subnets[Netuid].Timelocked);
        Assert.Equal(1, Revealed);

        await ToEpochAsync(commitEpoch + 2);
        await _chain.ProduceBlockAsync();
        Assert.All(uids, u => Assert.True(Subnet.Neurons[u].Incentive > 0, $"uid {u} has no incentive"));
    }

    [Fact]
    public async Task RoundPublishedBeforeTheRevealEpoch_IsAppliedAtTheRevealEpochsFirstBlock()
    {
        var uids = await SubnetAsync();
        ulong commitEpoch = EpochIndex;
        await Ok(Sealed(uids, [1, 2, 3], Block + 2));
        await BlocksAsync(3);
        Assert.Empty(ValidatorNeuron.WeightColumns); // published, but the commit's epoch is not over
        while (EpochIndex == commitEpoch)
        {
            Assert.Empty(ValidatorNeuron.WeightColumns);
            await _chain.ProduceBlockAsync();
        }
        Assert.Equal(uids, ValidatorNeuron.WeightColumns);
    }

    [Fact]
    public async Task RecordedEpoch_AfterATimelockedReveal_ReRunsToTheSameOutputs()
    {
        var uids = await SubnetAsync();
        ulong round = Block + Tempo + 4;
        await Ok(Sealed(uids, [1, 2, 3], round));
        await ToBlockAsync(round);
        Assert.Equal(uids, ValidatorNeuron.WeightColumns);
        await Ok(Sealed(uids, [3, 2, 1], round + 30)); // pending: the commit-reveal mask is live

        var e = _chain.State.Subnets[Netuid];
        var start = new EpochStart { Netuid = Netuid, Index = e.EpochIndex, Block = Block, Hyper = e.Hyper, RaoEmission = Tao.Rao };
        var request = EpochRequest.From(Subnet, start);
        RecordedEpochs.AssertReRunsExactly(request);
    }

    [Fact]
    public async Task EpochMask_TakesAPendingTimelockedCommitsBlock_UntilItIsRevealed()
    {
        var uids = await SubnetAsync();
        var masks = new List<ulong[]?>();
        _chain.EpochRan = (request, _) => masks.Add(request.CommitBlocks);
        ulong commitEpoch = EpochIndex, commitBlock = Block, round = Block + Tempo + 4;
        await Ok(Sealed(uids, [1, 2, 3], round));
        await ToEpochAsync(commitEpoch + 1); // the epoch that ends the commit's epoch: the commit is pending
        ushort validator = Uid(_validator.Address);
        Assert.Equal(commitBlock, Assert.Single(masks)![validator]);
        await ToEpochAsync(commitEpoch + 2); // revealed in between: no mask
        Assert.Equal(ulong.MaxValue, masks[^1]![validator]);
        Assert.Equal(uids, ValidatorNeuron.WeightColumns);
    }

    [Fact]
    public async Task UnreadableOrInvalidCommits_AreDroppedAtReveal_AndTheChainGoesOn()
    {
        var uids = await SubnetAsync();
        ulong round = Block + Tempo + 4;
        string other = _miners[0];
        byte[] garbage = [1, .. BitConverter.GetBytes(round), .. new byte[32 + 12 + 40 + 16]]; // right header, not a ciphertext
        await Ok(Commit(garbage, round));
        await Ok(Commit(TimelockCipher.Encrypt(Beacon.PublicKey(round), round, [1, 2, 3]), round)); // not a payload
        await Ok(Sealed(uids, [1, 2, 3], round, hotkey: other)); // another hotkey's payload
        await Ok(Sealed([999], [1], round)); // a uid that does not exist
        await Ok(Sealed(uids, [1, 2, 3], round + 1, hotkey: other)); // wrong hotkey again, a round later
        await ToBlockAsync(round + 1);
        Assert.Empty(_chain.State.Subnets[Netuid].Timelocked);
        Assert.Empty(ValidatorNeuron.WeightColumns);
        Assert.Equal(0, Revealed);
        Assert.True(_chain.Conserved());
        await Ok(Sealed(uids, [1, 2, 3], round + 30)); // and the validator still commits
    }

    [Fact]
    public async Task UnpublishedRound_ExpiresWithItsRevealEpoch()
    {
        var uids = await SubnetAsync();
        ulong epoch = EpochIndex;
        await Ok(Sealed(uids, [1, 2, 3], Block + 3 * Tempo + 10)); // published only after the reveal epoch
        await ToEpochAsync(epoch + 2);
        Assert.Empty(_chain.State.Subnets[Netuid].Timelocked);
        await ToBlockAsync(Block + 2 * Tempo);
        Assert.Empty(ValidatorNeuron.WeightColumns);
    }

    [Fact]
    public async Task WrongVersion_IsRefused() =>
        await RefusedAfterSetup(c => c with { CommitRevealVersion = 3 }, Codes.IncorrectCommitRevealVersion);

    [Fact]
    public async Task RoundAlreadyPublished_OrTooFarAhead_IsRefused()
    {
        var uids = await SubnetAsync();
        await Rejected(Sealed(uids, [1, 2, 3], Block), Codes.InvalidRevealRound);
        await Rejected(Sealed(uids, [1, 2, 3], Block - 5), Codes.InvalidRevealRound);
        await Rejected(Sealed(uids, [1, 2, 3], Block + Rules.MaxRevealRoundsAhead + 1), Codes.InvalidRevealRound);
        await Ok(Sealed(uids, [1, 2, 3], Block + Rules.MaxRevealRoundsAhead));
    }

    [Fact]
    public async Task MalformedCommits_AreRefused()
    {
        var uids = await SubnetAsync();
        ulong round = Block + 20;
        var good = Sealed(uids, [1, 2, 3], round);
        await Rejected(good with { Commit = good.Commit[..(TimelockCipher.Overhead - 1)] }, Codes.MalformedTimelockedCommit);
        await Rejected(good with { Commit = [2, .. good.Commit[1..]] }, Codes.MalformedTimelockedCommit); // format byte
        await Rejected(good with { RevealRound = round + 1 }, Codes.MalformedTimelockedCommit); // sealed to another round
        await Rejected(good with { Commit = [.. good.Commit, .. new byte[TimelockCipher.MaxCommitLength]] }, Codes.MalformedTimelockedCommit);
        Assert.Throws<CallFormatException>(() => Calls.Parse("commit_timelocked_weights",
            JsonDocument.Parse("""{"netuid":1,"commit":"0xzz","reveal_round":5,"commit_reveal_version":4}""").RootElement, _validator.Address, null));
        var parsed = (CommitTimelockedWeights)Calls.Parse("commit_timelocked_weights", JsonDocument.Parse(
            $$"""{"netuid":1,"commit":"0x{{Convert.ToHexStringLower(good.Commit)}}","reveal_round":{{round}},"commit_reveal_version":4}""").RootElement, _validator.Address, null)!;
        Assert.Equal(good.Commit, parsed.Commit);
        await Ok(parsed);
    }

    [Fact]
    public async Task CommitRevealOff_IsRefused()
    {
        var uids = await SubnetAsync();
        await SetAsync("commit_reveal_weights_enabled", "false");
        await Rejected(Sealed(uids, [1, 2, 3], Block + 20), Codes.CommitRevealDisabled);
        await Rejected(Sealed(uids, [1, 2, 3], Block + 20) with { Netuid = 7 }, Codes.SubnetNotFound);
    }

    [Fact]
    public async Task UnregisteredHotkey_IsRefused() =>
        await RefusedAfterSetup(c => c with { Signer = KeyPair.Generate().Address }, Codes.HotkeyNotRegistered);

    [Fact]
    public async Task TenPendingCommitsInAnEpoch_TheEleventhIsRefused()
    {
        var uids = await SubnetAsync();
        for (int i = 0; i < CommitReveal.MaxUnrevealedCommits; i++) await Ok(Sealed(uids, [1, 2, (ushort)(3 + i)], Block + 20));
        await Rejected(Sealed(uids, [1, 2, 3], Block + 20), Codes.TooManyUnrevealedCommits);
    }

    [Fact]
    public async Task CommitWithinTheRateLimit_IsRefused()
    {
        var uids = await SubnetAsync();
        await SetAsync("weights_rate_limit", "5");
        await Ok(Sealed(uids, [1, 2, 3], Block + 20));
        await Rejected(Sealed(uids, [1, 2, 3], Block + 20), Codes.CommittingWeightsTooFast);
    }

    private async Task RefusedAfterSetup(Func<CommitTimelockedWeights, CommitTimelockedWeights> change, string code)
    {
        var uids = await SubnetAsync();
        await Rejected(change(Sealed(uids, [1, 2, 3], Block + 20)), code);
    }
}
