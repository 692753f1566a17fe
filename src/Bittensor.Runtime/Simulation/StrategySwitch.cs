using System.Collections.Immutable;

namespace Bittensor.Runtime.Simulation;

/// <summary>
/// A strategy switch for <c>sim compare</c>: every agent group named <see cref="Group"/> (validators or miners, on any subnet)
/// plays <see cref="Strategy"/> instead of its own; everything else stays, so the two runs differ only by that choice.
/// </summary>
public sealed record StrategySwitch(string Group, string Strategy)
{
    /// <summary>Parses <c>group=strategy,group=strategy</c>.</summary>
    /// <exception cref="FormatException">A switch is not <c>group=strategy</c>, or names a group twice.</exception>
    public static ImmutableArray<StrategySwitch> ParseList(string text)
    {
        var list = ImmutableArray.CreateBuilder<StrategySwitch>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1) throw new FormatException($"'{part}' is not group=strategy");
            var s = new StrategySwitch(part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (list.Any(x => x.Group == s.Group)) throw new FormatException($"group '{s.Group}' is switched twice");
            list.Add(s);
        }
        if (list.Count == 0) throw new FormatException("expected group=strategy[,group=strategy...]");
        return list.ToImmutable();
    }

    /// <summary>The scenario with every switch applied.</summary>
    /// <exception cref="ScenarioFormatException">No group has the name, or the strategy is not one its kind of agent plays (a cartel needs its favoured miners).</exception>
    public static Scenario Apply(Scenario scenario, IEnumerable<StrategySwitch> switches)
    {
        var subnets = scenario.Subnets;
        foreach (var sw in switches)
        {
            bool found = false;
            subnets = [.. subnets.Select(s =>
            {
                var validators = s.Validators.Select(v =>
                {
                    if (v.Name != sw.Group) return v;
                    found = true;
                    string agent = $"validators '{v.Name}' of subnet '{s.Name}'";
                    var strategy = ValidatorGroup.Parse(sw.Strategy)
                        ?? throw new ScenarioFormatException(agent, "strategy", $"expected {ValidatorGroup.Names}, got '{sw.Strategy}'");
                    if (strategy == ValidatorStrategy.Cartel && v.Favours.IsDefaultOrEmpty)
                        throw new ScenarioFormatException(agent, "favours", "a cartel names the miner groups it favours; give the group favours in the scenario");
                    return v with { Strategy = strategy, Favours = strategy == ValidatorStrategy.Cartel ? v.Favours : [] };
                }).ToImmutableArray();
                var miners = s.Miners.Select(m =>
                {
                    if (m.Name != sw.Group) return m;
                    found = true;
                    var strategy = sw.Strategy switch
                    {
                        "honest" => MinerStrategy.Honest,
                        "lazy" => MinerStrategy.Lazy,
                        "sybil" => MinerStrategy.Sybil,
                        _ => throw new ScenarioFormatException($"miners '{m.Name}' of subnet '{s.Name}'", "strategy", $"expected honest, lazy or sybil, got '{sw.Strategy}'"),
                    };
                    return m with { Strategy = strategy };
                }).ToImmutableArray();
                return s with { Validators = validators, Miners = miners };
            })];
            if (!found) throw new ScenarioFormatException("--strategy", sw.Group, $"no validator or miner group of scenario '{scenario.Name}' is named '{sw.Group}'");
        }
        return scenario with { Subnets = subnets };
    }
}
