using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// The subnet owner (coldkey) or the chain's sudo key changes the subnet's owner hotkey (subtensor's
    /// <c>sudo_set_sn_owner_hotkey</c>), at most once per <see cref="ChainRules.OwnerHotkeyRateLimit"/> blocks. The owner
    /// hotkey receives the owner cut, always holds a validator permit and may weight itself. Unlike subtensor, the new
    /// hotkey must already belong to the owner's coldkey: here the owner cut is staked on it, and stake on a hotkey without
    /// an owning coldkey could not be moved.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SudoSetSnOwnerHotkey")]
    public sealed record SudoSetSnOwnerHotkey : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>sudo_set_sn_owner_hotkey</c>: see <see cref="SudoSetSnOwnerHotkey"/>.</summary>
    public sealed class SudoSetSnOwnerHotkeyCall : Extrinsic<SudoSetSnOwnerHotkey>
    {
        public override string Name => "sudo_set_sn_owner_hotkey";

        public override SudoSetSnOwnerHotkey Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid"), Hotkey = a.Address("hotkey") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, SudoSetSnOwnerHotkey o)
        {
            if (!ValidAddress(o.Hotkey)) return Fail(plan, Codes.InvalidAddress, "hotkey is not a valid address");
            var e = plan.Economy(o.Netuid);
            if (e is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {o.Netuid}");
            bool root = plan.Rules.Sudo is { } sudo && o.Signer == sudo;
            if (!root && o.Signer != e.OwnerColdkey) return Fail(plan, Codes.NotOwner, $"only the owner's coldkey (or the chain's sudo key) may change subnet {o.Netuid}'s owner hotkey");
            ulong block = plan.Chain.Block, last = e.OwnerHotkeySetAt, limit = plan.Rules.OwnerHotkeyRateLimit;
            // subtensor's check_passes_rate_limit: the first change (last block 0) always passes.
            if (last != 0 && block - last < limit)
                return Fail(plan, Codes.TxRateLimitExceeded, $"subnet {o.Netuid}'s owner hotkey was changed at block {last}; it may change again from block {last + limit}", last + limit);
            var hotkey = await plan.HotkeyAsync(o.Hotkey);
            if (hotkey.Owner != e.OwnerColdkey)
                return Fail(plan, hotkey.Owner is null ? Codes.HotkeyNotFound : Codes.HotkeyOwnedByAnother,
                    $"the new owner hotkey must belong to the subnet owner's coldkey {e.OwnerColdkey}; it belongs to {hotkey.Owner ?? "no coldkey"}");
            e.OwnerHotkey = o.Hotkey;
            e.OwnerHotkeySetAt = block;
            await plan.SubnetAsync(o.Netuid, new SetOwnerHotkey(o.Hotkey));
            plan.Emit(new ChainEvent { Kind = EventKinds.SubnetOwnerHotkeySet, Coldkey = o.Signer, Hotkey = o.Hotkey, Netuid = o.Netuid });
            return Done(plan, netuid: o.Netuid);
        }
    }
}
