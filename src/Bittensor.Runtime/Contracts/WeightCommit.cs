namespace Bittensor;

/// <summary>
/// One commit of weights (commit-reveal v2): the commit hash (<c>0x</c> hex), the subnet epoch it belongs to (with
/// look-ahead; it sets the reveal epoch) and the block it was made in (the epoch's commit-reveal mask compares it with
/// registrations).
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.WeightCommit")]
public sealed record WeightCommit([property: Id(0)] string Hash, [property: Id(1)] ulong Epoch, [property: Id(2)] ulong Block);
