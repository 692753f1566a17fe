using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Bittensor.Runtime.Simulation;

/// <summary>
/// A simulation scenario (<c>bittensor-scenario/1</c>): how many blocks, the chain's settings, and subnets with their
/// hyperparameters, miners and validators. Agents act through the runtime's extrinsics only.
/// </summary>
/// <remarks>
/// <code>
/// {"schema": "bittensor-scenario/1", "name": "copier", "blocks": 1000, "seed": 7,
///  "chain": {"tempo": 100, "lock_cost_tao": 1000, "start_issuance_tao": 200000},
///  "subnets": [{"name": "sn", "hyperparameters": {"liquid_alpha": true},
///    "miners": [{"name": "m", "count": 12, "quality": 0.6, "spread": 0.4}],
///    "validators": [{"name": "honest", "count": 4, "stake_tao": 100, "strategy": "honest", "noise": 0.05, "every_tempos": 1},
///                   {"name": "copier", "count": 1, "stake_tao": 100, "strategy": "copier"}]}]}
/// </code>
/// </remarks>
public sealed record Scenario
{
    public const string Schema = "bittensor-scenario/1";

    public required string Name { get; init; }

    /// <summary>Blocks to produce after the set-up at block 0.</summary>
    public required ulong Blocks { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Tempo of every subnet (the chain's NewSubnetTempo; may be below the owner-settable minimum of 360).</summary>
    public ulong Tempo { get; init; } = 360;

    /// <summary>Lock cost of each subnet, rao.</summary>
    public ulong LockCost { get; init; } = 1_000 * Tao.Rao;

    /// <summary>Total issuance at genesis, rao; null for exactly the genesis balances.</summary>
    public ulong? StartIssuance { get; init; }

    public required ImmutableArray<ScenarioSubnet> Subnets { get; init; }

    /// <summary>Reads and checks a scenario document.</summary>
    /// <exception cref="ScenarioFormatException">A field is missing or wrong; the message names its agent and the field.</exception>
    public static Scenario Read(JsonElement root)
    {
        const string doc = "scenario";
        if (root.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(doc, "$", "the document must be a JSON object");
        if (Text(root, "schema", doc) != Schema) throw new ScenarioFormatException(doc, "schema", $"expected \"{Schema}\"");
        Known(root, doc, "", "schema", "name", "blocks", "seed", "chain", "subnets");
        var chain = root.TryGetProperty("chain", out var c) ? c : default;
        if (chain.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object)) throw new ScenarioFormatException(doc, "chain", "expected an object");
        if (chain.ValueKind == JsonValueKind.Object) Known(chain, doc, "chain.", "tempo", "lock_cost_tao", "start_issuance_tao");
        if (!root.TryGetProperty("subnets", out var subnets) || subnets.ValueKind != JsonValueKind.Array || subnets.GetArrayLength() == 0)
            throw new ScenarioFormatException(doc, "subnets", "expected a non-empty array of subnets");
        var list = ImmutableArray.CreateBuilder<ScenarioSubnet>();
        int index = 0;
        foreach (var s in subnets.EnumerateArray()) list.Add(ScenarioSubnet.Read(s, index++));
        var names = list.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null) throw new ScenarioFormatException($"subnet '{names.Key}'", "name", "two subnets have this name");
        return new Scenario
        {
            Name = OptionalText(root, "name", doc) ?? "scenario",
            Blocks = (ulong)Number(root, "blocks", doc, 1, 100_000_000, null),
            Seed = (int)Number(root, "seed", doc, 0, int.MaxValue, 42),
            Tempo = (ulong)Number(chain, "tempo", doc, 1, 50_400, 360, "chain."),
            LockCost = Rao(chain, "lock_cost_tao", doc, 1_000, "chain."),
            StartIssuance = chain.ValueKind == JsonValueKind.Object && chain.TryGetProperty("start_issuance_tao", out var si) && si.ValueKind != JsonValueKind.Null
                ? Rao(chain, "start_issuance_tao", doc, 0, "chain.") : null,
            Subnets = list.ToImmutable(),
        };
    }

    internal static void Known(JsonElement e, string agent, string path, params string[] fields)
    {
        foreach (var p in e.EnumerateObject())
            if (!fields.Contains(p.Name)) throw new ScenarioFormatException(agent, path + p.Name, $"unknown field; expected one of: {string.Join(", ", fields)}");
    }

    internal static string Text(JsonElement e, string name, string agent, string path = "") =>
        OptionalText(e, name, agent, path) ?? throw new ScenarioFormatException(agent, path + name, "required");

    internal static string? OptionalText(JsonElement e, string name, string agent, string path = "")
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw new ScenarioFormatException(agent, path + name, "expected a non-empty string");
        return v.GetString();
    }

    internal static double Number(JsonElement e, string name, string agent, double min, double max, double? fallback, string path = "")
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
            return fallback ?? throw new ScenarioFormatException(agent, path + name, "required");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !(d >= min && d <= max))
            throw new ScenarioFormatException(agent, path + name, string.Create(CultureInfo.InvariantCulture, $"expected a number in {min}..{max}"));
        return d;
    }

    /// <summary>A TAO amount (up to 9 decimals) as rao.</summary>
    internal static ulong Rao(JsonElement e, string name, string agent, double fallbackTao, string path = "")
    {
        double tao = Number(e, name, agent, 0, 21_000_000, fallbackTao, path);
        return (ulong)Math.Round(tao * Tao.Rao);
    }
}

/// <summary>A subnet of a scenario: its owner's hyperparameters (set through set_hyperparameter at block 0), miners and validators.</summary>
public sealed record ScenarioSubnet
{
    public required string Name { get; init; }

    /// <summary>Hyperparameters by their snake_case name, values as set_hyperparameter reads them.</summary>
    public required ImmutableArray<KeyValuePair<string, string>> Hyperparameters { get; init; }

    public required ImmutableArray<MinerGroup> Miners { get; init; }

    public required ImmutableArray<ValidatorGroup> Validators { get; init; }

    internal static ScenarioSubnet Read(JsonElement s, int index)
    {
        string fallback = $"subnet #{index}";
        if (s.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(fallback, "$", "a subnet must be an object");
        string name = Scenario.OptionalText(s, "name", fallback) ?? $"sn{index}";
        string agent = $"subnet '{name}'";
        Scenario.Known(s, agent, "", "name", "hyperparameters", "miners", "validators");
        var hyper = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        if (s.TryGetProperty("hyperparameters", out var h))
        {
            if (h.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "hyperparameters", "expected an object of name: value");
            foreach (var p in h.EnumerateObject())
            {
                string? value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                if (value is null) throw new ScenarioFormatException(agent, $"hyperparameters.{p.Name}", "expected a string, number or boolean");
                if (p.Name == "tempo") throw new ScenarioFormatException(agent, "hyperparameters.tempo", "set the tempo under chain.tempo");
                hyper.Add(new(p.Name, value));
            }
        }
        var miners = Groups(s, "miners", agent, MinerGroup.Read);
        var validators = Groups(s, "validators", agent, ValidatorGroup.Read);
        if (miners.Length == 0) throw new ScenarioFormatException(agent, "miners", "at least one miner group is required");
        if (validators.Length == 0) throw new ScenarioFormatException(agent, "validators", "at least one validator group is required");
        var groups = miners.Select(m => m.Name).Concat(validators.Select(v => v.Name)).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (groups is not null) throw new ScenarioFormatException(agent, "validators", $"two agent groups are named '{groups.Key}'");
        int uids = 1 + miners.Sum(m => m.Count) + validators.Sum(v => v.Count);
        if (uids > 4096) throw new ScenarioFormatException(agent, "miners", $"{uids} UIDs exceed the most a subnet holds (4096)");
        return new ScenarioSubnet { Name = name, Hyperparameters = hyper.ToImmutable(), Miners = miners, Validators = validators };
    }

    private static ImmutableArray<T> Groups<T>(JsonElement s, string field, string agent, Func<JsonElement, string, int, T> read)
    {
        if (!s.TryGetProperty(field, out var a)) return [];
        if (a.ValueKind != JsonValueKind.Array) throw new ScenarioFormatException(agent, field, "expected an array of groups");
        var list = ImmutableArray.CreateBuilder<T>();
        int index = 0;
        foreach (var g in a.EnumerateArray()) list.Add(read(g, agent, index++));
        return list.ToImmutable();
    }
}

/// <summary>Miners of one quality level: each has quality + uniform(−spread, +spread), clamped to [0.01, 1]; validators score it.</summary>
public sealed record MinerGroup(string Name, int Count, double Quality, double Spread)
{
    internal static MinerGroup Read(JsonElement g, string subnet, int index)
    {
        string agent = $"miners #{index} of {subnet}";
        if (g.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "$", "a group must be an object");
        string name = Scenario.Text(g, "name", agent);
        agent = $"miners '{name}' of {subnet}";
        Scenario.Known(g, agent, "", "name", "count", "quality", "spread");
        return new MinerGroup(name, (int)Scenario.Number(g, "count", agent, 1, 4095, 1),
            Scenario.Number(g, "quality", agent, 0, 1, 0.5), Scenario.Number(g, "spread", agent, 0, 1, 0));
    }
}

/// <summary>How a validator chooses its weights.</summary>
public enum ValidatorStrategy
{
    /// <summary>Scores every miner by its quality with uniform relative noise.</summary>
    Honest,

    /// <summary>Sets the consensus of the subnet's last epoch as its weights (what a metagraph shows).</summary>
    Copier,
}

/// <summary>Validators with one strategy and stake: each stakes <see cref="Stake"/> rao on its own hotkey at block 0.</summary>
public sealed record ValidatorGroup(string Name, int Count, ulong Stake, ValidatorStrategy Strategy, double Noise, int EveryTempos)
{
    internal static ValidatorGroup Read(JsonElement g, string subnet, int index)
    {
        string agent = $"validators #{index} of {subnet}";
        if (g.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "$", "a group must be an object");
        string name = Scenario.Text(g, "name", agent);
        agent = $"validators '{name}' of {subnet}";
        Scenario.Known(g, agent, "", "name", "count", "stake_tao", "strategy", "noise", "every_tempos");
        string strategy = Scenario.OptionalText(g, "strategy", agent) ?? "honest";
        var parsed = strategy switch
        {
            "honest" => ValidatorStrategy.Honest,
            "copier" => ValidatorStrategy.Copier,
            _ => throw new ScenarioFormatException(agent, "strategy", $"expected honest or copier, got '{strategy}'"),
        };
        ulong stake = Scenario.Rao(g, "stake_tao", agent, 100);
        if (stake < Tao.MinStake) throw new ScenarioFormatException(agent, "stake_tao", "a validator stakes at least 0.002 TAO");
        return new ValidatorGroup(name, (int)Scenario.Number(g, "count", agent, 1, 4095, 1), stake, parsed,
            Scenario.Number(g, "noise", agent, 0, 1, 0.05), (int)Scenario.Number(g, "every_tempos", agent, 1, 1000, 1));
    }
}
