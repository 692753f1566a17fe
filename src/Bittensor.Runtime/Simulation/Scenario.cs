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

    /// <summary>Stakers acting across subnets (whales entering, leaving, rotating).</summary>
    public ImmutableArray<Staker> Stakers { get; init; } = [];

    /// <summary>Reads and checks a scenario document.</summary>
    /// <exception cref="ScenarioFormatException">A field is missing or wrong; the message names its agent and the field.</exception>
    public static Scenario Read(JsonElement root)
    {
        const string doc = "scenario";
        if (root.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(doc, "$", "the document must be a JSON object");
        if (Text(root, "schema", doc) != Schema) throw new ScenarioFormatException(doc, "schema", $"expected \"{Schema}\"");
        Known(root, doc, "", "schema", "name", "blocks", "seed", "chain", "subnets", "stakers");
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
        var stakers = ImmutableArray.CreateBuilder<Staker>();
        if (root.TryGetProperty("stakers", out var st))
        {
            if (st.ValueKind != JsonValueKind.Array) throw new ScenarioFormatException(doc, "stakers", "expected an array of stakers");
            int k = 0;
            foreach (var x in st.EnumerateArray()) stakers.Add(Staker.Read(x, k++));
        }
        CheckReferences(list, stakers);
        return new Scenario
        {
            Stakers = stakers.ToImmutable(),
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

    /// <summary>Every cartel favours miner groups of its subnet; every staker action names a subnet and a validator that exist.</summary>
    private static void CheckReferences(IReadOnlyList<ScenarioSubnet> subnets, IReadOnlyList<Staker> stakers)
    {
        foreach (var s in subnets)
            foreach (var v in s.Validators.Where(v => !v.Favours.IsDefaultOrEmpty))
                foreach (string f in v.Favours.Where(f => s.Miners.All(m => m.Name != f)))
                    throw new ScenarioFormatException($"validators '{v.Name}' of subnet '{s.Name}'", "favours", $"no miner group of the subnet is named '{f}'");
        var dup = stakers.GroupBy(x => x.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ScenarioFormatException($"staker '{dup.Key}'", "name", "two stakers have this name");
        foreach (var staker in stakers)
        {
            for (int k = 0; k < staker.Actions.Length; k++)
            {
                var a = staker.Actions[k];
                Check(staker.Name, $"actions[{k}].", "subnet", "validator", a.Subnet, a.Validator);
                if (a.Kind == StakeKind.Move) Check(staker.Name, $"actions[{k}].", "to_subnet", "to_validator", a.ToSubnet ?? a.Subnet, a.ToValidator!);
            }
        }

        void Check(string staker, string path, string subnetField, string validatorField, string subnet, string validator)
        {
            var s = subnets.FirstOrDefault(x => x.Name == subnet)
                ?? throw new ScenarioFormatException($"staker '{staker}'", path + subnetField, $"no subnet is named '{subnet}'");
            if (s.FindValidator(validator) is null)
                throw new ScenarioFormatException($"staker '{staker}'", path + validatorField, $"subnet '{subnet}' has no validator '{validator}' (validators are named group-index, e.g. '{s.Validators[0].Name}-0')");
        }
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

    /// <summary>The owner's hyperparameter changes during the run, in the order given.</summary>
    public ImmutableArray<OwnerChange> OwnerChanges { get; init; } = [];

    internal static ScenarioSubnet Read(JsonElement s, int index)
    {
        string fallback = $"subnet #{index}";
        if (s.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(fallback, "$", "a subnet must be an object");
        string name = Scenario.OptionalText(s, "name", fallback) ?? $"sn{index}";
        string agent = $"subnet '{name}'";
        Scenario.Known(s, agent, "", "name", "hyperparameters", "miners", "validators", "owner_changes");
        var hyper = ImmutableArray<KeyValuePair<string, string>>.Empty;
        if (s.TryGetProperty("hyperparameters", out var h))
        {
            if (h.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "hyperparameters", "expected an object of name: value");
            hyper = ReadHyperparameters(h, agent, "hyperparameters");
        }
        var changes = Groups(s, "owner_changes", agent, OwnerChange.Read);
        var miners = Groups(s, "miners", agent, MinerGroup.Read);
        var validators = Groups(s, "validators", agent, ValidatorGroup.Read);
        if (miners.Length == 0) throw new ScenarioFormatException(agent, "miners", "at least one miner group is required");
        if (validators.Length == 0) throw new ScenarioFormatException(agent, "validators", "at least one validator group is required");
        var groups = miners.Select(m => m.Name).Concat(validators.Select(v => v.Name)).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (groups is not null) throw new ScenarioFormatException(agent, "validators", $"two agent groups are named '{groups.Key}'");
        int uids = 1 + miners.Sum(m => m.Count) + validators.Sum(v => v.Count);
        if (uids > 4096) throw new ScenarioFormatException(agent, "miners", $"{uids} UIDs exceed the most a subnet holds (4096)");
        return new ScenarioSubnet { Name = name, Hyperparameters = hyper, Miners = miners, Validators = validators, OwnerChanges = changes };
    }

    /// <summary>The validator named <c>group-index</c> (e.g. <c>honest-0</c>): its group and index; null if none.</summary>
    public (ValidatorGroup Group, int Index)? FindValidator(string name)
    {
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || !int.TryParse(name.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)) return null;
        var group = Validators.FirstOrDefault(v => v.Name == name[..dash]);
        return group is not null && index < group.Count ? (group, index) : null;
    }

    /// <summary>An object of hyperparameters: values as set_hyperparameter reads them (strings, numbers, booleans).</summary>
    internal static ImmutableArray<KeyValuePair<string, string>> ReadHyperparameters(JsonElement h, string agent, string path)
    {
        var hyper = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
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
            if (value is null) throw new ScenarioFormatException(agent, $"{path}.{p.Name}", "expected a string, number or boolean");
            if (p.Name == "tempo") throw new ScenarioFormatException(agent, $"{path}.tempo", "set the tempo under chain.tempo");
            hyper.Add(new(p.Name, value));
        }
        return hyper.ToImmutable();
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

