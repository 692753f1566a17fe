using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Moves free TAO from the signer (coldkey) to <see cref="Dest"/>.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.Transfer")]
    public sealed record Transfer : Operation
    {
        [Id(0)] public required string Dest { get; init; }
        [Id(1)] public required ulong Amount { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>transfer</c>: see <see cref="Transfer"/>.</summary>
    public sealed class TransferCall : Extrinsic<Transfer>
    {
        public override string Name => "transfer";

        /// <summary>
        /// <c>pallet_balances</c>' <c>transfer_keep_alive</c> benchmark (polkadot-sdk, outside the subtensor tree): about 38 µs,
        /// one read and one write (pays a fee).
        /// </summary>
        public override ulong Weight => Fees.Weight(37_942_000, 1, 1);

        public override Transfer Parse(CallArgs a, string signer) => new() { Signer = signer, Dest = a.Address("dest"), Amount = a.U64("amount") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, Transfer t)
        {
            if (t.Amount == 0) return Fail(plan, Codes.InvalidAmount, "amount must be at least 1 rao");
            if (!ValidAddress(t.Dest)) return Fail(plan, Codes.InvalidAddress, "dest is not a valid address");
            var from = await plan.AccountAsync(t.Signer);
            if (from.Balance < t.Amount) return Fail(plan, Codes.InsufficientBalance, $"balance {from.Balance} rao is below the amount {t.Amount} rao");
            await plan.AccountAsync(t.Signer, new AccountChange(-(long)t.Amount));
            await plan.AccountAsync(t.Dest, new AccountChange((long)t.Amount));
            plan.Emit(new ChainEvent { Kind = EventKinds.Transfer, Coldkey = t.Signer, DestColdkey = t.Dest, Tao = t.Amount });
            return Done(plan, amount: t.Amount);
        }
    }
}
