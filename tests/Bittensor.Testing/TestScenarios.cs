namespace Bittensor.Testing;

/// <summary>Scenarios more than one test project runs.</summary>
public static class TestScenarios
{
    /// <summary>
    /// Two subnets (one with liquid alpha and commit-reveal), honest validators and a copier, a late miner group, an owner
    /// change, a whale staking and moving its stake: every kind of agent the simulator and the live network must agree on.
    /// </summary>
    public static string TwoSubnets(string name, int blocks) => $$$"""
        {"schema": "bittensor-scenario/1", "name": "{{{name}}}", "blocks": {{{blocks}}}, "seed": 3,
         "chain": {"tempo": 40, "lock_cost_tao": 1000},
         "subnets": [
           {"name": "a",
            "miners": [{"name": "m", "count": 6, "quality": 0.6, "spread": 0.3}],
            "validators": [{"name": "honest", "count": 3, "stake_tao": 100, "noise": 0.05},
                           {"name": "copier", "count": 1, "stake_tao": 50, "strategy": "copier"}],
            "owner_changes": [{"block": 150, "hyperparameters": {"bonds_moving_average": 500000}}]},
           {"name": "b", "hyperparameters": {"liquid_alpha": true, "commit_reveal_weights_enabled": true},
            "miners": [{"name": "m", "count": 5, "quality": 0.5, "spread": 0.4},
                       {"name": "late", "count": 2, "quality": 0.9, "join_block": 120}],
            "validators": [{"name": "honest", "count": 3, "stake_tao": 80}]}],
         "stakers": [{"name": "whale", "balance_tao": 500, "actions": [
           {"block": 100, "action": "stake", "subnet": "a", "validator": "honest-0", "amount": 200},
           {"block": 250, "action": "move", "subnet": "a", "validator": "honest-0", "amount": "all", "to_subnet": "b", "to_validator": "honest-1"}]}]}
        """;
}
