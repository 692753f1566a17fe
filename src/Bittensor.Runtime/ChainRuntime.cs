using System.Collections.Immutable;
using Bittensor.Consensus;
using Bittensor.Keys;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor.Runtime;

/// <summary>
/// The chain's rules as pure functions over a <see cref="ChainPlan"/>: genesis, an operation, a block, an epoch's
/// landing. Deterministic: no wall time, no I/O but the plan's <see cref="IStateSource"/>.
/// </summary>
public static class ChainRuntime
{
    /// <summary>SubnetMovingAlpha (3·10⁻⁶) and EMAPriceHalvingBlocks (201 600) of the moving price (spec §5).</summary>
    private const double MovingAlpha = 3e-6, PriceHalvingBlocks = 201_600;

    /// <summary>The chain at block 0: issuance, genesis balances, the rest as the faucet's reserve.</summary>
    public static async ValueTask GenesisAsync(ChainPlan plan, ulong issuance, IReadOnlyDictionary<string, ulong> balances, ReadOnlyMemory<byte> salt = default)
    {
        ulong allocated = 0;
        foreach (var (address, balance) in balances.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            await plan.AccountAsync(address, new AccountChange(checked((long)balance)));
            allocated += balance;
        }
        plan.Chain.Initialized = true;
        plan.Chain.TotalIssuance = issuance;
        plan.Chain.GenesisReserve = issuance - allocated;
        plan.Chain.GenesisHash = GenesisHash(plan.Rules.Id, issuance, balances, salt.Span);
    }

    /// <summary>
    /// BLAKE2b-256 of the genesis: chain id, issuance, the balances in address order and a salt (the silo draws 32 random
    /// bytes once, so two deployments with the same settings still differ), as <c>0x</c> + 64 hex digits.
    /// </summary>
    public static string GenesisHash(string chainId, ulong issuance, IReadOnlyDictionary<string, ulong> balances, ReadOnlySpan<byte> salt)
    {
        var text = new System.Text.StringBuilder("bittensor-orleans/genesis/1\n").Append(chainId).Append('\n').Append(issuance).Append('\n');
        foreach (var (address, balance) in balances.OrderBy(kv => kv.Key, StringComparer.Ordinal)) text.Append(address).Append('=').Append(balance).Append('\n');
        byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(text.ToString()), .. salt];
        return Hashes.Blake2b256Hex(bytes);
    }

    /// <summary>Checks the signer, the nonce and the call's rules and plans its effects; a rejection plans nothing that is kept.</summary>
    public static async ValueTask<OpResult> ExecuteAsync(ChainPlan plan, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!Addresses.IsWellFormed(operation.Signer)) return OpResult.Fail(Codes.InvalidAddress, "the signer is not a valid address", plan.Chain.Block);
        if (await ReceiptAsync(plan, operation) is { } receipt)
            return new OpResult { Ok = true, Block = receipt.Block, Netuid = receipt.Netuid, Uid = receipt.Uid, Amount = receipt.Amount, Fee = receipt.Fee, Resubmitted = true };
        if (MortalityFailure(plan, operation) is { } mortality) return OpResult.Fail(mortality.Code, mortality.Message, plan.Chain.Block);
        if (await NonceFailureAsync(plan, operation) is { } nonce) return OpResult.Fail(nonce.Code, nonce.Message, plan.Chain.Block);
        var extrinsic = Extrinsics.Calls.For(operation);
        ulong fee = Fees.Of(operation, plan.Rules);
        if (await ChargeFeeAsync(plan, operation.Signer, fee) is { } unpaid) return OpResult.Fail(unpaid.Code, unpaid.Message, plan.Chain.Block);
        var result = await extrinsic.PlanAsync(plan, operation);
        if (!result.Ok) return result; // the plan is dropped: a refused transaction pays no fee
        result = result with { Fee = fee };
        plan.Extrinsic = new ExtrinsicRecord { Hash = operation.Hash, Signer = operation.Signer, Call = extrinsic.Name, Ok = true };
        if (operation.Nonce is ulong used)
        {
            var kept = operation.Hash is { } hash ? new TransactionReceipt(used, hash, plan.Chain.Block, result.Netuid, result.Uid, result.Amount, fee) : null;
            await plan.AccountAsync(operation.Signer, new AccountChange(0, BumpNonce: true, Receipt: kept));
        }
        return result;
    }

    /// <summary>
    /// Takes the fee from the signer's free balance before the call runs (as subtensor withdraws it before dispatch, so the
    /// call sees the balance after the fee) and burns it: the issuance goes down by the same amount. Null when paid.
    /// </summary>
    private static async ValueTask<RuleFailure?> ChargeFeeAsync(ChainPlan plan, string signer, ulong fee)
    {
        if (fee == 0) return null;
        ulong balance = (await plan.AccountAsync(signer)).Balance;
        if (balance < fee) return new RuleFailure(Codes.CannotPayFee, $"the transaction fee is {fee} rao; the signer's free balance is {balance} rao");
        await plan.AccountAsync(signer, new AccountChange(-(long)fee));
        plan.Chain.TotalIssuance -= fee;
        plan.Chain.FeesBurned += fee;
        plan.Emit(new ChainEvent { Kind = EventKinds.TransactionFeePaid, Coldkey = signer, Tao = fee });
        return null;
    }

    /// <summary>
    /// The receipt of this very transaction when it was applied before (same signer, nonce and hash): a client whose
    /// connection dropped resubmits and learns the outcome, and nothing is applied twice.
    /// </summary>
    private static async ValueTask<TransactionReceipt?> ReceiptAsync(ChainPlan plan, Operation operation)
    {
        if (operation is not { Nonce: ulong nonce, Hash: { } hash }) return null;
        var account = await plan.AccountAsync(operation.Signer);
        if (nonce >= account.Nonce) return null;
        foreach (var r in account.Receipts)
            if (r.Nonce == nonce && r.Hash == hash) return r;
        return null;
    }

    /// <summary>A transaction past its <c>valid_until</c> block, or one whose mortality is longer than the chain allows.</summary>
    private static RuleFailure? MortalityFailure(ChainPlan plan, Operation operation)
    {
        if (operation.ValidUntil is not ulong until) return null;
        ulong block = plan.Chain.Block;
        if (block > until) return new RuleFailure(Codes.TransactionExpired, $"the transaction was valid until block {until}; the chain is at block {block}: sign it again");
        if (until - block > ChainTarget.MaxMortality)
            return new RuleFailure(Codes.MortalityTooLong, $"valid_until {until} is more than {ChainTarget.MaxMortality} blocks after the current block {block}");
        return null;
    }

    /// <summary>Every rule the operation breaks now (empty when it would be applied).</summary>
    public static async ValueTask<ImmutableArray<RuleFailure>> PreflightAsync(ChainPlan plan, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!Addresses.IsWellFormed(operation.Signer)) return [new RuleFailure(Codes.InvalidAddress, "the signer is not a valid address")];
        var failures = ImmutableArray.CreateBuilder<RuleFailure>();
        if (MortalityFailure(plan, operation) is { } mortality) failures.Add(mortality);
        if (await NonceFailureAsync(plan, operation) is { } nonce) failures.Add(nonce);
        var call = Extrinsics.Calls.For(operation);
        // The call's rules are checked against the balance after the fee, as the transaction would be.
        if (await ChargeFeeAsync(plan, operation.Signer, Fees.Of(operation, plan.Rules)) is { } unpaid) failures.Add(unpaid);
        failures.AddRange(await call.PreflightAsync(plan, operation));
        return failures.ToImmutable();
    }

    private static async ValueTask<RuleFailure?> NonceFailureAsync(ChainPlan plan, Operation operation)
    {
        if (operation.Nonce is not ulong nonce) return null;
        ulong next = (await plan.AccountAsync(operation.Signer)).Nonce;
        if (nonce < next) return new RuleFailure(Codes.StaleNonce, $"nonce {nonce} was already used; the signer's next nonce is {next}");
        if (nonce > next) return new RuleFailure(Codes.FutureNonce, $"nonce {nonce} is ahead; the signer's next nonce is {next}");
        return null;
    }

    /// <summary>
    /// One block (spec §0, §5–§7), the economy part: mint the block emission for the issuance and split it across
    /// subnets by moving price; with no root network (tao_weight = 0, root proportion = 0) all of a subnet's TAO emission
    /// buys alpha for the protocol; mint alpha_out (18% owner cut, the rest 50/50 miners/validators) into pending; decay
    /// burns; update moving prices. Returns the epochs that start at this block (at most MaxEpochsPerBlock, and not while
    /// the subnet's previous epoch is still in flight: those are deferred a block). Touches no subnet roster.
    /// </summary>
    public static List<EpochStart> StepBlock(ChainPlan plan)
    {
        var chain = plan.Chain;
        ulong block = chain.Block + 1;
        chain.Block = block;
        var subnets = chain.OrderedList();
        ulong emission = BlockEmission.ForIssuance(chain.TotalIssuance);
        var taoShares = SplitByPrice(emission, subnets);
        bool rootSell = RootNetwork.SellFlag(subnets);
        ulong minted = 0;
        var starts = new List<EpochStart>();
        for (int k = 0; k < subnets.Count; k++)
        {
            var e = subnets[k];
            ulong tao = taoShares[k];
            minted += tao;
            ulong issuance = e.AlphaIssued - e.AlphaBurned;
            ulong alphaOut = e.Started ? BlockEmission.ForIssuance(issuance) : 0;
            ulong rootProportion = e.Started ? RootNetwork.Proportion(chain.RootStake, plan.Rules.TaoWeight, issuance) : 0;
            if (e.Started) chain.Recycled += RootNetwork.Inject(e, tao, alphaOut, rootProportion);
            ulong ownerCut = (ulong)((UInt128)alphaOut * e.Hyper.SubnetOwnerCut / 65535);
            ulong rest = alphaOut - ownerCut;
            ulong server = rest / 2;
            ulong rootAlpha = RootNetwork.AlphaShare(rest, rootProportion);
            double price = PoolMath.Price(e.PoolTao, e.PoolAlpha, quoteWeight: e.QuoteWeight);
            double age = e.Started ? block - Math.Min(block, e.EmissionStartBlock) : 0; // blocks since start_call
            double a = MovingAlpha * age / (age + PriceHalvingBlocks);
            ulong sinceStep = Math.Min(e.BlocksSinceLastStep + 1, e.Hyper.Tempo + 1);
            e.AlphaIssued += alphaOut;
            e.PendingOwnerCut += ownerCut;
            e.PendingServer += server;
            e.PendingValidator += rest - server - rootAlpha;
            if (rootSell) e.PendingRootAlpha += rootAlpha;
            else
            {
                e.AlphaBurned += rootAlpha; // recycled: out of the subnet's issuance, as recycle_subnet_alpha
                e.RootAlphaRecycled += rootAlpha;
            }
            e.Burn = BurnMath.DecayOneBlock(e.Burn, e.Hyper);
            e.MovingPrice = a * Math.Min(price, 1.0) + (1 - a) * e.MovingPrice;
            e.BlocksSinceLastStep = sinceStep;

            if (!EpochSchedule.ShouldRunEpoch(e.Hyper.Tempo, block, e.LastEpochBlock, e.PendingEpochAt, sinceStep)) continue;
            if (starts.Count >= plan.Rules.MaxEpochsPerBlock || e.InFlight is not null)
            {
                e.PendingEpochAt = block + 1;
                continue;
            }
            starts.Add(new EpochStart { Netuid = e.Netuid, Index = e.EpochIndex, Block = block, Hyper = e.Hyper, RaoEmission = e.PendingServer + e.PendingValidator + e.PendingRootAlpha });
            e.LastEpochBlock = block;
            e.PendingEpochAt = 0;
            e.EpochIndex++;
            e.BlocksSinceLastStep = 0;
        }
        int halvings = BlockEmission.Halvings(chain.TotalIssuance);
        chain.TotalIssuance += minted;
        if (BlockEmission.Halvings(chain.TotalIssuance) is var now && now > halvings)
            plan.Emit(new ChainEvent { Kind = EventKinds.Halving, Number = (ulong)now, Tao = BlockEmission.ForIssuance(chain.TotalIssuance) });
        return starts;
    }

    /// <summary>
    /// Shares of the block's TAO by moving price among the started subnets (equal when every price is 0; subtensor's
    /// <c>get_subnets_to_emit_to</c> leaves out a subnet before its <c>start_call</c>); rounding dust to the first started
    /// subnet. With none started nothing is minted.
    /// </summary>
    private static ulong[] SplitByPrice(ulong emission, List<SubnetEconomy> subnets)
    {
        var shares = new ulong[subnets.Count];
        int first = subnets.FindIndex(static s => s.Started);
        if (first < 0) return shares;
        double total = 0;
        int started = 0;
        foreach (var s in subnets)
            if (s.Started) { total += s.MovingPrice; started++; }
        ulong given = 0;
        for (int k = 0; k < subnets.Count; k++)
        {
            if (!subnets[k].Started) continue;
            double share = total > 0 ? subnets[k].MovingPrice / total : 1.0 / started;
            shares[k] = (ulong)Math.Floor(emission * share);
            given += shares[k];
        }
        if (given > emission) throw new InvalidOperationException("TAO emission split exceeds the block emission");
        shares[first] += emission - given;
        return shares;
    }

    /// <summary>An epoch started this block but its outcome is not in: its emission is set aside until it lands.</summary>
    public static void SetAside(ChainPlan plan, EpochStart start)
    {
        var e = plan.Economy(start.Netuid) ?? throw new InvalidOperationException($"subnet {start.Netuid} does not exist");
        e.InFlight = new EpochInFlight(start.Index, start.Block, e.PendingServer, e.PendingValidator, e.PendingOwnerCut) { Root = e.PendingRootAlpha };
        e.PendingRootAlpha = 0;
        e.PendingServer = 0;
        e.PendingValidator = 0;
        e.PendingOwnerCut = 0;
    }

    /// <summary>
    /// Lands an epoch's outcome (spec §6): miners' server emission and validators' dividends are staked as alpha (a child
    /// hotkey's dividend split with its parents first, <see cref="ChildKeys.Distribution"/>; then each validator's take to
    /// its own coldkey, the rest to its nominators pro rata, rounding dust to the validator);
    /// incentive to the owner's hotkeys is burned; the owner cut is staked to the owner hotkey; emission the epoch could
    /// not pay out is carried to the next one. The emission is the one fixed when the epoch started.
    /// </summary>
    public static async ValueTask LandEpochAsync(ChainPlan plan, EpochOutcome o)
    {
        ushort netuid = o.Start.Netuid;
        var e = plan.Economy(netuid) ?? throw new InvalidOperationException($"subnet {netuid} does not exist");
        ulong raoServer, raoValidator, ownerCut, raoRoot;
        if (e.InFlight is { } f)
        {
            if (f.Index != o.Start.Index) throw new InvalidOperationException($"subnet {netuid}: epoch {f.Index} is in flight, not {o.Start.Index}");
            (raoServer, raoValidator, ownerCut, raoRoot) = (f.Server, f.Validator, f.OwnerCut, f.Root);
            e.InFlight = null;
        }
        else
        {
            (raoServer, raoValidator, ownerCut, raoRoot) = (e.PendingServer, e.PendingValidator, e.PendingOwnerCut, e.PendingRootAlpha);
            e.PendingServer = e.PendingValidator = e.PendingOwnerCut = e.PendingRootAlpha = 0;
        }
        ulong raoEmission = raoServer + raoValidator + raoRoot;

        // Read at once the hotkeys whose dividends are split among nominators (a child's parents too); miners' incentive is credited unread.
        var splits = o.Childkeys.IsDefaultOrEmpty ? null : o.Childkeys.ToDictionary(c => c.Hotkey, StringComparer.Ordinal);
        await plan.PrefetchHotkeysAsync(o.Hotkeys.Where((_, uid) => o.ValidatorEmission[uid] > 0)
            .Concat(splits?.Values.SelectMany(c => c.Parents.Select(p => p.Parent)) ?? []).Distinct(StringComparer.Ordinal));
        var credits = new StakeCredits(netuid);
        ulong server = 0, validator = 0, burned = 0;
        string prefix = $"{netuid}|";
        var nominators = new List<(string Coldkey, ulong Alpha)>();
        var dividends = new List<(string Hotkey, string? Coldkey, ulong Alpha)>();
        for (int uid = 0; uid < o.Hotkeys.Length; uid++)
        {
            string hotkeyAddress = o.Hotkeys[uid], coldkey = o.Coldkeys[uid];
            ulong incentive = o.ServerEmission[uid];
            server += incentive;
            if (coldkey == e.OwnerColdkey) burned += incentive;
            else credits.Add(hotkeyAddress, coldkey, incentive);

            ulong dividend = o.ValidatorEmission[uid];
            if (dividend == 0) continue;
            validator += dividend;
            if (splits?.GetValueOrDefault(hotkeyAddress) is { } split)
            {
                // The child's dividend is shared with its parents first (spec §6), each part then paid as a validator's.
                string? childOwner = (await plan.HotkeyAsync(hotkeyAddress)).Owner ?? coldkey;
                var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var parent in split.Parents) owners[parent.Parent] = (await plan.HotkeyAsync(parent.Parent)).Owner;
                foreach (var (recipient, alpha) in ChildKeys.Distribution(split, dividend, parent => owners[parent] == childOwner))
                    if (alpha > 0) dividends.Add((recipient, recipient == hotkeyAddress ? coldkey : null, alpha));
            }
            else dividends.Add((hotkeyAddress, coldkey, dividend));
        }
        // With root stake among the validators (or root alpha to pay), each dividend splits into an alpha part and a root
        // part (spec §6, calculate_dividend_distribution); without, dividends are paid as the epoch computed them.
        var rootStakes = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (plan.Rules.TaoWeight > 0 && plan.Chain.RootStake > 0)
            foreach (var (hotkey, _, _) in dividends)
                if ((await plan.HotkeyAsync(hotkey)).StakeIn(RootNetwork.Netuid) is var r and > 0) rootStakes[hotkey] = r;
        ulong rootPaid = 0;
        if (raoRoot == 0 && rootStakes.Count == 0)
            foreach (var (hotkey, coldkey, alpha) in dividends) await PayDividendAsync(hotkey, coldkey, alpha);
        else
        {
            validator = 0;
            ulong pendingAlpha = server == 0 ? raoServer + raoValidator : raoValidator; // no incentive: validators get both (distribute_emission)
            var byHotkey = new Dictionary<string, (string? Coldkey, ulong Alpha, ulong Stake)>(StringComparer.Ordinal);
            foreach (var (hotkey, coldkey, alpha) in dividends)
                byHotkey[hotkey] = byHotkey.TryGetValue(hotkey, out var sum) ? (sum.Coldkey ?? coldkey, sum.Alpha + alpha, sum.Stake)
                    : (coldkey, alpha, (await plan.HotkeyAsync(hotkey)).StakeIn(netuid));
            var parts = RootNetwork.DividendDistribution(pendingAlpha, raoRoot, plan.Rules.TaoWeight,
                [.. byHotkey.Select(d => (d.Key, d.Value.Alpha, d.Value.Stake, rootStakes.GetValueOrDefault(d.Key)))]);
            foreach (var (hotkey, alphaPart, rootPart) in parts)
            {
                if (alphaPart > 0) await PayDividendAsync(hotkey, byHotkey[hotkey].Coldkey, alphaPart);
                validator += alphaPart;
                if (rootPart == 0) continue;
                // The validator's take of its root part is staked to it as alpha; the rest accrues to its root stakers.
                var state = await plan.HotkeyAsync(hotkey);
                string owner = state.Owner ?? byHotkey[hotkey].Coldkey ?? throw new InvalidOperationException($"subnet {netuid}: hotkey {hotkey} has no owner");
                ulong take = RootNetwork.Take(rootPart, state.Take);
                credits.Add(hotkey, owner, take);
                if (!await RootNetwork.AccrueAsync(plan, e, hotkey, rootPart - take)) credits.Add(hotkey, owner, rootPart - take);
                rootPaid += rootPart;
            }
        }

        // A validator's dividend: its take to its owner, the rest to its nominators pro rata by alpha, rounding dust to the owner.
        async ValueTask PayDividendAsync(string hotkeyAddress, string? coldkey, ulong dividend)
        {
            var hotkey = await plan.HotkeyAsync(hotkeyAddress);
            string owner = hotkey.Owner ?? coldkey ?? throw new InvalidOperationException($"subnet {netuid}: hotkey {hotkeyAddress} has no owner");
            ulong take = (ulong)((UInt128)dividend * hotkey.Take / 65535);
            ulong rest = dividend - take;
            nominators.Clear();
            foreach (var (key, alpha) in hotkey.Stakes)
                if (key.StartsWith(prefix, StringComparison.Ordinal)) nominators.Add((key[prefix.Length..], alpha));
            nominators.Sort(static (a, b) => string.CompareOrdinal(a.Coldkey, b.Coldkey)); // coldkeys are distinct keys
            UInt128 total = 0;
            foreach (var n in nominators) total += n.Alpha;
            ulong paid = 0;
            if (total > 0)
                foreach (var (nominator, alpha) in nominators)
                {
                    ulong share = (ulong)((UInt128)rest * alpha / total);
                    credits.Add(hotkeyAddress, nominator, share);
                    paid += share;
                }
            credits.Add(hotkeyAddress, owner, take + rest - paid);
        }
        if (server + validator + rootPaid > raoEmission)
            throw new InvalidOperationException($"subnet {netuid} epoch {o.Start.Index} pays {server + validator + rootPaid} rao of {raoEmission}");
        credits.Add(e.OwnerHotkey, e.OwnerColdkey, ownerCut);
        ulong carried = raoEmission - server - validator - rootPaid;

        var neurons = o.Hotkeys.ToHashSet(StringComparer.Ordinal);
        foreach (var (hotkey, change) in credits.Changes())
        {
            if (neurons.Contains(hotkey)) await plan.CreditHotkeyAsync(hotkey, change); // registered: indexed already
            else await plan.HotkeyAsync(hotkey, change);
        }
        var staked = credits.PerHotkey();
        ulong stakedTotal = 0;
        foreach (var (_, alpha) in staked) stakedTotal = checked(stakedTotal + alpha);
        e.AlphaStaked += stakedTotal;
        e.AlphaBurned += burned;
        e.PendingServer += carried;
        plan.Chain.EpochsRun++;
        var summary = new EpochSummary
        {
            Index = o.Start.Index, Block = o.Start.Block, RaoEmission = raoEmission, ServerEmission = server,
            ValidatorEmission = validator, OwnerCut = ownerCut, Burned = burned, Carried = carried, RootEmission = rootPaid,
        };
        await plan.SubnetAsync(netuid, new CommitEpoch
        {
            Index = o.Start.Index,
            Block = o.Start.Block,
            AsOfSeq = o.AsOfSeq,
            StakeWeight = o.StakeWeight,
            Consensus = o.Consensus,
            Incentive = o.Incentive,
            Dividends = o.Dividends,
            ValidatorTrust = o.ValidatorTrust,
            Emission = o.Emission,
            Active = o.Active,
            ValidatorPermit = o.ValidatorPermit,
            StakedInOrder = staked,
            Summary = summary,
            RootStake = o.RootStake.IsDefault ? [] : o.RootStake,
        });
        plan.Emit(new ChainEvent { Kind = EventKinds.EpochCompleted, Netuid = netuid, Number = o.Start.Index, Epoch = summary });
    }
}
