using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>Silo-internal write side of a subnet: the chain reads its roster to plan, applies journaled commands, runs epochs.</summary>
[Alias("Bittensor.Grains.ISubnetLedger")]
public interface ISubnetLedger : IGrainWithIntegerKey
{
    [Alias("GetState")] Task<SubnetState> GetStateAsync();

    /// <summary>Applies commands once: a repeated <paramref name="seq"/> is ignored. <paramref name="block"/>: the batch's block (0: unknown).</summary>
    [Alias("Apply")] Task ApplyAsync(long seq, ulong block, ImmutableArray<SubnetCommand> commands);

    /// <summary>
    /// Starts the epoch <paramref name="start"/> on the subnet's neurons as they are now, unless it already runs, and
    /// waits for its outcome up to <paramref name="wait"/>; null while it is still being computed. With
    /// <paramref name="recordFirst"/> (blocks produced on request: tests, tools) the epoch's record is stored before the
    /// outcome is returned, so the caller reads it at once; clock blocks get the outcome as soon as it is computed and the
    /// record is stored right after (see <see cref="IConsensusGrain.RunAsync"/>).
    /// </summary>
    [Alias("RunEpoch")] Task<EpochOutcome?> RunEpochAsync(EpochStart start, TimeSpan wait, bool recordFirst);
}

/// <summary>Silo-internal write side of an account.</summary>
[Alias("Bittensor.Grains.IAccountLedger")]
public interface IAccountLedger : IGrainWithStringKey
{
    [Alias("GetState")] Task<AccountState> GetStateAsync();

    /// <summary>Applies changes once; <paramref name="block"/>: the batch's block (0: unknown).</summary>
    [Alias("Apply")] Task ApplyAsync(long seq, ulong block, ImmutableArray<AccountChange> changes);
}

/// <summary>Silo-internal write side of a hotkey.</summary>
[Alias("Bittensor.Grains.IHotkeyLedger")]
public interface IHotkeyLedger : IGrainWithStringKey
{
    [Alias("GetState")] Task<HotkeyState> GetStateAsync();

    /// <summary>Applies changes once; <paramref name="block"/>: the batch's block (0: unknown).</summary>
    [Alias("Apply")] Task ApplyAsync(long seq, ulong block, ImmutableArray<HotkeyChange> changes);
}

/// <summary>Silo-internal write side of an epoch record.</summary>
[Alias("Bittensor.Grains.IEpochRecordLedger")]
public interface IEpochRecordLedger : IGrainWithStringKey
{
    [Alias("Set")] Task SetAsync(EpochRecord record);

    [Alias("Clear")] Task ClearAsync();
}

/// <summary>
/// One shard of the address index (key "account/17", "hotkey/203"): every address the chain ever changed, so a full
/// audit can visit them all without any one entity listing every user.
/// </summary>
[Alias("Bittensor.Grains.IAddressIndex")]
public interface IAddressIndex : IGrainWithStringKey
{
    [Alias("GetState")] Task<AddressIndexState> GetStateAsync();

    [Alias("Apply")] Task ApplyAsync(long seq, ImmutableArray<string> addresses);

    public static string KeyOf(AddressKind kind, int shard) => $"{(kind == AddressKind.Account ? "account" : "hotkey")}/{shard}";
}

/// <summary>A shard of the address index.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.AddressIndexState")]
public sealed class AddressIndexState : ISequenced
{
    [Id(0)] public HashSet<string> Addresses { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long LastSeq { get; set; }
}

/// <summary>Silo-internal write side of the block log: the chain appends each journaled batch's <see cref="LogCommand"/>, in order.</summary>
[Alias("Bittensor.Grains.IBlockLogLedger")]
public interface IBlockLogLedger : IGrainWithIntegerKey
{
    /// <summary>Appends the entries in order, once each: an entry whose sequence number the log already has is skipped.</summary>
    [Alias("Append")] Task AppendAsync(ImmutableArray<LogEntry> entries);
}

/// <summary>A journaled batch's block-log command with the batch's sequence number.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Grains.LogEntry")]
public sealed record LogEntry([property: Id(0)] long Seq, [property: Id(1)] LogCommand Command);
