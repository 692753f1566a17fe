using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The subnet owner (coldkey) starts its subnet's emission, once, at least <see cref="ChainRules.StartCallDelay"/>
    /// blocks after its creation (subtensor's <c>do_start_call</c>). Until then the subnet gets no TAO or alpha emission.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.StartCall")]
    public sealed record StartCall : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>start_call</c>: see <see cref="StartCall"/>.</summary>
    public sealed class StartCallCall : Extrinsic<StartCall>
    {
        public override string Name => "start_call";

        public override StartCall Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid") };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, StartCall c)
        {
            var e = plan.Economy(c.Netuid);
            if (e is null) return ValueTask.FromResult(Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {c.Netuid}"));
            if (c.Signer != e.OwnerColdkey) return ValueTask.FromResult(Fail(plan, Codes.NotOwner, $"only the owner's coldkey may start subnet {c.Netuid}"));
            if (e.Started)
                return ValueTask.FromResult(Fail(plan, Codes.FirstEmissionBlockNumberAlreadySet,
                    e.StartCallBlock is ulong at ? $"subnet {c.Netuid} was started at block {at}" : $"subnet {c.Netuid} was started at its creation"));
            ulong block = plan.Chain.Block, from = e.RegisteredAt + plan.Rules.StartCallDelay;
            if (block < from)
                return ValueTask.FromResult(Fail(plan, Codes.NeedWaitingMoreBlocksToStarCall,
                    $"subnet {c.Netuid} was created at block {e.RegisteredAt}; its owner may start it from block {from} (start delay {plan.Rules.StartCallDelay} blocks)", from));
            e.AwaitingStartCall = false;
            e.StartCallBlock = block;
            plan.Emit(new ChainEvent { Kind = EventKinds.FirstEmissionBlockNumberSet, Coldkey = c.Signer, Netuid = c.Netuid, Number = block + 1 });
            return ValueTask.FromResult(Done(plan, netuid: c.Netuid, amount: block + 1));
        }
    }
}
