using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The coldkey owning <see cref="Hotkey"/> sets the part of its parents' dividends it keeps as a child on
    /// <see cref="Netuid"/> (subtensor's <c>set_childkey_take</c>), in parts of 65 535, between
    /// <see cref="ChainRules.MinChildkeyTake"/> and <see cref="ChainRules.MaxChildkeyTake"/> (18%). An increase waits
    /// <see cref="ChainRules.ChildkeyTakeRateLimit"/> blocks after the last change; a decrease applies at once.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetChildkeyTakeOp")]
    public sealed record SetChildkeyTakeOperation : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
        [Id(1)] public required ushort Netuid { get; init; }
        [Id(2)] public required ushort Take { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_childkey_take</c>: see <see cref="SetChildkeyTakeOperation"/>.</summary>
    public sealed class SetChildkeyTakeCall : Extrinsic<SetChildkeyTakeOperation>
    {
        public override string Name => "set_childkey_take";

        public override SetChildkeyTakeOperation Parse(CallArgs a, string signer) =>
            new() { Signer = signer, Hotkey = a.Address("hotkey"), Netuid = a.U16("netuid"), Take = a.U16("take") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SetChildkeyTakeOperation t)
        {
            if (!ValidAddress(t.Hotkey)) return Fail(plan, Codes.InvalidAddress, "hotkey is not a valid address");
            if (plan.Economy(t.Netuid) is null || await plan.SubnetAsync(t.Netuid) is not { } s) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {t.Netuid}");
            var hotkey = await plan.HotkeyAsync(t.Hotkey);
            if (hotkey.Owner != t.Signer) return Fail(plan, Codes.NotOwner, "only the hotkey's coldkey may set its childkey take");
            ushort min = plan.Rules.MinChildkeyTake, max = plan.Rules.MaxChildkeyTake;
            if (t.Take < min || t.Take > max) return Fail(plan, Codes.InvalidChildkeyTake, $"take {t.Take} is outside [{min}, {max}] (parts of 65535; {max} is 18%)");
            ulong block = plan.Chain.Block, limit = plan.Rules.ChildkeyTakeRateLimit, last = s.ChildkeyTakeSetAt.GetValueOrDefault(t.Hotkey);
            ushort current = Math.Max(s.ChildkeyTakes.GetValueOrDefault(t.Hotkey), min);
            if (t.Take > current && last != 0 && block - last < limit)
                return Fail(plan, Codes.TxChildkeyTakeRateLimitExceeded, $"{t.Hotkey}'s childkey take changed at block {last}; it may rise again from block {last + limit}", last + limit);
            await plan.SubnetAsync(t.Netuid, new SetChildkeyTake(t.Hotkey, t.Take, block));
            plan.Emit(new ChainEvent { Kind = EventKinds.ChildKeyTakeSet, Coldkey = t.Signer, Hotkey = t.Hotkey, Netuid = t.Netuid, Number = t.Take });
            return Done(plan, netuid: t.Netuid, amount: t.Take);
        }
    }
}
