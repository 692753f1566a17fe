using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Unstakes up to <see cref="LimitedStake.Amount"/> rao of alpha from a hotkey without the price falling past the limit.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.RemoveStakeLimit")]
    public sealed record RemoveStakeLimit : LimitedStake;
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>remove_stake_limit</c>: see <see cref="RemoveStakeLimit"/>.</summary>
    public sealed class RemoveStakeLimitCall : LimitedStakeCall<RemoveStakeLimit>
    {
        public override string Name => "remove_stake_limit";

        /// <summary>subtensor's <c>weights.rs</c> <c>remove_stake_limit</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(740_696_000, 27, 13);

        public override RemoveStakeLimit Parse(CallArgs a, string signer)
        {
            var (hotkey, netuid, amount, limit, partial) = Read(a);
            return new() { Signer = signer, Hotkey = hotkey, Netuid = netuid, Amount = amount, LimitPrice = limit, AllowPartial = partial };
        }

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, RemoveStakeLimit r) =>
            RemoveStakeCall.PlanAsync(plan, r.Signer, r.Hotkey, r.Netuid, r.Amount, r.LimitPrice, r.AllowPartial);
    }
}
