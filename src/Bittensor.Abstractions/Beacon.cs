namespace Bittensor;

/// <summary>
/// What a client needs to seal weights to a round of the chain's beacon (<see cref="Runtime.HashChainBeacon"/>): the anchor, the
/// round period, the latest published round with its secret (anyone may check it against the anchor), and the public key
/// of <see cref="Round"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.BeaconView")]
public sealed record BeaconView(
    [property: Id(0)] string Anchor, [property: Id(1)] ulong RoundBlocks, [property: Id(2)] ulong LastRound, [property: Id(3)] ulong Block,
    [property: Id(4)] ulong LatestRound, [property: Id(5)] string LatestSecret, [property: Id(6)] ulong Round, [property: Id(7)] string PublicKey,
    [property: Id(8)] ulong RoundPublishedAt, [property: Id(9)] ushort CommitRevealVersion);

/// <summary>The beacon's public face (key 0); a stateless worker on every silo.</summary>
[Alias("Bittensor.IBeaconGrain")]
public interface IBeaconGrain : IGrainWithIntegerKey
{
    /// <summary>The beacon at the chain's block, with the public key of <paramref name="round"/> (the next round when null); null when the round is past the beacon's last.</summary>
    Task<BeaconView?> GetAsync(ulong? round);
}
