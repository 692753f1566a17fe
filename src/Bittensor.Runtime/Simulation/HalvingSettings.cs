using Bittensor.Consensus;

namespace Bittensor.Runtime.Simulation;

/// <summary>The shape of an accelerated run to the first halving: how many subnets, UIDs and validators, and how it computes.</summary>
public sealed record HalvingSettings
{
    /// <summary>Subnets created at genesis (1..128).</summary>
    public int Subnets { get; init; } = 32;

    /// <summary>UIDs per subnet, the owner's included (3..4096): the owner, <see cref="Validators"/> validators, miners for the rest.</summary>
    public int Uids { get; init; } = 256;

    /// <summary>Validators per subnet (1..Uids − 2: at least one miner); validator k stakes k + 1 TAO.</summary>
    public int Validators { get; init; } = 64;

    /// <summary>Epoch back end.</summary>
    public Arithmetic Arithmetic { get; init; } = Arithmetic.Exact;

    /// <summary>Total issuance at genesis, rao; null for exactly what the set-up hands out (the genesis balances).</summary>
    public ulong? StartIssuance { get; init; }

    /// <summary>Blocks between a subnet's epochs (the network's NewSubnetTempo).</summary>
    public ulong Tempo { get; init; } = 360;

    /// <summary>Seed of the miners' qualities and the validators' noise.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Lock cost of each subnet, rao (the network's minimum; creations at block 0 do not double it).</summary>
    public ulong LockCost { get; init; } = 1_000 * Tao.Rao;

    /// <summary>Registration burn once the owner has set min_burn = max_burn to this, rao.</summary>
    public ulong Burn { get; init; } = 500_000;

    /// <summary>Validators set their weights again every this many tempos (inside the activity cutoff of ≈ 13.9 tempos).</summary>
    public int WeightRefreshTempos { get; init; } = 12;

    /// <summary>The rule that the settings break, or null.</summary>
    public string? Problem() =>
        Subnets is < 1 or > 128 ? "subnets must be in 1..128"
        : Uids is < 3 or > 4096 ? "uids must be in 3..4096"
        : Validators < 1 || Validators > Uids - 2 ? $"validators must be in 1..{Uids - 2} (the owner holds UID 0 and at least one UID is a miner)"
        : Tempo is < 1 or > 50_400 ? "tempo must be in 1..50400"
        : WeightRefreshTempos < 1 ? "weight refresh must be at least one tempo"
        : null;
}
