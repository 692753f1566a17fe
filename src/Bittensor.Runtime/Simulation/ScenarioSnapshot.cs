using System.Globalization;
using System.Text.Json;

namespace Bittensor.Runtime.Simulation;

/// <summary>One UID of a live subnet as a snapshot reads it.</summary>
public sealed record SnapshotNeuron(ushort Uid, string Hotkey, ulong Stake, bool ValidatorPermit, ushort Incentive, ushort Dividends);

/// <summary>
/// A live subnet written as a <c>bittensor-scenario/1</c> document (<c>GET /api/subnets/{netuid}/snapshot</c>), to go on
/// offline with <c>bittensor sim run</c>: the subnet's tempo and the hyperparameters that differ from a new subnet's, each
/// UID that validates (a validator permit and dividends; else the UID with the most stake) as a validator group of one
/// staking what it has staked, each other UID as a miner group of one whose quality is its incentive relative to the best
/// miner's (on a small subnet every UID holds a permit, so the permit alone does not tell). Weights, bonds and the pool do not carry over: the
/// scenario starts a new chain with these agents.
/// </summary>
public static class ScenarioSnapshot
{
    /// <summary>The hyperparameters a snapshot carries, with how each reads off the live values (the scenario pins burn and the rate limit itself).</summary>
    private static readonly (string Name, Func<SubnetHyperparameters, string> Read)[] Carried =
    [
        ("kappa", h => Num(h.Kappa)), ("bonds_moving_average", h => Num(h.BondsMovingAverage)), ("bonds_penalty", h => Num(h.BondsPenalty)),
        ("max_allowed_validators", h => Num(h.MaxAllowedValidators)), ("min_allowed_weights", h => Num(h.MinAllowedWeights)),
        ("immunity_period", h => Num(h.ImmunityPeriod)), ("activity_cutoff_factor_milli", h => Num(h.ActivityCutoffFactorMilli)),
        ("yuma3", h => Bool(h.Yuma3)), ("liquid_alpha", h => Bool(h.LiquidAlpha)), ("alpha_low", h => Num(h.AlphaLow)),
        ("alpha_high", h => Num(h.AlphaHigh)), ("alpha_sigmoid_steepness", h => Num(h.AlphaSigmoidSteepness)),
        ("commit_reveal_weights_enabled", h => Bool(h.CommitRevealWeightsEnabled)), ("commit_reveal_period", h => Num(h.CommitRevealPeriod)),
    ];

    /// <summary>Writes the scenario: <paramref name="blocks"/> blocks of subnet <paramref name="netuid"/> as it stands at <paramref name="block"/>.</summary>
    public static void Write(Utf8JsonWriter w, ushort netuid, ulong block, ulong blocks, SubnetHyperparameters hyper, string ownerHotkey,
        IReadOnlyList<SnapshotNeuron> neurons)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(hyper);
        var others = neurons.Where(n => n.Hotkey != ownerHotkey).ToList();
        var validators = others.Where(n => n.ValidatorPermit && n.Dividends > 0).ToList();
        if (validators.Count == 0) validators = [.. others.OrderByDescending(n => n.Stake).ThenBy(n => n.Uid).Take(1)];
        var miners = others.Except(validators).ToList();
        ushort best = miners.Count == 0 ? (ushort)0 : miners.Max(m => m.Incentive);
        var defaults = new SubnetHyperparameters();

        w.WriteStartObject();
        w.WriteString("schema", Scenario.Schema);
        w.WriteString("name", $"snapshot-subnet-{netuid}-block-{block}");
        w.WriteNumber("blocks", blocks);
        w.WriteStartObject("chain");
        w.WriteNumber("tempo", Math.Clamp(hyper.Tempo, 1, 50_400));
        w.WriteEndObject();
        w.WriteStartArray("subnets");
        w.WriteStartObject();
        w.WriteString("name", $"subnet-{netuid}");
        w.WriteStartObject("hyperparameters");
        foreach (var (name, read) in Carried)
        {
            string value = read(hyper);
            if (value == read(defaults)) continue;
            if (value is "true" or "false")
            {
                w.WriteBoolean(name, value == "true");
                continue;
            }
            w.WritePropertyName(name);
            w.WriteRawValue(value);
        }
        w.WriteEndObject();
        w.WriteStartArray("miners");
        if (miners.Count == 0) Group(w, "miner", null, 0.5);
        foreach (var m in miners) Group(w, $"uid-{m.Uid}", null, best == 0 ? 0.5 : Math.Max(0.01, Math.Round((double)m.Incentive / best, 4)));
        w.WriteEndArray();
        w.WriteStartArray("validators");
        foreach (var v in validators) Group(w, $"uid-{v.Uid}", v.Stake, 0);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Group(Utf8JsonWriter w, string name, ulong? stake, double quality)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteNumber("count", 1);
        if (stake is ulong rao)
        {
            // At least a rao's worth of TAO: a validator with no stake would not be one.
            w.WriteNumber("stake_tao", Math.Max(rao, 1) / (decimal)Tao.Rao);
            w.WriteString("strategy", "honest");
        }
        else w.WriteNumber("quality", quality);
        w.WriteEndObject();
    }

    private static string Num<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}
