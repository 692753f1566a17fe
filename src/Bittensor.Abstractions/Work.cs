using System.Collections.Immutable;

namespace Bittensor;

/// <summary>A validator's challenge to a miner: the task, a seed, a size, revealed data and a horizon.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Challenge")]
public sealed record Challenge(
    [property: Id(0)] string Task,
    [property: Id(1)] ulong Seed,
    [property: Id(2)] int Size,
    [property: Id(3)] ImmutableArray<double> Data,
    [property: Id(4)] int Horizon,
    [property: Id(5)] ushort Netuid,
    [property: Id(6)] string Validator);

/// <summary>A miner's answer.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Answer")]
public sealed record Answer([property: Id(0)] ImmutableArray<float> Values, [property: Id(1)] string Miner);
