using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Registers a hotkey on the root network (netuid 0); when root is full it replaces the member with the least root stake.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.RootRegister")]
    public sealed record RootRegister : Operation
    {
        [Id(0)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>root_register</c> (subtensor's <c>coinbase/root.rs</c> <c>do_root_register</c>): see <see cref="RootRegister"/>.</summary>
    public sealed class RootRegisterCall : Extrinsic<RootRegister>
    {
        public override string Name => "root_register";

        /// <summary>subtensor's <c>weights.rs</c> <c>root_register</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(103_934_000, 19, 16);

        public override RootRegister Parse(CallArgs a, string signer) => new() { Signer = signer, Hotkey = a.Address("hotkey") };

        /// <summary>
        /// In subtensor's order: the hotkey is not on root yet (<c>AlreadyRegistered</c>); the hotkey is associated with the
        /// signer when it has no owner yet (another coldkey's hotkey may be put on root, as subtensor's
        /// <c>create_account_if_non_existent</c> allows); below <see cref="RootNetwork.MaxValidators"/> members it is appended,
        /// else it replaces the member with the least root stake, which it must exceed (<c>StakeTooLowForRoot</c>).
        /// </summary>
        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, RootRegister r)
        {
            if (!ValidAddress(r.Hotkey)) return Fail(plan, Codes.InvalidAddress, "hotkey is not a valid address");
            var root = await plan.RootAsync();
            if (root.UidOf(r.Hotkey) >= 0) return Fail(plan, Codes.AlreadyRegistered, "the hotkey is already registered on the root network");
            var hotkey = await plan.HotkeyAsync(r.Hotkey);
            string coldkey = hotkey.Owner ?? r.Signer;
            if (hotkey.Owner is null && BurnedRegisterCall.HotkeyLimit(plan, await plan.AccountAsync(r.Signer), r.Hotkey) is { } limit) return limit;
            ulong stake = hotkey.StakeIn(RootNetwork.Netuid);
            int uid = root.Neurons.Count;
            string? replaced = null;
            if (uid >= RootNetwork.MaxValidators)
            {
                uid = RootNetwork.LowestStakeUid(root);
                ulong lowest = root.StakedHotkeys.GetValueOrDefault(root.Neurons[uid].Hotkey);
                if (stake <= lowest)
                    return Fail(plan, Codes.StakeTooLowForRoot,
                        $"root is full ({RootNetwork.MaxValidators} members); the hotkey's root stake {stake} rao must exceed the lowest member's {lowest} rao (uid {uid})");
                replaced = root.Neurons[uid].Hotkey;
            }
            if (hotkey.Owner is null) await plan.AccountAsync(r.Signer, new AccountChange(0, AddHotkey: r.Hotkey));
            await plan.SubnetAsync(RootNetwork.Netuid, new RegisterNeuron((ushort)uid, r.Hotkey, coldkey, plan.Chain.Block, plan.Seq, stake));
            if (replaced is not null)
            {
                await plan.HotkeyAsync(replaced, new HotkeyChange { Deregistered = RootNetwork.Netuid });
                plan.Emit(new ChainEvent { Kind = EventKinds.NeuronPruned, Hotkey = replaced, Netuid = RootNetwork.Netuid, Uid = (ushort)uid });
            }
            await plan.HotkeyAsync(r.Hotkey, new HotkeyChange { Owner = coldkey, Registered = (RootNetwork.Netuid, (ushort)uid) });
            plan.Emit(new ChainEvent { Kind = EventKinds.NeuronRegistered, Coldkey = coldkey, Hotkey = r.Hotkey, Netuid = RootNetwork.Netuid, Uid = (ushort)uid, Tao = 0 });
            return Done(plan, netuid: RootNetwork.Netuid, uid: (ushort)uid);
        }
    }
}
