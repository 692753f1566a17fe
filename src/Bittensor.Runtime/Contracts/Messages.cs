using System.Collections.Immutable;

namespace Bittensor;

/// <summary>A served endpoint (axon) of a hotkey on a subnet.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.AxonInfo")]
public sealed record AxonInfo(
    [property: Id(0)] string Ip,
    [property: Id(1)] ushort Port,
    [property: Id(2)] byte Protocol,
    [property: Id(3)] uint Version,
    [property: Id(4)] ulong Block,
    [property: Id(5)] string? Name = null);

/// <summary>Alpha staked by one coldkey (nominator) on a hotkey in a subnet.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.StakeEntry")]
public sealed record StakeEntry([property: Id(0)] ushort Netuid, [property: Id(1)] string Coldkey, [property: Id(2)] ulong Alpha);

/// <summary>An account (any key): free TAO balance, next transaction nonce, hotkeys it owns.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string Address,
    [property: Id(1)] ulong Balance,
    [property: Id(2)] ulong NextNonce,
    [property: Id(3)] ImmutableArray<string> Hotkeys)
{
    /// <summary>How the account's root dividends are claimed (<c>set_root_claim_type</c>).</summary>
    [Id(4)] public RootClaimType RootClaimType { get; init; }

    /// <summary>Hotkeys the account stakes on in root (what <c>claim_root</c> visits).</summary>
    [Id(5)] public ImmutableArray<string> RootHotkeys { get; init; } = [];
}

/// <summary>What a root nominator (coldkey) of a hotkey may claim of its root dividends on a subnet, alpha rao.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RootClaimableEntry")]
public sealed record RootClaimableEntry([property: Id(0)] ushort Netuid, [property: Id(1)] string Coldkey, [property: Id(2)] ulong Alpha);

/// <summary>A hotkey: owning coldkey, registrations, stakes, take, served axons.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.HotkeyView")]
public sealed record HotkeyView(
    [property: Id(0)] string Address,
    [property: Id(1)] string? Owner,
    [property: Id(2)] ImmutableDictionary<ushort, ushort> Registrations,
    [property: Id(3)] ImmutableArray<StakeEntry> Stakes,
    [property: Id(4)] ushort Take,
    [property: Id(5)] ImmutableDictionary<ushort, AxonInfo> Axons)
{
    /// <summary>Root dividends each root nominator of this hotkey may claim now, per subnet (alpha rao, <c>claim_root</c>).</summary>
    [Id(6)] public ImmutableArray<RootClaimableEntry> RootClaimable { get; init; } = [];

    /// <summary>Total alpha staked on this hotkey in <paramref name="netuid"/>.</summary>
    public ulong StakeIn(ushort netuid)
    {
        ulong total = 0;
        foreach (var s in Stakes) if (s.Netuid == netuid) total += s.Alpha;
        return total;
    }

    /// <summary>Alpha staked by <paramref name="coldkey"/> on this hotkey in <paramref name="netuid"/>.</summary>
    public ulong StakeOf(ushort netuid, string coldkey)
    {
        foreach (var s in Stakes) if (s.Netuid == netuid && s.Coldkey == coldkey) return s.Alpha;
        return 0;
    }
}

/// <summary>A change to an account, applied once (idempotent by operation sequence).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.AccountChange")]
public sealed record AccountChange(
    [property: Id(0)] long Balance,
    [property: Id(1)] bool BumpNonce = false,
    [property: Id(2)] string? AddHotkey = null,
    [property: Id(3)] bool MarkIndexed = false,
    [property: Id(4)] TransactionReceipt? Receipt = null)
{
    /// <summary>The root claim type to store (<c>set_root_claim_type</c>), or null to leave it.</summary>
    [Id(5)] public RootClaimType? ClaimType { get; init; }

    /// <summary>A hotkey the account now stakes on in root (listed once; subtensor's <c>StakingHotkeys</c> for root claims).</summary>
    [Id(6)] public string? AddRootHotkey { get; init; }
}

/// <summary>
/// What an applied signed transaction produced, kept in its signer's account (the last <see cref="Runtime.AccountState.MaxReceipts"/>)
/// so that an exact resubmission — a client whose connection dropped — learns the original outcome.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.TransactionReceipt")]
public sealed record TransactionReceipt(
    [property: Id(0)] ulong Nonce, [property: Id(1)] string Hash, [property: Id(2)] ulong Block,
    [property: Id(3)] ushort? Netuid = null, [property: Id(4)] ushort? Uid = null, [property: Id(5)] ulong? Amount = null,
    [property: Id(6)] ulong Fee = 0);

/// <summary>A change to a hotkey, applied once (idempotent by operation sequence).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.HotkeyChange")]
public sealed record HotkeyChange
{
    /// <summary>Sets the owning coldkey (first association only).</summary>
    [Id(0)] public string? Owner { get; init; }

    /// <summary>Alpha added (positive) or removed (negative) per (netuid, coldkey).</summary>
    [Id(1)] public ImmutableArray<StakeDelta> Stakes { get; init; } = [];

    /// <summary>(netuid, uid) registered.</summary>
    [Id(2)] public (ushort Netuid, ushort Uid)? Registered { get; init; }

    /// <summary>Netuid deregistered (pruned).</summary>
    [Id(3)] public ushort? Deregistered { get; init; }

    /// <summary>Axon served on a subnet.</summary>
    [Id(4)] public (ushort Netuid, AxonInfo Axon)? Axon { get; init; }

    /// <summary>New delegate take (u16 proportion).</summary>
    [Id(5)] public ushort? Take { get; init; }

    /// <summary>The hotkey is now listed in the address index (first change only).</summary>
    [Id(6)] public bool MarkIndexed { get; init; }

    /// <summary>Block at which the take changed (the rate limit on take increases counts from it).</summary>
    [Id(7)] public ulong? TakeChangedAt { get; init; }

    /// <summary>Root dividends accrued per unit of root stake, added per subnet (U96F32 bits; subtensor's <c>RootClaimable</c>).</summary>
    [Id(8)] public ImmutableArray<RootClaimableRate> RootClaimable { get; init; } = [];

    /// <summary>New <c>RootClaimed</c> totals per (subnet, coldkey).</summary>
    [Id(9)] public ImmutableArray<RootClaimedTotal> RootClaimed { get; init; } = [];
}

/// <summary>Root alpha dividends accrued on a subnet per rao of the hotkey's root stake, as U96F32 bits (32 fractional bits).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RootClaimableRate")]
public sealed record RootClaimableRate([property: Id(0)] ushort Netuid, [property: Id(1)] ulong Rate)
{
    /// <summary>
    /// The block the subnet was registered at (its generation): a rate of an earlier subnet under the same netuid (dissolved
    /// at the cap) is dropped with its claims before this one is added, as subtensor's <c>finalize_all_subnet_root_dividends</c>.
    /// </summary>
    [Id(2)] public ulong Generation { get; init; }
}

/// <summary>What a nominator (coldkey) has claimed, or is deemed to have claimed, of a hotkey's root dividends on a subnet, alpha rao.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RootClaimedTotal")]
public sealed record RootClaimedTotal([property: Id(0)] ushort Netuid, [property: Id(1)] string Coldkey, [property: Id(2)] ulong Claimed);

/// <summary>How a coldkey's root dividends are claimed (subtensor's <c>RootClaimTypeEnum</c>; default Swap).</summary>
public enum RootClaimType : byte
{
    /// <summary>Sell the claimed alpha for TAO on the subnet's pool and stake the TAO on root.</summary>
    Swap = 0,
    /// <summary>Keep the claimed alpha staked on the hotkey in the subnet.</summary>
    Keep = 1,
}

/// <summary>Alpha moved onto (positive) or off (negative) a hotkey for one nominator.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.StakeDelta")]
public sealed record StakeDelta([property: Id(0)] ushort Netuid, [property: Id(1)] string Coldkey, [property: Id(2)] long Alpha);
