using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The owning coldkey sets a hotkey's delegate take (u16 proportion of 65535, 0%..18%) up or down, as btcli's
    /// <c>set-take</c> does: a raise follows <see cref="IncreaseTake"/>'s rules (rate limit), a cut <see cref="DecreaseTake"/>'s.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetTake")]
    public sealed record SetTake : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Take { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_take</c>: see <see cref="SetTake"/>.</summary>
    public sealed class SetTakeCall : Extrinsic<SetTake>
    {
        public override string Name => "set_take";

        public override SetTake Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey"), Take = a.U16("take") };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, SetTake t) => PlanAsync(plan, t.Signer, t.Hotkey, t.Take, increase: null);

        /// <summary>
        /// subtensor's <c>do_increase_take</c> and <c>do_decrease_take</c>: the signer owns the hotkey; an increase must go up, to at
        /// most 18%, and wait <see cref="ChainRules.TakeRateLimit"/> blocks after the last take change (of either kind); a decrease
        /// must go down, to at least <see cref="ChainRules.MinTake"/>, and applies at once. Either records the block. With
        /// <paramref name="increase"/> null (<c>set_take</c>) the direction is the new take's.
        /// </summary>
        internal static async ValueTask<OpResult> PlanAsync(ChainPlan plan, string signer, string hotkeyAddress, ushort take, bool? increase)
        {
            var hotkey = await plan.HotkeyAsync(hotkeyAddress);
            if (hotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey");
            if (hotkey.Owner != signer) return Fail(plan, Codes.NotOwner, "only the hotkey's coldkey may set its take");
            if (increase is null && take == hotkey.Take) return Fail(plan, Codes.DelegateTakeTooLow, $"the take is already {take}");
            bool up = increase ?? take > hotkey.Take;
            ulong block = plan.Chain.Block;
            if (up)
            {
                if (take <= hotkey.Take) return Fail(plan, Codes.DelegateTakeTooLow, $"an increase must raise the take above {hotkey.Take}");
                if (take > HotkeyState.DefaultTake) return Fail(plan, Codes.TakeTooHigh, $"take must be at most {HotkeyState.DefaultTake} (18%)");
                ulong last = hotkey.TakeChangedAt, limit = plan.Rules.TakeRateLimit;
                if (limit > 0 && last > 0 && block - Math.Min(block, last) <= limit)
                    return Fail(plan, Codes.DelegateTxRateLimitExceeded,
                        $"the take last changed at block {last}; it may rise again {limit} blocks later", nextAllowed: last + limit + 1);
            }
            else
            {
                if (take >= hotkey.Take) return Fail(plan, Codes.DelegateTakeTooLow, $"a decrease must lower the take below {hotkey.Take}");
                if (take < plan.Rules.MinTake) return Fail(plan, Codes.DelegateTakeTooLow, $"take must be at least {plan.Rules.MinTake}");
            }
            await plan.HotkeyAsync(hotkeyAddress, new HotkeyChange { Take = take, TakeChangedAt = block });
            plan.Emit(new ChainEvent { Kind = up ? EventKinds.TakeIncreased : EventKinds.TakeDecreased, Coldkey = signer, Hotkey = hotkeyAddress, Number = take });
            return Done(plan, amount: take);
        }
    }
}
