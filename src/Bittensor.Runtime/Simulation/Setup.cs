using System.Globalization;

namespace Bittensor.Runtime.Simulation;

/// <summary>What every simulation does at block 0, through extrinsics: the chain's rules, subnets with a pinned burn, calls that must pass.</summary>
internal static class Setup
{
    /// <summary>
    /// The simulation's root key (a scenario run derives a real key of this label): it applies the scenario's
    /// hyperparameters at block 0, root-only ones included, as the chain's sudo would.
    /// </summary>
    public const string Root = "sim-root";

    /// <summary>The network's rules with the simulation's tempo and lock cost, room for its subnets, and <paramref name="sudo"/> as the root key.</summary>
    public static ChainRules Rules(ulong tempo, ulong lockCost, int subnets, string sudo = Root) => new()
    {
        Id = "sim",
        Sudo = sudo,
        NewSubnetTempo = tempo,
        MinLockCost = lockCost,
        MaxSubnets = Math.Max(new ChainRules().MaxSubnets, subnets),
        // The simulation creates every subnet at block 0 (a set-up, not a result) and measures emission, not fees.
        NetworkRateLimit = 0,
        WeightFee = 0,
    };

    /// <summary>Applies an operation the simulation relies on; a refusal is a bug in the set-up, not a result.</summary>
    public static async Task<OpResult> ExecuteAsync(InMemoryChain chain, Operation op)
    {
        var result = await chain.ExecuteAsync(op);
        if (!result.Ok) throw new InvalidOperationException($"{op.GetType().Name} by {op.Signer} was refused at block {result.Block}: {result.Code} {result.Message}");
        return result;
    }

    /// <summary>
    /// Creates and starts a subnet (at block 0 the lock does not double), pins its burn with min_burn = max_burn = <paramref name="burn"/>,
    /// keeps the weights rate limit within a tempo (validators set weights once an epoch at most) and makes room for
    /// <paramref name="uids"/> UIDs. Returns the netuid.
    /// </summary>
    public static async Task<ushort> SubnetAsync(InMemoryChain chain, string owner, string ownerHotkey, ulong burn, int uids)
    {
        var created = await ExecuteAsync(chain, new RegisterNetwork { Signer = owner, Hotkey = ownerHotkey });
        ushort netuid = created.Netuid!.Value;
        await ExecuteAsync(chain, new StartCall { Signer = owner, Netuid = netuid });
        var defaults = new SubnetHyperparameters();
        ulong rateLimit = Math.Min(defaults.WeightsRateLimit, chain.Rules.NewSubnetTempo);
        await Hyperparameter(chain, netuid, "min_burn", burn);
        await Hyperparameter(chain, netuid, "max_burn", burn);
        await Hyperparameter(chain, netuid, "weights_rate_limit", rateLimit);
        if (uids > defaults.MaxAllowedUids) await Hyperparameter(chain, netuid, "max_allowed_uids", (ulong)uids);
        return netuid;
    }

    /// <summary>An honest score of a miner of quality <paramref name="quality"/> (0..1) as a u16 weight, with uniform relative noise.</summary>
    public static ushort HonestWeight(double quality, double noise, Random rng) =>
        (ushort)Math.Clamp(Math.Round(65535 * quality * (1 - noise + 2 * noise * rng.NextDouble()) / (1 + noise)), 1, 65535);

    private static Task<OpResult> Hyperparameter(InMemoryChain chain, ushort netuid, string name, ulong value) =>
        ExecuteAsync(chain, new SetHyperparameter { Signer = chain.Rules.Sudo!, Netuid = netuid, Name = name, Value = value.ToString(CultureInfo.InvariantCulture) });
}
