using System.Collections.Immutable;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>Registers <see cref="Hotkey"/> on a subnet, paying the burn from the signer (coldkey).</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.BurnedRegister")]
    public sealed record BurnedRegister : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required string Hotkey { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>burned_register</c>: see <see cref="BurnedRegister"/>.</summary>
    public sealed class BurnedRegisterCall : Extrinsic<BurnedRegister>
    {
        public override string Name => "burned_register";

        /// <summary>subtensor's <c>weights.rs</c> <c>burned_register</c> (pays a fee).</summary>
        public override ulong Weight => Fees.Weight(336_815_000, 34, 29);

        public override BurnedRegister Parse(CallArgs a, string signer) => new() { Signer = signer, Netuid = a.U16("netuid"), Hotkey = a.Address("hotkey") };

        public override async ValueTask<OpResult> PlanAsync(ChainPlan plan, BurnedRegister b)
        {
            if (!ValidAddress(b.Hotkey)) return Fail(plan, Codes.InvalidAddress, "hotkey is not a valid address");
            var e = plan.Economy(b.Netuid);
            var s = await plan.SubnetAsync(b.Netuid);
            if (e is null || s is null) return Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {b.Netuid}");
            if (!e.Hyper.RegistrationAllowed) return Fail(plan, Codes.RegistrationDisabled, "the subnet owner has disabled registration");
            var hotkey = await plan.HotkeyAsync(b.Hotkey);
            if (hotkey.Owner is { } owner && owner != b.Signer) return Fail(plan, Codes.HotkeyOwnedByAnother, "the hotkey belongs to another coldkey");
            if (s.UidOf(b.Hotkey) >= 0) return Fail(plan, Codes.AlreadyRegistered, $"the hotkey is already registered on subnet {b.Netuid}");
            ulong burn = e.Burn;
            var account = await plan.AccountAsync(b.Signer);
            if (account.Balance < burn) return Fail(plan, Codes.InsufficientBalance, $"the registration burn is {burn} rao; balance is {account.Balance} rao");
            if (HotkeyLimit(plan, account, b.Hotkey) is { } limit) return limit;
            ulong block = plan.Chain.Block;
            int uid = s.Neurons.Count;
            string? pruned = null;
            if (s.Neurons.Count >= e.Hyper.MaxAllowedUids)
            {
                uid = NeuronToPrune(s, block);
                if (uid < 0) return Fail(plan, Codes.NoNeuronToPrune, "the subnet is full and every UID is protected as the owner's");
                pruned = s.Neurons[uid].Hotkey;
            }
            ulong alphaBurned = PoolMath.AlphaOut(e.PoolTao, e.PoolAlpha, burn, feeRate: 0, quoteWeight: e.QuoteWeight);
            await plan.AccountAsync(b.Signer, new AccountChange(-(long)burn, AddHotkey: b.Hotkey));
            await plan.SubnetAsync(b.Netuid, new RegisterNeuron((ushort)uid, b.Hotkey, b.Signer, block, plan.Seq, hotkey.StakeIn(b.Netuid)));
            e.PoolTao += burn;
            e.PoolAlpha -= alphaBurned;
            e.AlphaBurned += alphaBurned;
            e.Burn = BurnMath.AfterRegistration(burn, e.Hyper);
            e.N = s.Neurons.Count;
            if (pruned is not null) await plan.HotkeyAsync(pruned, new HotkeyChange { Deregistered = b.Netuid });
            await plan.HotkeyAsync(b.Hotkey, new HotkeyChange { Owner = b.Signer, Registered = (b.Netuid, (ushort)uid) });
            if (pruned is not null) plan.Emit(new ChainEvent { Kind = EventKinds.NeuronPruned, Hotkey = pruned, Netuid = b.Netuid, Uid = (ushort)uid });
            plan.Emit(new ChainEvent { Kind = EventKinds.NeuronRegistered, Coldkey = b.Signer, Hotkey = b.Hotkey, Netuid = b.Netuid, Uid = (ushort)uid, Tao = burn });
            return Done(plan, netuid: b.Netuid, uid: (ushort)uid, amount: burn);
        }

        /// <summary>Refuses a new hotkey for a coldkey that already owns the most hotkeys the chain stores per account.</summary>
        internal static OpResult? HotkeyLimit(ChainPlan plan, AccountState account, string hotkey) =>
            account.Hotkeys.Count >= plan.Rules.MaxHotkeysPerColdkey && !account.Hotkeys.Contains(hotkey)
                ? Fail(plan, Codes.TooManyHotkeys, $"the coldkey already owns {account.Hotkeys.Count} hotkeys, the most an account holds ({plan.Rules.MaxHotkeysPerColdkey})")
                : null;

        /// <summary>
        /// <c>get_neuron_to_prune</c> (spec §8): among UIDs not protected as the owner's (the owner hotkey and up to
        /// ImmuneOwnerUidsLimit owner-coldkey hotkeys), the lowest emission, then the earliest registration, then the lowest
        /// UID — from the non-immune UIDs if more than MinNonImmuneUids exist, else from the immune ones. −1 if none.
        /// </summary>
        public static int NeuronToPrune(SubnetState s, ulong block)
        {
            var protectedUids = new HashSet<int>();
            int ownerUid = s.UidOf(s.OwnerHotkey);
            if (ownerUid >= 0) protectedUids.Add(ownerUid);
            foreach (var uid in Enumerable.Range(0, s.Neurons.Count)
                         .Where(u => u != ownerUid && s.Neurons[u].Coldkey == s.OwnerColdkey).Take(s.Hyper.ImmuneOwnerUidsLimit))
                protectedUids.Add(uid);
            var candidates = Enumerable.Range(0, s.Neurons.Count).Where(u => !protectedUids.Contains(u)).ToList();
            bool Immune(int u) => block - Math.Min(block, s.Neurons[u].BlockAtRegistration) < s.Hyper.ImmunityPeriod;
            var nonImmune = candidates.Where(u => !Immune(u)).ToList();
            var pool = nonImmune.Count > s.Hyper.MinNonImmuneUids ? nonImmune : candidates.Where(Immune).ToList();
            if (pool.Count == 0) pool = candidates;
            return pool.Count == 0 ? -1 : pool
                .OrderBy(u => s.Neurons[u].Emission).ThenBy(u => s.Neurons[u].BlockAtRegistration).ThenBy(u => u).First();
        }
    }
}
