namespace Bittensor;

/// <summary>
/// A subnet's hyperparameters (spec §9) with the values a newly created subnet gets (<c>init_new_network</c>).
/// Deviation: commit-reveal defaults to off (subtensor: on, version 4 with drand) so that a new subnet takes set_weights
/// directly; its owner turns on commit-reveal v2 with <c>commit_reveal_weights_enabled</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SubnetHyperparameters")]
public sealed record SubnetHyperparameters
{
    [Id(0)] public ulong Tempo { get; init; } = 360;
    [Id(1)] public ushort Kappa { get; init; } = 32767;
    [Id(2)] public ulong BondsMovingAverage { get; init; } = 900_000;
    [Id(3)] public ushort BondsPenalty { get; init; } = 65535;
    [Id(4)] public ushort MaxAllowedValidators { get; init; } = 64;
    [Id(5)] public ushort MaxAllowedUids { get; init; } = 256;
    [Id(6)] public ushort MinAllowedWeights { get; init; } = 1;
    [Id(7)] public ulong ImmunityPeriod { get; init; } = 5000;
    [Id(8)] public ulong ActivityCutoffFactorMilli { get; init; } = 13_889;
    [Id(9)] public bool Yuma3 { get; init; } = true;
    [Id(10)] public bool LiquidAlpha { get; init; }
    [Id(11)] public ushort AlphaLow { get; init; } = 45_875;
    [Id(12)] public ushort AlphaHigh { get; init; } = 58_982;
    [Id(13)] public short AlphaSigmoidSteepness { get; init; } = 1000;
    [Id(14)] public ulong StakeThreshold { get; init; }
    [Id(15)] public ulong WeightsRateLimit { get; init; } = 100;
    [Id(16)] public ulong WeightsVersionKey { get; init; }
    /// <summary><c>CommitRevealWeightsEnabled</c>: weights are committed (hash) and revealed, not set directly.</summary>
    [Id(17)] public bool CommitRevealWeightsEnabled { get; init; }

    /// <summary>
    /// <see cref="CommitRevealWeightsEnabled"/> under the name the REST API gave it before commit-reveal could be turned
    /// on (<c>commitReveal</c>); kept so that readers of that release's answers still find it. Not stored.
    /// </summary>
    public bool CommitReveal => CommitRevealWeightsEnabled;
    [Id(18)] public ulong MinBurn { get; init; } = 500_000;
    [Id(19)] public ulong MaxBurn { get; init; } = 100 * Tao.Rao;
    [Id(20)] public ushort SubnetOwnerCut { get; init; } = 11_796;
    [Id(21)] public bool RegistrationAllowed { get; init; } = true;
    [Id(22)] public string Task { get; init; } = "";
    [Id(23)] public ushort ImmuneOwnerUidsLimit { get; init; } = 1;
    [Id(24)] public ushort MinNonImmuneUids { get; init; } = 10;
    /// <summary><c>RevealPeriodEpochs</c>: a commit made in epoch e is revealed in epoch e + this (1..100), and expires after it.</summary>
    [Id(25)] public ulong CommitRevealPeriod { get; init; } = 1;

    /// <summary>Bounds of <see cref="CommitRevealPeriod"/> (<c>MIN_COMMIT_REVEAL_PEROIDS</c>, <c>MAX_COMMIT_REVEAL_PEROIDS</c>).</summary>
    public const ulong MinCommitRevealPeriod = 1, MaxCommitRevealPeriod = 100;
    /// <summary>Whether <c>transfer_stake</c> may give this subnet's alpha to another coldkey (<c>TransferToggle</c>, default on).</summary>
    [Id(26)] public bool TransferAllowed { get; init; } = true;
    /// <summary>Blocks between two <c>serve_axon</c> of one hotkey on this subnet (subtensor's <c>ServingRateLimit</c>, 50; owner-settable).</summary>
    [Id(27)] public ulong ServingRateLimit { get; init; } = 50;

    /// <summary>Owner-settable hyperparameters by their snake_case name, with the rule each value must satisfy.</summary>
    public static IReadOnlyList<string> OwnerSettable { get; } =
    [
        "tempo", "kappa", "bonds_moving_average", "bonds_penalty", "max_allowed_validators", "max_allowed_uids",
        "min_allowed_weights", "immunity_period", "activity_cutoff_factor_milli", "yuma3", "liquid_alpha",
        "alpha_low", "alpha_high", "alpha_sigmoid_steepness", "weights_rate_limit", "weights_version_key",
        "min_burn", "max_burn", "registration_allowed", "task", "commit_reveal_weights_enabled", "commit_reveal_period",
        "min_burn", "max_burn", "registration_allowed", "task", "transfer_allowed", "serving_rate_limit",
    ];

    /// <summary>Returns the parameters with <paramref name="name"/> set, or the rule that <paramref name="value"/> breaks.</summary>
    public (SubnetHyperparameters? Updated, string? Error) With(string name, string value)
    {
        bool U64(out ulong v) => ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v);
        bool U16(out ushort v) => ushort.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v);
        bool Bool(out bool v) => bool.TryParse(value, out v);
        switch (name)
        {
            case "tempo":
                if (!U64(out var tempo) || tempo < 360 || tempo > 50_400) return (null, "tempo must be an integer in 360..50400 (MIN_TEMPO..MAX_TEMPO)");
                return (this with { Tempo = tempo }, null);
            case "kappa":
                return U16(out var kappa) ? (this with { Kappa = kappa }, null) : (null, "kappa must be a u16 (0..65535)");
            case "bonds_moving_average":
                if (!U64(out var bma) || bma > 999_999) return (null, "bonds_moving_average must be in 0..999999 (per 10^6)");
                return (this with { BondsMovingAverage = bma }, null);
            case "bonds_penalty":
                return U16(out var bp) ? (this with { BondsPenalty = bp }, null) : (null, "bonds_penalty must be a u16 (0..65535)");
            case "max_allowed_validators":
                if (!U16(out var mv) || mv < 1 || mv > MaxAllowedUids) return (null, $"max_allowed_validators must be in 1..max_allowed_uids ({MaxAllowedUids})");
                return (this with { MaxAllowedValidators = mv }, null);
            case "max_allowed_uids":
                if (!U16(out var mu) || mu < MaxAllowedValidators || mu > 4096) return (null, $"max_allowed_uids must be in max_allowed_validators ({MaxAllowedValidators})..4096");
                return (this with { MaxAllowedUids = mu }, null);
            case "min_allowed_weights":
                return U16(out var mw) ? (this with { MinAllowedWeights = mw }, null) : (null, "min_allowed_weights must be a u16");
            case "immunity_period":
                if (!U64(out var ip) || ip > 7200 * 30) return (null, "immunity_period must be in 0..216000 blocks");
                return (this with { ImmunityPeriod = ip }, null);
            case "activity_cutoff_factor_milli":
                if (!U64(out var ac) || ac < 1 || ac > 1_000_000) return (null, "activity_cutoff_factor_milli must be in 1..1000000");
                return (this with { ActivityCutoffFactorMilli = ac }, null);
            case "yuma3":
                return Bool(out var y3) ? (this with { Yuma3 = y3 }, null) : (null, "yuma3 must be true or false");
            case "liquid_alpha":
                return Bool(out var la) ? (this with { LiquidAlpha = la }, null) : (null, "liquid_alpha must be true or false");
            case "alpha_low":
                if (!U16(out var al) || al < 1638 || al > AlphaHigh) return (null, $"alpha_low must be in 1638..alpha_high ({AlphaHigh})");
                return (this with { AlphaLow = al }, null);
            case "alpha_high":
                if (!U16(out var ah) || ah < Math.Max((ushort)1638, AlphaLow)) return (null, $"alpha_high must be at least max(1638, alpha_low = {AlphaLow})");
                return (this with { AlphaHigh = ah }, null);
            case "alpha_sigmoid_steepness":
                return short.TryParse(value, out var st) ? (this with { AlphaSigmoidSteepness = st }, null) : (null, "alpha_sigmoid_steepness must be an i16");
            case "weights_rate_limit":
                return U64(out var rl) ? (this with { WeightsRateLimit = rl }, null) : (null, "weights_rate_limit must be a non-negative integer (blocks)");
            case "weights_version_key":
                return U64(out var vk) ? (this with { WeightsVersionKey = vk }, null) : (null, "weights_version_key must be a non-negative integer");
            case "min_burn":
                if (!U64(out var mnb) || mnb > MaxBurn) return (null, $"min_burn must be at most max_burn ({MaxBurn} rao)");
                return (this with { MinBurn = mnb }, null);
            case "max_burn":
                if (!U64(out var mxb) || mxb < MinBurn) return (null, $"max_burn must be at least min_burn ({MinBurn} rao)");
                return (this with { MaxBurn = mxb }, null);
            case "registration_allowed":
                return Bool(out var ra) ? (this with { RegistrationAllowed = ra }, null) : (null, "registration_allowed must be true or false");
            case "serving_rate_limit":
                return U64(out var srl) ? (this with { ServingRateLimit = srl }, null) : (null, "serving_rate_limit must be a non-negative integer (blocks)");
            case "transfer_allowed":
                return Bool(out var ta) ? (this with { TransferAllowed = ta }, null) : (null, "transfer_allowed must be true or false");
            case "task":
                if (value.Length > 64) return (null, "task must be a name of at most 64 characters");
                return (this with { Task = value }, null);
            case "commit_reveal_weights_enabled":
                return Bool(out var cr) ? (this with { CommitRevealWeightsEnabled = cr }, null) : (null, "commit_reveal_weights_enabled must be true or false");
            case "commit_reveal_period":
                if (!U64(out var crp) || crp < MinCommitRevealPeriod || crp > MaxCommitRevealPeriod)
                    return (null, $"commit_reveal_period must be an integer in {MinCommitRevealPeriod}..{MaxCommitRevealPeriod} (epochs)");
                return (this with { CommitRevealPeriod = crp }, null);
            default:
                return (null, $"unknown hyperparameter '{name}'; owner-settable: {string.Join(", ", OwnerSettable)}");
        }
    }
}
