using System.Collections.Immutable;
using System.Text.Json;

namespace Bittensor.Runtime.Simulation;

/// <summary>How a miner group works.</summary>
public enum MinerStrategy
{
    /// <summary>Each miner does work of its own quality (quality ± spread); honest validators score it by that.</summary>
    Honest,

    /// <summary>Registers and does no work: honest validators give it no weight.</summary>
    Lazy,

    /// <summary>One operator behind every UID of the group (one coldkey, one quality drawn once): the same work answered many times.</summary>
    Sybil,
}

/// <summary>
/// Miners of one strategy: each has quality + uniform(−spread, +spread), clamped to [0.01, 1] (a sybil group draws one for all);
/// they register at <see cref="JoinBlock"/> (0: at set-up; later: a late joiner, which may push out the subnet's weakest UID).
/// </summary>
public sealed record MinerGroup(string Name, int Count, double Quality, double Spread, MinerStrategy Strategy = MinerStrategy.Honest, ulong JoinBlock = 0)
{
    internal static MinerGroup Read(JsonElement g, string subnet, int index)
    {
        string agent = $"miners #{index} of {subnet}";
        if (g.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "$", "a group must be an object");
        string name = Scenario.Text(g, "name", agent);
        agent = $"miners '{name}' of {subnet}";
        Scenario.Known(g, agent, "", "name", "count", "quality", "spread", "strategy", "join_block");
        string strategy = Scenario.OptionalText(g, "strategy", agent) ?? "honest";
        var parsed = strategy switch
        {
            "honest" => MinerStrategy.Honest,
            "lazy" => MinerStrategy.Lazy,
            "sybil" => MinerStrategy.Sybil,
            _ => throw new ScenarioFormatException(agent, "strategy", $"expected honest, lazy or sybil, got '{strategy}'"),
        };
        return new MinerGroup(name, (int)Scenario.Number(g, "count", agent, 1, 4095, 1),
            Scenario.Number(g, "quality", agent, 0, 1, 0.5), Scenario.Number(g, "spread", agent, 0, 1, 0), parsed,
            (ulong)Scenario.Number(g, "join_block", agent, 0, 100_000_000, 0));
    }

    /// <summary>The strategy's name in a scenario document.</summary>
    public string StrategyName => Strategy.ToString().ToLowerInvariant();
}

/// <summary>How a validator chooses its weights.</summary>
public enum ValidatorStrategy
{
    /// <summary>Scores every working miner by its quality with uniform relative noise, every <see cref="ValidatorGroup.EveryTempos"/> tempos.</summary>
    Honest,

    /// <summary>Sets the consensus of the subnet's last epoch as its weights (what a metagraph shows), every tempo.</summary>
    Copier,

    /// <summary>Sets the consensus of <see cref="ValidatorGroup.LagEpochs"/> epochs ago (a copier that reads a stale metagraph).</summary>
    LaggingCopier,

    /// <summary>Colludes: every member gives all its weight to the miners of <see cref="ValidatorGroup.Favours"/>, by their quality.</summary>
    Cartel,

    /// <summary>Registers and stakes, never sets weights.</summary>
    Inactive,
}

/// <summary>
/// Validators with one strategy and stake: each registers at <see cref="JoinBlock"/> (0: at set-up; later: a late validator)
/// and stakes <see cref="Stake"/> rao on its own hotkey; it sets weights until <see cref="StopBlock"/> (null: to the end).
/// On a subnet with commit-reveal on, weights go through commit_weights and, <c>commit_reveal_period</c> epochs later, reveal_weights.
/// </summary>
public sealed record ValidatorGroup(
    string Name, int Count, ulong Stake, ValidatorStrategy Strategy, double Noise, int EveryTempos,
    ulong JoinBlock = 0, ulong? StopBlock = null, int LagEpochs = 2, ImmutableArray<string> Favours = default)
{
    internal static ValidatorGroup Read(JsonElement g, string subnet, int index)
    {
        string agent = $"validators #{index} of {subnet}";
        if (g.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "$", "a group must be an object");
        string name = Scenario.Text(g, "name", agent);
        agent = $"validators '{name}' of {subnet}";
        Scenario.Known(g, agent, "", "name", "count", "stake_tao", "strategy", "noise", "every_tempos", "join_block", "stop_block", "lag_epochs", "favours");
        var parsed = Parse(Scenario.OptionalText(g, "strategy", agent) ?? "honest")
            ?? throw new ScenarioFormatException(agent, "strategy", $"expected {Names}, got '{Scenario.OptionalText(g, "strategy", agent)}'");
        ulong stake = Scenario.Rao(g, "stake_tao", agent, 100);
        if (stake < Tao.MinStake) throw new ScenarioFormatException(agent, "stake_tao", "a validator stakes at least 0.002 TAO");
        ulong join = (ulong)Scenario.Number(g, "join_block", agent, 0, 100_000_000, 0);
        ulong? stop = g.TryGetProperty("stop_block", out _) ? (ulong)Scenario.Number(g, "stop_block", agent, 0, 100_000_000, null) : null;
        if (stop is ulong s && s < join) throw new ScenarioFormatException(agent, "stop_block", "must not come before join_block");
        var favours = ImmutableArray<string>.Empty;
        if (g.TryGetProperty("favours", out var f))
        {
            if (f.ValueKind != JsonValueKind.Array || f.GetArrayLength() == 0 || f.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(x.GetString())))
                throw new ScenarioFormatException(agent, "favours", "expected a non-empty array of miner group names");
            favours = [.. f.EnumerateArray().Select(x => x.GetString()!)];
        }
        if (parsed == ValidatorStrategy.Cartel && favours.IsEmpty) throw new ScenarioFormatException(agent, "favours", "a cartel names the miner groups it favours");
        if (parsed != ValidatorStrategy.Cartel && !favours.IsEmpty) throw new ScenarioFormatException(agent, "favours", "only a cartel favours miners");
        return new ValidatorGroup(name, (int)Scenario.Number(g, "count", agent, 1, 4095, 1), stake, parsed,
            Scenario.Number(g, "noise", agent, 0, 1, 0.05), (int)Scenario.Number(g, "every_tempos", agent, 1, 1000, 1),
            join, stop, (int)Scenario.Number(g, "lag_epochs", agent, 1, 100, 2), favours);
    }

    /// <summary>The strategies' names in a scenario document.</summary>
    public const string Names = "honest, copier, lagging_copier, cartel or inactive";

    /// <summary>A strategy by its name in a scenario document; null if none has it.</summary>
    public static ValidatorStrategy? Parse(string name) => name switch
    {
        "honest" => ValidatorStrategy.Honest,
        "copier" => ValidatorStrategy.Copier,
        "lagging_copier" => ValidatorStrategy.LaggingCopier,
        "cartel" => ValidatorStrategy.Cartel,
        "inactive" => ValidatorStrategy.Inactive,
        _ => null,
    };

    /// <summary>The strategy's name in a scenario document.</summary>
    public string StrategyName => Strategy switch
    {
        ValidatorStrategy.LaggingCopier => "lagging_copier",
        _ => Strategy.ToString().ToLowerInvariant(),
    };
}

/// <summary>A hyperparameter change the subnet's owner makes at <see cref="Block"/>, through set_hyperparameter signed by its coldkey (the owner's rules apply).</summary>
public sealed record OwnerChange(ulong Block, ImmutableArray<KeyValuePair<string, string>> Hyperparameters)
{
    internal static OwnerChange Read(JsonElement c, string subnet, int index)
    {
        string agent = $"owner of {subnet}";
        string path = $"owner_changes[{index}].";
        if (c.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, $"owner_changes[{index}]", "a change must be an object");
        Scenario.Known(c, agent, path, "block", "hyperparameters");
        ulong block = (ulong)Scenario.Number(c, "block", agent, 1, 100_000_000, null, path);
        if (!c.TryGetProperty("hyperparameters", out var h) || h.ValueKind != JsonValueKind.Object || !h.EnumerateObject().Any())
            throw new ScenarioFormatException(agent, path + "hyperparameters", "expected a non-empty object of name: value");
        return new OwnerChange(block, ScenarioSubnet.ReadHyperparameters(h, agent, path + "hyperparameters"));
    }
}

/// <summary>What a staker does at a block.</summary>
public enum StakeKind
{
    /// <summary>add_stake of <see cref="StakeAction.Amount"/> TAO (rao) on a validator's hotkey.</summary>
    Stake,

    /// <summary>remove_stake of <see cref="StakeAction.Amount"/> alpha (rao), or all of it, from a validator's hotkey.</summary>
    Unstake,

    /// <summary>move_stake of <see cref="StakeAction.Amount"/> alpha, or all of it, to another validator, on the same or another subnet.</summary>
    Move,
}

/// <summary>One staker action: validators are named <c>group-index</c> (e.g. <c>honest-0</c>) within their subnet; a null amount is all of it.</summary>
public sealed record StakeAction(ulong Block, StakeKind Kind, string Subnet, string Validator, ulong? Amount, string? ToSubnet, string? ToValidator);

/// <summary>
/// A staker (a whale entering, leaving or rotating between subnets): a coldkey with <see cref="Balance"/> rao at genesis that
/// stakes on validators' hotkeys through add_stake, remove_stake and move_stake.
/// </summary>
public sealed record Staker(string Name, ulong Balance, ImmutableArray<StakeAction> Actions)
{
    internal static Staker Read(JsonElement s, int index)
    {
        string agent = $"stakers #{index}";
        if (s.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, "$", "a staker must be an object");
        string name = Scenario.Text(s, "name", agent);
        agent = $"staker '{name}'";
        Scenario.Known(s, agent, "", "name", "balance_tao", "root", "actions");
        if (s.TryGetProperty("root", out _))
            throw new ScenarioFormatException(agent, "root", "this chain has no root network (netuid 0 is not a subnet one stakes on here), so there are no root stakers");
        ulong balance = Scenario.Rao(s, "balance_tao", agent, 0);
        if (!s.TryGetProperty("actions", out var a) || a.ValueKind != JsonValueKind.Array || a.GetArrayLength() == 0)
            throw new ScenarioFormatException(agent, "actions", "expected a non-empty array of actions");
        var actions = ImmutableArray.CreateBuilder<StakeAction>();
        int k = 0;
        foreach (var x in a.EnumerateArray())
        {
            string path = $"actions[{k++}].";
            if (x.ValueKind != JsonValueKind.Object) throw new ScenarioFormatException(agent, path.TrimEnd('.'), "an action must be an object");
            Scenario.Known(x, agent, path, "block", "action", "subnet", "validator", "amount", "to_subnet", "to_validator");
            string kind = Scenario.Text(x, "action", agent, path);
            var parsed = kind switch
            {
                "stake" => StakeKind.Stake,
                "unstake" => StakeKind.Unstake,
                "move" => StakeKind.Move,
                _ => throw new ScenarioFormatException(agent, path + "action", $"expected stake, unstake or move, got '{kind}'"),
            };
            ulong? amount = null;
            if (x.TryGetProperty("amount", out var am) && am.ValueKind == JsonValueKind.String && am.GetString() == "all")
            {
                if (parsed == StakeKind.Stake) throw new ScenarioFormatException(agent, path + "amount", "a stake names its TAO amount");
            }
            else
            {
                double value = Scenario.Number(x, "amount", agent, 1e-9, 21_000_000, null, path);
                amount = (ulong)Math.Round(value * Tao.Rao);
            }
            string? to = Scenario.OptionalText(x, "to_subnet", agent, path);
            string? toValidator = Scenario.OptionalText(x, "to_validator", agent, path);
            if (parsed == StakeKind.Move && toValidator is null) throw new ScenarioFormatException(agent, path + "to_validator", "a move names the validator it moves to");
            if (parsed != StakeKind.Move && (to ?? toValidator) is not null) throw new ScenarioFormatException(agent, path + (to is null ? "to_validator" : "to_subnet"), "only a move has a destination");
            actions.Add(new StakeAction((ulong)Scenario.Number(x, "block", agent, 1, 100_000_000, null, path), parsed,
                Scenario.Text(x, "subnet", agent, path), Scenario.Text(x, "validator", agent, path), amount, to, toValidator));
        }
        return new Staker(name, balance, actions.ToImmutable());
    }
}
