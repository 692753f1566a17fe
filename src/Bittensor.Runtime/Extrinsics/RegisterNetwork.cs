using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// Creates a subnet owned by the signer (coldkey) with <see cref="Hotkey"/> as owner hotkey; pays the lock cost. At the
    /// subnet cap it dissolves the non-immune subnet with the lowest moving price first (<see cref="SubnetDissolution"/>)
    /// and takes its netuid.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.RegisterNetwork")]
    public sealed record RegisterNetwork : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>register_network</c>: see <see cref="RegisterNetwork"/>.</summary>
    public sealed class RegisterNetworkCall : Extrinsic<RegisterNetwork>
    {
        public override string Name => "register_network";

        /// <summary>subtensor's <c>weights.rs</c> <c>register_network</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(277_125_000, 40, 48);

        public override RegisterNetwork Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, RegisterNetwork r)
        {
            var chain = plan.Chain;
            if (!ValidAddress(r.Hotkey)) return Fail(plan, Codes.InvalidAddress, "hotkey is not a valid address");
            if (RateLimited(plan) is { } limited) return limited;
            ushort? dissolve = null;
            if (chain.Subnets.Count >= plan.Rules.MaxSubnets)
            {
                dissolve = await SubnetDissolution.CandidateAsync(plan);
                if (dissolve is null)
                    return Fail(plan, Codes.TooManySubnets, $"the network already has the maximum of {plan.Rules.MaxSubnets} subnets and none may be dissolved (each is within its {plan.Rules.NetworkImmunityPeriod}-block network immunity)");
            }
            var hotkey = await plan.HotkeyAsync(r.Hotkey);
            if (hotkey.Owner is { } owner && owner != r.Signer) return Fail(plan, Codes.HotkeyOwnedByAnother, "the hotkey belongs to another coldkey");
            ulong block = chain.Block;
            ulong cost = LockCost.At(block, chain.LastLockCost, chain.LastLockBlock, plan.Rules);
            var account = await plan.AccountAsync(r.Signer);
            if (account.Balance < cost) return Fail(plan, Codes.InsufficientBalance, $"the lock cost is {cost} rao; balance is {account.Balance} rao");
            if (BurnedRegisterCall.HotkeyLimit(plan, account, r.Hotkey) is { } limit) return limit;
            // At the cap the subnet with the lowest moving price goes, its stakers paid from its pool, and its netuid is reused.
            if (dissolve is ushort gone) await SubnetDissolution.DissolveAsync(plan, gone);
            ushort netuid = dissolve ?? 1;
            while (chain.Subnets.ContainsKey(netuid)) netuid++;
            var hyper = new SubnetHyperparameters { Tempo = plan.Rules.NewSubnetTempo, ServingRateLimit = plan.Rules.ServingRateLimit };
            await plan.AccountAsync(r.Signer, new AccountChange(-(long)cost, AddHotkey: r.Hotkey));
            chain.Subnets[netuid] = new SubnetEconomy
            {
                Netuid = netuid, OwnerColdkey = r.Signer, OwnerHotkey = r.Hotkey, RegisteredAt = block, Hyper = hyper, Lock = cost,
                PoolTao = cost, PoolAlpha = cost, AlphaIssued = cost, Burn = BurnMath.Clamp(Tao.Rao, hyper), N = 1,
                LastEpochBlock = Bittensor.Consensus.EpochSchedule.InitialLastEpochBlock(netuid, hyper.Tempo, block),
                AwaitingStartCall = !plan.Rules.StartSubnetsAtCreation,
            };
            await plan.SubnetAsync(netuid, new CreateSubnet(netuid, r.Signer, r.Hotkey, block, hyper, plan.Seq, hotkey.StakeIn(netuid)));
            await plan.HotkeyAsync(r.Hotkey, new HotkeyChange { Owner = r.Signer, Registered = (netuid, 0) });
            chain.LastLockCost = cost;
            chain.LastLockBlock = block;
            chain.LastNetworkBlock = block;
            plan.Emit(new ChainEvent { Kind = EventKinds.NetworkAdded, Coldkey = r.Signer, Hotkey = r.Hotkey, Netuid = netuid, Uid = 0, Tao = cost });
            return Done(plan, netuid: netuid, uid: 0, amount: cost);
        }

        /// <summary>
        /// subtensor's <c>NetworkRateLimit</c> (<c>CheckRateLimits</c> on <c>register_network</c>): one creation on the whole
        /// network per <see cref="ChainRules.NetworkRateLimit"/> blocks. subtensor counts a creation at block 0 as none; here
        /// every creation counts.
        /// </summary>
        private static OpResult? RateLimited(ChainPlan plan)
        {
            ulong limit = plan.Rules.NetworkRateLimit, block = plan.Chain.Block;
            if (limit == 0 || plan.Chain.LastNetworkBlock is not ulong last || block - Math.Min(block, last) >= limit) return null;
            return Fail(plan, Codes.NetworkTxRateLimitExceeded,
                $"a subnet was created at block {last}; the network allows one creation per {limit} blocks, the next from block {last + limit}", last + limit);
        }
    }
}
