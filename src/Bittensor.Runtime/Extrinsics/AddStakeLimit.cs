using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Stakes up to <see cref="LimitedStake.Amount"/> rao of TAO on a hotkey without the price rising past the limit.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.AddStakeLimit")]
    public sealed record AddStakeLimit : LimitedStake;
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>add_stake_limit</c>: see <see cref="AddStakeLimit"/>.</summary>
    public sealed class AddStakeLimitCall : LimitedStakeCall<AddStakeLimit>
    {
        public override string Name => "add_stake_limit";

        /// <summary>subtensor's <c>weights.rs</c> <c>add_stake_limit</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(853_005_000, 32, 16);

        public override AddStakeLimit Parse(CallArgs a, string signer)
        {
            var (hotkey, netuid, amount, limit, partial) = Read(a);
            return new() { Signer = signer, Hotkey = hotkey, Netuid = netuid, Amount = amount, LimitPrice = limit, AllowPartial = partial };
        }

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, AddStakeLimit a) =>
            AddStakeCall.PlanAsync(plan, a.Signer, a.Hotkey, a.Netuid, a.Amount, a.LimitPrice, a.AllowPartial);
    }
}
