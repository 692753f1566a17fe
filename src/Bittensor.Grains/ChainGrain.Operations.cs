using System.Collections.Immutable;
using System.Net;
using Bittensor.Consensus;

namespace Bittensor.Grains;

public sealed partial class ChainGrain
{
    /// <summary>Stable error codes (the rule a rejected operation broke).</summary>
    public static class Codes
    {
        public const string InvalidAmount = nameof(InvalidAmount);
        public const string InvalidAddress = nameof(InvalidAddress);
        public const string InsufficientBalance = nameof(InsufficientBalance);
        public const string FaucetDisabled = nameof(FaucetDisabled);
        public const string FaucetDry = nameof(FaucetDry);
        public const string TooManySubnets = nameof(TooManySubnets);
        public const string HotkeyOwnedByAnother = nameof(HotkeyOwnedByAnother);
        public const string SubnetNotFound = nameof(SubnetNotFound);
        public const string RegistrationDisabled = nameof(RegistrationDisabled);
        public const string AlreadyRegistered = nameof(AlreadyRegistered);
        public const string NoNeuronToPrune = nameof(NoNeuronToPrune);
        public const string HotkeyNotFound = nameof(HotkeyNotFound);
        public const string AmountTooLow = nameof(AmountTooLow);
        public const string NotEnoughStake = nameof(NotEnoughStake);
        public const string SlippageTooHigh = nameof(SlippageTooHigh);
        public const string WeightVecLengthMismatch = nameof(WeightVecLengthMismatch);
        public const string TooManyUids = nameof(TooManyUids);
        public const string HotkeyNotRegistered = nameof(HotkeyNotRegistered);
        public const string NotEnoughStakeToSetWeights = nameof(NotEnoughStakeToSetWeights);
        public const string IncorrectWeightVersionKey = nameof(IncorrectWeightVersionKey);
        public const string CommitRevealEnabled = nameof(CommitRevealEnabled);
        public const string WeightsRateLimited = nameof(WeightsRateLimited);
        public const string NoValidatorPermit = nameof(NoValidatorPermit);
        public const string DuplicateUids = nameof(DuplicateUids);
        public const string UidNotFound = nameof(UidNotFound);
        public const string WeightVecLengthIsLow = nameof(WeightVecLengthIsLow);
        public const string InvalidIpAddress = nameof(InvalidIpAddress);
        public const string InvalidPort = nameof(InvalidPort);
        public const string NotOwner = nameof(NotOwner);
        public const string InvalidHyperparameter = nameof(InvalidHyperparameter);
        public const string TakeTooHigh = nameof(TakeTooHigh);
        public const string StaleNonce = nameof(StaleNonce);
        public const string FutureNonce = nameof(FutureNonce);
    }

    public async Task<OpResult> ExecuteAsync(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await EnsureAppliedAsync();
        if (!ValidAddress(operation.Signer)) return Fail(Codes.InvalidAddress, "the signer is not a valid address");
        var plan = new ChainPlan(GrainFactory);
        if (await NonceFailureAsync(plan, operation) is { } nonceFailure) return Fail(nonceFailure.Code, nonceFailure.Message);
        var result = await PlanAsync(plan, operation);
        if (!result.Ok) return result;
        if (operation.Nonce is not null) await plan.AccountAsync(operation.Signer, new AccountChange(0, BumpNonce: true));
        await CommitAsync(plan);
        return result with { Block = St.Block };
    }

    public async Task<ImmutableArray<RuleFailure>> PreflightAsync(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await EnsureAppliedAsync();
        var failures = ImmutableArray.CreateBuilder<RuleFailure>();
        if (!ValidAddress(operation.Signer)) return [new RuleFailure(Codes.InvalidAddress, "the signer is not a valid address")];
        var plan = new ChainPlan(GrainFactory);
        if (await NonceFailureAsync(plan, operation) is { } nonceFailure) failures.Add(nonceFailure);
        if (operation is SetWeights w && await plan.SubnetAsync(w.Netuid) is { } subnet)
        {
            foreach (var (code, message, next) in WeightRules(subnet, w, St.Block)) failures.Add(new RuleFailure(code, message, next));
        }
        else
        {
            var result = await PlanAsync(plan, operation);
            if (!result.Ok) failures.Add(new RuleFailure(result.Code!, result.Message!, result.NextAllowedBlock));
        }
        return failures.ToImmutable();
    }

    private async Task<RuleFailure?> NonceFailureAsync(ChainPlan plan, Operation operation)
    {
        if (operation.Nonce is not ulong nonce) return null;
        ulong next = (await plan.AccountAsync(operation.Signer)).Nonce;
        if (nonce < next) return new RuleFailure(Codes.StaleNonce, $"nonce {nonce} was already used; the signer's next nonce is {next}");
        if (nonce > next) return new RuleFailure(Codes.FutureNonce, $"nonce {nonce} is ahead; the signer's next nonce is {next}");
        return null;
    }

    /// <summary>Validates an operation and, when it passes, records its changes in <paramref name="plan"/> (nothing is written).</summary>
    private async Task<OpResult> PlanAsync(ChainPlan plan, Operation operation)
    {
        var result = operation switch
        {
            Transfer t => await TransferAsync(plan, t),
            Faucet f => await FaucetAsync(plan, f),
            RegisterNetwork r => await RegisterNetworkAsync(plan, r),
            BurnedRegister b => await BurnedRegisterAsync(plan, b),
            AddStake a => await AddStakeAsync(plan, a),
            RemoveStake r => await RemoveStakeAsync(plan, r),
            SetWeights w => await SetWeightsAsync(plan, w),
            ServeAxon a => await ServeAxonAsync(plan, a),
            SetHyperparameter h => await SetHyperparameterAsync(plan, h),
            SetTake t => await SetTakeAsync(plan, t),
            _ => Fail(Codes.InvalidAmount, $"unknown operation {operation.GetType().Name}"),
        };
        return result;
    }

    private OpResult Fail(string code, string message, ulong? nextAllowed = null) => OpResult.Fail(code, message, St.Block, nextAllowed);

    private OpResult Done(ushort? netuid = null, ushort? uid = null, ulong? amount = null) =>
        new() { Ok = true, Block = St.Block, Netuid = netuid, Uid = uid, Amount = amount };

    private static bool ValidAddress(string? address) => Addresses.IsWellFormed(address);

    private async Task<OpResult> TransferAsync(ChainPlan plan, Transfer t)
    {
        if (t.Amount == 0) return Fail(Codes.InvalidAmount, "amount must be at least 1 rao");
        if (!ValidAddress(t.Dest)) return Fail(Codes.InvalidAddress, "dest is not a valid address");
        var from = await plan.AccountAsync(t.Signer);
        if (from.Balance < t.Amount) return Fail(Codes.InsufficientBalance, $"balance {from.Balance} rao is below the amount {t.Amount} rao");
        await plan.AccountAsync(t.Signer, new AccountChange(-(long)t.Amount));
        await plan.AccountAsync(t.Dest, new AccountChange((long)t.Amount));
        return Done(amount: t.Amount);
    }

    private async Task<OpResult> FaucetAsync(ChainPlan plan, Faucet f)
    {
        if (!O.Faucet) return Fail(Codes.FaucetDisabled, "this network has no faucet (Chain:Faucet is false)");
        if (f.Amount == 0 || f.Amount > O.FaucetMax) return Fail(Codes.InvalidAmount, $"a faucet draw must be 1..{O.FaucetMax} rao");
        if (St.GenesisReserve < f.Amount) return Fail(Codes.FaucetDry, $"the genesis reserve holds only {St.GenesisReserve} rao");
        await plan.AccountAsync(f.Signer, new AccountChange((long)f.Amount));
        plan.Chain(st => st.GenesisReserve -= f.Amount);
        return Done(amount: f.Amount);
    }

    private async Task<OpResult> RegisterNetworkAsync(ChainPlan plan, RegisterNetwork r)
    {
        if (!ValidAddress(r.Hotkey)) return Fail(Codes.InvalidAddress, "hotkey is not a valid address");
        if (St.Subnets.Count >= O.MaxSubnets) return Fail(Codes.TooManySubnets, $"the network already has the maximum of {O.MaxSubnets} subnets");
        var hotkey = await plan.HotkeyAsync(r.Hotkey);
        if (hotkey.Owner is { } owner && owner != r.Signer) return Fail(Codes.HotkeyOwnedByAnother, "the hotkey belongs to another coldkey");
        ulong block = St.Block;
        ulong cost = LockCost.At(block, St.LastLockCost, St.LastLockBlock, O);
        var account = await plan.AccountAsync(r.Signer);
        if (account.Balance < cost) return Fail(Codes.InsufficientBalance, $"the lock cost is {cost} rao; balance is {account.Balance} rao");
        ushort netuid = 1;
        while (St.Subnets.Contains(netuid)) netuid++;
        var hyper = new SubnetHyperparameters { Tempo = O.NewSubnetTempo };
        await plan.AccountAsync(r.Signer, new AccountChange(-(long)cost, AddHotkey: r.Hotkey));
        await plan.SubnetAsync(netuid, new CreateSubnet(netuid, r.Signer, r.Hotkey, block, hyper, cost,
            Burn: BurnMath.Clamp(Tao.Rao, hyper), LastEpochBlock: EpochSchedule.InitialLastEpochBlock(netuid, hyper.Tempo, block)));
        await plan.HotkeyAsync(r.Hotkey, new HotkeyChange { Owner = r.Signer, Registered = (netuid, 0) });
        plan.Chain(st =>
        {
            st.Subnets.Add(netuid);
            st.LastLockCost = cost;
            st.LastLockBlock = block;
        });
        return Done(netuid: netuid, uid: 0, amount: cost);
    }

    private async Task<OpResult> BurnedRegisterAsync(ChainPlan plan, BurnedRegister b)
    {
        if (!ValidAddress(b.Hotkey)) return Fail(Codes.InvalidAddress, "hotkey is not a valid address");
        var s = await plan.SubnetAsync(b.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {b.Netuid}");
        if (!s.Hyper.RegistrationAllowed) return Fail(Codes.RegistrationDisabled, "the subnet owner has disabled registration");
        var hotkey = await plan.HotkeyAsync(b.Hotkey);
        if (hotkey.Owner is { } owner && owner != b.Signer) return Fail(Codes.HotkeyOwnedByAnother, "the hotkey belongs to another coldkey");
        if (s.UidOf(b.Hotkey) >= 0) return Fail(Codes.AlreadyRegistered, $"the hotkey is already registered on subnet {b.Netuid}");
        ulong burn = s.Burn;
        var account = await plan.AccountAsync(b.Signer);
        if (account.Balance < burn) return Fail(Codes.InsufficientBalance, $"the registration burn is {burn} rao; balance is {account.Balance} rao");
        ulong block = St.Block;
        int uid = s.Neurons.Count;
        string? pruned = null;
        if (s.Neurons.Count >= s.Hyper.MaxAllowedUids)
        {
            uid = NeuronToPrune(s, block);
            if (uid < 0) return Fail(Codes.NoNeuronToPrune, "the subnet is full and every UID is protected as the owner's");
            pruned = s.Neurons[uid].Hotkey;
        }
        ulong alphaBurned = PoolMath.AlphaOut(s.PoolTao, s.PoolAlpha, burn, feeRate: 0);
        await plan.AccountAsync(b.Signer, new AccountChange(-(long)burn, AddHotkey: b.Hotkey));
        await plan.SubnetAsync(b.Netuid, new RegisterNeuron((ushort)uid, b.Hotkey, b.Signer, block, burn, alphaBurned, BurnMath.AfterRegistration(burn, s.Hyper)));
        if (pruned is not null) await plan.HotkeyAsync(pruned, new HotkeyChange { Deregistered = b.Netuid });
        await plan.HotkeyAsync(b.Hotkey, new HotkeyChange { Owner = b.Signer, Registered = (b.Netuid, (ushort)uid) });
        return Done(netuid: b.Netuid, uid: (ushort)uid, amount: burn);
    }

    /// <summary>
    /// <c>get_neuron_to_prune</c> (spec §8): among UIDs not protected as the owner's (the owner hotkey and up to
    /// ImmuneOwnerUidsLimit owner-coldkey hotkeys), the lowest emission, then the earliest registration, then the lowest
    /// UID — from the non-immune UIDs if more than MinNonImmuneUids exist, else from the immune ones. −1 if none.
    /// </summary>
    internal static int NeuronToPrune(SubnetState s, ulong block)
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

    private async Task<OpResult> AddStakeAsync(ChainPlan plan, AddStake a)
    {
        var s = await plan.SubnetAsync(a.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {a.Netuid}");
        if (a.Amount < Tao.MinStake) return Fail(Codes.AmountTooLow, $"the minimum stake is {Tao.MinStake} rao (0.002 TAO)");
        var hotkey = await plan.HotkeyAsync(a.Hotkey);
        if (hotkey.Owner is null) return Fail(Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey (register it first)");
        var account = await plan.AccountAsync(a.Signer);
        if (account.Balance < a.Amount) return Fail(Codes.InsufficientBalance, $"balance {account.Balance} rao is below the amount {a.Amount} rao");
        ulong alpha = PoolMath.AlphaOut(s.PoolTao, s.PoolAlpha, a.Amount);
        if (alpha == 0) return Fail(Codes.AmountTooLow, "the amount buys no alpha at the current price");
        ulong price = PoolMath.PriceRao(s.PoolTao + a.Amount, s.PoolAlpha - alpha);
        if (a.LimitPrice is ulong limit && price > limit)
            return Fail(Codes.SlippageTooHigh, $"the buy would move the price to {price} rao per alpha, above the limit {limit}");
        await plan.AccountAsync(a.Signer, new AccountChange(-(long)a.Amount));
        await plan.SubnetAsync(a.Netuid, new MoveStake(a.Hotkey, (long)alpha, (long)a.Amount, -(long)alpha));
        await plan.HotkeyAsync(a.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(a.Netuid, a.Signer, (long)alpha)] });
        return Done(netuid: a.Netuid, amount: alpha);
    }

    private async Task<OpResult> RemoveStakeAsync(ChainPlan plan, RemoveStake r)
    {
        var s = await plan.SubnetAsync(r.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {r.Netuid}");
        if (r.Amount == 0) return Fail(Codes.InvalidAmount, "amount must be at least 1 rao of alpha");
        var hotkey = await plan.HotkeyAsync(r.Hotkey);
        ulong staked = hotkey.Stakes.GetValueOrDefault(KeyLedger.StakeKey(r.Netuid, r.Signer));
        if (staked < r.Amount) return Fail(Codes.NotEnoughStake, $"the signer has {staked} rao of alpha staked on this hotkey in subnet {r.Netuid}");
        ulong tao = PoolMath.TaoOut(s.PoolTao, s.PoolAlpha, r.Amount);
        if (tao < Tao.MinStake && r.Amount != staked)
            return Fail(Codes.AmountTooLow, $"unstaking returns {tao} rao, below the minimum {Tao.MinStake} rao (unstake everything instead)");
        ulong price = PoolMath.PriceRao(s.PoolTao - tao, s.PoolAlpha + r.Amount);
        if (r.LimitPrice is ulong limit && price < limit)
            return Fail(Codes.SlippageTooHigh, $"the sell would move the price to {price} rao per alpha, below the limit {limit}");
        await plan.SubnetAsync(r.Netuid, new MoveStake(r.Hotkey, -(long)r.Amount, -(long)tao, (long)r.Amount));
        await plan.HotkeyAsync(r.Hotkey, new HotkeyChange { Stakes = [new StakeDelta(r.Netuid, r.Signer, -(long)r.Amount)] });
        await plan.AccountAsync(r.Signer, new AccountChange((long)tao));
        return Done(netuid: r.Netuid, amount: tao);
    }

    private async Task<OpResult> SetWeightsAsync(ChainPlan plan, SetWeights w)
    {
        var s = await plan.SubnetAsync(w.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {w.Netuid}");
        var errors = WeightRules(s, w, St.Block);
        if (errors.Count > 0) return Fail(errors[0].Code, errors[0].Message, errors[0].NextAllowed);
        int uid = s.UidOf(w.Signer);
        await plan.SubnetAsync(w.Netuid, new StoreWeights((ushort)uid, w.Uids, [.. WeightMath.MaxUpscale(w.Weights)], St.Block));
        return Done(netuid: w.Netuid, uid: (ushort)uid);
    }

    /// <summary>Every set_weights rule of spec §8 the call breaks now, in the chain's order (empty when it passes).</summary>
    internal static List<(string Code, string Message, ulong? NextAllowed)> WeightRules(SubnetState s, SetWeights w, ulong block)
    {
        var errors = new List<(string, string, ulong?)>();
        int n = s.Neurons.Count;
        if (w.Uids.Length != w.Weights.Length) errors.Add((Codes.WeightVecLengthMismatch, $"{w.Uids.Length} uids but {w.Weights.Length} weights", null));
        if (w.Uids.Length > n) errors.Add((Codes.TooManyUids, $"{w.Uids.Length} uids on a subnet of {n}", null));
        int uid = s.UidOf(w.Signer);
        if (uid < 0)
        {
            errors.Add((Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {s.Netuid}", null));
            return errors;
        }
        bool owner = w.Signer == s.OwnerHotkey;
        ulong stake = s.HotkeyStake.GetValueOrDefault(w.Signer);
        if (!owner && stake < s.Hyper.StakeThreshold)
            errors.Add((Codes.NotEnoughStakeToSetWeights, $"stake {stake} rao is below the threshold {s.Hyper.StakeThreshold} rao", null));
        if (s.Hyper.WeightsVersionKey != 0 && w.VersionKey < s.Hyper.WeightsVersionKey)
            errors.Add((Codes.IncorrectWeightVersionKey, $"version_key {w.VersionKey} is below the subnet's {s.Hyper.WeightsVersionKey}", null));
        if (s.Hyper.CommitReveal)
            errors.Add((Codes.CommitRevealEnabled, "commit-reveal is enabled on this subnet; weights cannot be set directly", null));
        else
        {
            ulong last = s.Neurons[uid].LastUpdate;
            if (last != 0 && block - Math.Min(block, last) < s.Hyper.WeightsRateLimit)
            {
                ulong next = last + s.Hyper.WeightsRateLimit;
                errors.Add((Codes.WeightsRateLimited, $"weights were set at block {last}; the rate limit is {s.Hyper.WeightsRateLimit} blocks (next allowed block {next})", next));
            }
        }
        bool selfOnly = w.Uids.Length == 1 && w.Uids[0] == uid;
        if (!selfOnly && !owner && !s.Neurons[uid].ValidatorPermit)
            errors.Add((Codes.NoValidatorPermit, "the hotkey has no validator permit on this subnet", null));
        if (w.Uids.Distinct().Count() != w.Uids.Length) errors.Add((Codes.DuplicateUids, "a uid appears more than once", null));
        var missing = w.Uids.Where(u => u >= n).ToList();
        if (missing.Count > 0) errors.Add((Codes.UidNotFound, $"uid {missing[0]} does not exist (n = {n})", null));
        int min = Math.Min((int)s.Hyper.MinAllowedWeights, n);
        if (!selfOnly && w.Weights.Length < min) errors.Add((Codes.WeightVecLengthIsLow, $"at least {min} weights are required", null));
        return errors;
    }

    private async Task<OpResult> ServeAxonAsync(ChainPlan plan, ServeAxon a)
    {
        var s = await plan.SubnetAsync(a.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {a.Netuid}");
        if (s.UidOf(a.Signer) < 0) return Fail(Codes.HotkeyNotRegistered, $"the hotkey is not registered on subnet {a.Netuid}");
        if (!IPAddress.TryParse(a.Ip, out _)) return Fail(Codes.InvalidIpAddress, $"'{a.Ip}' is not an IPv4 or IPv6 address");
        if (a.Port == 0) return Fail(Codes.InvalidPort, "port must be 1..65535");
        if (a.Name is { Length: > 64 }) return Fail(Codes.InvalidAddress, "name must be at most 64 characters");
        await plan.HotkeyAsync(a.Signer, new HotkeyChange { Axon = (a.Netuid, new AxonInfo(a.Ip, a.Port, a.Protocol, a.Version, St.Block, a.Name)) });
        return Done(netuid: a.Netuid);
    }

    private async Task<OpResult> SetHyperparameterAsync(ChainPlan plan, SetHyperparameter h)
    {
        var s = await plan.SubnetAsync(h.Netuid);
        if (s is null) return Fail(Codes.SubnetNotFound, $"no subnet has netuid {h.Netuid}");
        if (h.Signer != s.OwnerColdkey) return Fail(Codes.NotOwner, $"only the subnet owner's coldkey may change subnet {h.Netuid}");
        var (updated, error) = s.Hyper.With(h.Name, h.Value);
        if (updated is null) return Fail(Codes.InvalidHyperparameter, error!);
        await plan.SubnetAsync(h.Netuid, new ReplaceHyperparameters(updated, h.Name == "tempo" ? St.Block : null));
        return Done(netuid: h.Netuid);
    }

    private async Task<OpResult> SetTakeAsync(ChainPlan plan, SetTake t)
    {
        var hotkey = await plan.HotkeyAsync(t.Hotkey);
        if (hotkey.Owner is null) return Fail(Codes.HotkeyNotFound, "the hotkey is not associated with any coldkey");
        if (hotkey.Owner != t.Signer) return Fail(Codes.NotOwner, "only the hotkey's coldkey may set its take");
        if (t.Take > HotkeyState.DefaultTake) return Fail(Codes.TakeTooHigh, $"take must be at most {HotkeyState.DefaultTake} (18%)");
        await plan.HotkeyAsync(t.Hotkey, new HotkeyChange { Take = t.Take });
        return Done(amount: t.Take);
    }
}
