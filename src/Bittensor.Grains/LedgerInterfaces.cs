using System.Collections.Immutable;

namespace Bittensor.Grains;

/// <summary>Silo-internal write side of a subnet: the chain reads its state to plan and applies journaled commands.</summary>
[Alias("Bittensor.Grains.ISubnetLedger")]
public interface ISubnetLedger : IGrainWithIntegerKey
{
    [Alias("GetState")] Task<SubnetState> GetStateAsync();

    /// <summary>Applies commands once: a repeated <paramref name="seq"/> is ignored.</summary>
    [Alias("Apply")] Task ApplyAsync(long seq, ImmutableArray<SubnetCommand> commands);
}

/// <summary>Silo-internal write side of an account.</summary>
[Alias("Bittensor.Grains.IAccountLedger")]
public interface IAccountLedger : IGrainWithStringKey
{
    [Alias("GetState")] Task<AccountState> GetStateAsync();

    [Alias("Apply")] Task ApplyAsync(long seq, ImmutableArray<AccountChange> changes);
}

/// <summary>Silo-internal write side of a hotkey.</summary>
[Alias("Bittensor.Grains.IHotkeyLedger")]
public interface IHotkeyLedger : IGrainWithStringKey
{
    [Alias("GetState")] Task<HotkeyState> GetStateAsync();

    [Alias("Apply")] Task ApplyAsync(long seq, ImmutableArray<HotkeyChange> changes);
}

/// <summary>Silo-internal write side of an epoch record.</summary>
[Alias("Bittensor.Grains.IEpochRecordLedger")]
public interface IEpochRecordLedger : IGrainWithStringKey
{
    [Alias("Set")] Task SetAsync(EpochRecord record);

    [Alias("Clear")] Task ClearAsync();
}
