using System.Collections.Immutable;

namespace Bittensor;

/// <summary>
/// A what-if on a subnet's live state (<c>POST /api/subnets/{netuid}/whatif</c>): hyperparameter overrides (set_hyperparameter
/// names and values) and weight rows to put in place of some UIDs' rows, run for <see cref="Epochs"/> of the subnet's epochs.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.WhatIfRequest")]
public sealed record WhatIfRequest
{
    /// <summary>The most epochs one what-if runs.</summary>
    public const int MaxEpochs = 32;

    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public ImmutableArray<HyperparameterOverride> Hyperparameters { get; init; } = [];
    [Id(2)] public ImmutableArray<WeightEdit> Weights { get; init; } = [];
    [Id(3)] public int Epochs { get; init; } = 1;
}

/// <summary>A hyperparameter set to <see cref="Value"/> (as set_hyperparameter reads it) in the what-if run.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.HyperparameterOverride")]
public sealed record HyperparameterOverride([property: Id(0)] string Name, [property: Id(1)] string Value);

/// <summary>UID <see cref="Uid"/>'s weight row replaced by <see cref="Uids"/> → <see cref="Values"/> (u16, max-upscaled as set_weights stores them).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.WeightEdit")]
public sealed record WeightEdit([property: Id(0)] ushort Uid, [property: Id(1)] ImmutableArray<ushort> Uids, [property: Id(2)] ImmutableArray<ushort> Values);

/// <summary>A UID's last epoch outputs and stake at the end of a run: u16 proportions of 65535, emission and stake in rao of alpha.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.WhatIfOutcome")]
public sealed record WhatIfOutcome([property: Id(0)] ushort Incentive, [property: Id(1)] ushort Dividends, [property: Id(2)] ulong Emission, [property: Id(3)] ulong Stake);

/// <summary>One UID: as the chain goes on without the edits (<see cref="Before"/>) and with them (<see cref="After"/>).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.WhatIfUid")]
public sealed record WhatIfUid([property: Id(0)] ushort Uid, [property: Id(1)] string Hotkey, [property: Id(2)] WhatIfOutcome Before, [property: Id(3)] WhatIfOutcome After);

/// <summary>
/// The answer of a what-if: from block <see cref="Block"/>, <see cref="Epochs"/> epochs of the subnet without the edits
/// (<see cref="BlocksBefore"/> blocks) and with them (<see cref="BlocksAfter"/>), per UID; or the refusal, naming the field.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.WhatIfResult")]
public sealed record WhatIfResult
{
    [Id(0)] public ushort Netuid { get; init; }
    [Id(1)] public ulong Block { get; init; }
    [Id(2)] public int Epochs { get; init; }
    [Id(3)] public ulong BlocksBefore { get; init; }
    [Id(4)] public ulong BlocksAfter { get; init; }
    [Id(5)] public ImmutableArray<WhatIfUid> Uids { get; init; } = [];
    /// <summary>Why nothing ran (a <see cref="Runtime.Codes"/> name, or <c>InvalidWhatIf</c>); null when it ran.</summary>
    [Id(6)] public string? Error { get; init; }
    /// <summary>The request field the refusal is about, e.g. <c>hyperparameters.kappa</c> or <c>weights.3</c>.</summary>
    [Id(7)] public string? Field { get; init; }
    [Id(8)] public string? Message { get; init; }

    public static WhatIfResult Refused(string error, string field, string message) => new() { Error = error, Field = field, Message = message };
}
