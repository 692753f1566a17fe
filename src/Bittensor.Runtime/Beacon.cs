using System.Collections.Concurrent;
using System.Security.Cryptography;
using Bittensor.Keys;

namespace Bittensor.Runtime;

/// <summary>
/// A source of round keys to which weights are timelocked (drand's place on the real chain). Round <c>r</c> is published
/// at block <c>r · RoundBlocks</c>; its public key is known in advance, its secret only from then on.
/// </summary>
public interface IRandomnessBeacon
{
    /// <summary>The chain's trust anchor: the secret of round 0, against which every published round is verified.</summary>
    string Anchor { get; }

    /// <summary>Blocks per round.</summary>
    ulong RoundBlocks { get; }

    /// <summary>The last round (the chain has this many rounds after the anchor).</summary>
    ulong LastRound { get; }

    /// <summary>The latest round published at <paramref name="block"/>.</summary>
    ulong LatestRound(ulong block);

    /// <summary>Round <paramref name="round"/>'s X25519 public key (32 bytes), to encrypt to it (see <see cref="TimelockCipher"/>).</summary>
    byte[] PublicKey(ulong round);

    /// <summary>Round <paramref name="round"/>'s secret when it is published at <paramref name="block"/>, else null.</summary>
    byte[]? RoundSecret(ulong round, ulong block);
}

/// <summary>
/// A hash-chain beacon: round <c>r</c>'s secret is <c>H^(N−r)(seed)</c> with H = SHA-256, so publishing round <c>r</c>
/// reveals every earlier round but no later one, and anyone verifies it by hashing it <c>r</c> times to the anchor
/// <c>H^N(seed)</c>. Whoever holds the seed (the operator) can compute every round's secret early: it is a development
/// stand-in for drand's threshold BLS beacon.
/// </summary>
public sealed class HashChainBeacon : IRandomnessBeacon
{
    private const int Checkpoint = 1024;
    private readonly byte[][] _checkpoints; // _checkpoints[j] = H^(j·Checkpoint)(seed)
    private readonly ConcurrentDictionary<ulong, byte[]> _publicKeys = new();

    public HashChainBeacon(ReadOnlySpan<byte> seed, ulong rounds, ulong roundBlocks)
    {
        if (rounds == 0 || rounds > 1UL << 26) throw new ArgumentOutOfRangeException(nameof(rounds), "a beacon has 1 to 2^26 rounds");
        LastRound = rounds;
        RoundBlocks = Math.Max(1, roundBlocks);
        _checkpoints = new byte[rounds / Checkpoint + 1][];
        byte[] h = SHA256.HashData(seed);
        _checkpoints[0] = h;
        for (ulong i = 1; i <= rounds; i++)
        {
            h = SHA256.HashData(h);
            if (i % Checkpoint == 0) _checkpoints[i / Checkpoint] = h;
        }
        Anchor = Convert.ToHexString(h).ToLowerInvariant();
    }

    /// <summary>The beacon of <paramref name="rules"/> (one per seed, rounds and period, built once per process).</summary>
    public static IRandomnessBeacon For(ChainRules rules) =>
        Cache.GetOrAdd((rules.BeaconSeed, rules.BeaconRounds, rules.BeaconRoundBlocks),
            k => new HashChainBeacon(System.Text.Encoding.UTF8.GetBytes(k.Seed), k.Rounds, k.RoundBlocks));

    private static readonly ConcurrentDictionary<(string Seed, ulong Rounds, ulong RoundBlocks), HashChainBeacon> Cache = new();

    public string Anchor { get; }

    public ulong RoundBlocks { get; }

    public ulong LastRound { get; }

    public ulong LatestRound(ulong block) => Math.Min(block / RoundBlocks, LastRound);

    public byte[] PublicKey(ulong round) => _publicKeys.GetOrAdd(round, r => TimelockCipher.PublicKey(Secret(r)));

    public byte[]? RoundSecret(ulong round, ulong block) => round <= LatestRound(block) ? Secret(round) : null;

    /// <summary>
    /// Whether <paramref name="secret"/> is round <paramref name="round"/> of the chain anchored at <paramref name="anchor"/>:
    /// hashed <c>round</c> times it is the anchor. The highest round verified per anchor is kept, so a later round costs only
    /// the hashes down to it and an earlier one is derived from it.
    /// </summary>
    public static bool Verify(string anchor, ulong round, ReadOnlySpan<byte> secret)
    {
        var (knownRound, knownSecret) = Verified.GetValueOrDefault(anchor, (0UL, Convert.FromHexString(anchor)));
        byte[] h;
        if (round < knownRound)
        {
            h = knownSecret;
            for (ulong i = round; i < knownRound; i++) h = SHA256.HashData(h);
            return secret.SequenceEqual(h);
        }
        h = secret.ToArray();
        for (ulong i = knownRound; i < round; i++) h = SHA256.HashData(h);
        if (!h.AsSpan().SequenceEqual(knownSecret)) return false;
        Verified[anchor] = (round, secret.ToArray());
        return true;
    }

    private static readonly ConcurrentDictionary<string, (ulong Round, byte[] Secret)> Verified = new(StringComparer.OrdinalIgnoreCase);

    private byte[] Secret(ulong round)
    {
        if (round > LastRound) throw new ArgumentOutOfRangeException(nameof(round), $"the beacon's last round is {LastRound}");
        ulong steps = LastRound - round; // H^(N−r)(seed)
        byte[] h = _checkpoints[steps / Checkpoint];
        for (ulong i = 0; i < steps % Checkpoint; i++) h = SHA256.HashData(h);
        return h;
    }
}
