using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>The owning coldkey sets a hotkey's delegate take (u16 proportion, at most 18%).</summary>
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

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetTake t)
        {
            var hotkey = await plan.HotkeyAsync(t.Hotkey);
            if (hotkey.Owner is null) return Fail(plan, Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey");
            if (hotkey.Owner != t.Signer) return Fail(plan, Codes.NotOwner, "only the hotkey's coldkey may set its take");
            if (t.Take > HotkeyState.DefaultTake) return Fail(plan, Codes.TakeTooHigh, $"take must be at most {HotkeyState.DefaultTake} (18%)");
            await plan.HotkeyAsync(t.Hotkey, new HotkeyChange { Take = t.Take });
            plan.Emit("TakeSet", t.Hotkey, amount: t.Take);
            return Done(plan, amount: t.Take);
        }
    }
}
