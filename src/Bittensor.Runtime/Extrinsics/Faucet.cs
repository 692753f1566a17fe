using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Development faucet: TAO from the genesis reserve to the signer.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.Faucet")]
    public sealed record Faucet : Operation
    {
        [Id(0)] public required ulong Amount { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>faucet</c>: see <see cref="Faucet"/>.</summary>
    public sealed class FaucetCall : Extrinsic<Faucet>
    {
        public override string Name => "faucet";

        public override Faucet Parse(CallArgs a, string signer) => new() { Signer = signer, Amount = a.U64("amount") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, Faucet f)
        {
            if (!plan.Rules.Faucet) return Fail(plan, Codes.FaucetDisabled, "this network has no faucet (Chain:Faucet is false)");
            if (f.Amount == 0 || f.Amount > plan.Rules.FaucetMax) return Fail(plan, Codes.InvalidAmount, $"a faucet draw must be 1..{plan.Rules.FaucetMax} rao");
            if (plan.Chain.GenesisReserve < f.Amount) return Fail(plan, Codes.FaucetDry, $"the genesis reserve holds only {plan.Chain.GenesisReserve} rao");
            await plan.AccountAsync(f.Signer, new AccountChange((long)f.Amount));
            plan.Chain.GenesisReserve -= f.Amount;
            plan.Emit(new ChainEvent { Kind = EventKinds.Faucet, Coldkey = f.Signer, Tao = f.Amount });
            return Done(plan, amount: f.Amount);
        }
    }
}
