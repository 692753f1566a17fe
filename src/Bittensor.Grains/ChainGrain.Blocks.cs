using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Consensus.Cases;

namespace Bittensor.Grains;

public sealed partial class ChainGrain
{
    /// <summary>SubnetMovingAlpha (3·10⁻⁶) and EMAPriceHalvingBlocks (201 600) of the moving price (spec §5).</summary>
    private const double MovingAlpha = 3e-6, PriceHalvingBlocks = 201_600;

    /// <summary>
    /// One block (spec §0, §5–§7): mint the block emission for the issuance and split it across subnets by moving
    /// price; with no root network (tao_weight = 0, root proportion = 0) all of a subnet's TAO emission buys alpha for
    /// the protocol; mint alpha_out (18% owner cut, the rest 50/50 miners/validators) into pending; decay burns; update
    /// moving prices; run due epochs (at most MaxEpochsPerBlock, the rest deferred a block) and distribute them.
    /// </summary>
    private async Task ProduceBlockAsync()
    {
        await EnsureAppliedAsync();
        ulong block = St.Block + 1;
        var plan = new ChainPlan(GrainFactory);
        var subnets = new List<SubnetState>();
        foreach (ushort netuid in St.Subnets.Order()) subnets.Add((await plan.SubnetAsync(netuid))!);

        ulong emission = BlockEmission.ForIssuance(St.TotalIssuance);
        var taoShares = SplitByPrice(emission, subnets);
        ulong minted = 0;
        int epochs = 0;
        for (int k = 0; k < subnets.Count; k++)
        {
            var s = subnets[k];
            ulong tao = taoShares[k];
            minted += tao;
            ulong bought = PoolMath.AlphaOut(s.PoolTao, s.PoolAlpha, tao, feeRate: 0);
            ulong alphaOut = BlockEmission.ForIssuance(s.AlphaIssued - s.AlphaBurned);
            ulong ownerCut = (ulong)((UInt128)alphaOut * s.Hyper.SubnetOwnerCut / 65535);
            ulong rest = alphaOut - ownerCut;
            ulong server = rest / 2;
            double price = PoolMath.Price(s.PoolTao + tao, s.PoolAlpha - bought);
            double age = block - Math.Min(block, s.RegisteredAt);
            double a = MovingAlpha * age / (age + PriceHalvingBlocks);
            ulong sinceStep = Math.Min(s.BlocksSinceLastStep + 1, s.Hyper.Tempo + 1);
            await plan.SubnetAsync(s.Netuid, new StepBlock
            {
                Block = block,
                TaoIntoPool = tao,
                AlphaBoughtByProtocol = bought,
                AlphaOut = alphaOut,
                OwnerCut = ownerCut,
                Server = server,
                Validator = rest - server,
                Burn = BurnMath.DecayOneBlock(s.Burn, s.Hyper),
                MovingPrice = a * Math.Min(price, 1.0) + (1 - a) * s.MovingPrice,
                BlocksSinceLastStep = sinceStep,
            });

            if (!EpochSchedule.ShouldRunEpoch(s.Hyper.Tempo, block, s.LastEpochBlock, s.PendingEpochAt, sinceStep)) continue;
            if (epochs >= O.MaxEpochsPerBlock)
            {
                await plan.SubnetAsync(s.Netuid, new ScheduleEpoch(block, Ran: false, PendingEpochAt: block + 1));
                continue;
            }
            await PlanEpochAsync(plan, s, block);
            await plan.SubnetAsync(s.Netuid, new ScheduleEpoch(block, Ran: true, PendingEpochAt: 0));
            epochs++;
        }
        plan.Chain(st =>
        {
            st.Block = block;
            st.TotalIssuance += minted;
        });
        await CommitAsync(plan);
    }

    /// <summary>Shares of the block's TAO by moving price (equal when every price is 0); rounding dust to the first subnet.</summary>
    private static ulong[] SplitByPrice(ulong emission, List<SubnetState> subnets)
    {
        var shares = new ulong[subnets.Count];
        if (subnets.Count == 0) return shares;
        double total = subnets.Sum(s => s.MovingPrice);
        ulong given = 0;
        for (int k = 0; k < subnets.Count; k++)
        {
            double share = total > 0 ? subnets[k].MovingPrice / total : 1.0 / subnets.Count;
            shares[k] = (ulong)Math.Floor(emission * share);
            given += shares[k];
        }
        if (given > emission) throw new InvalidOperationException("TAO emission split exceeds the block emission");
        shares[0] += emission - given;
        return shares;
    }

    /// <summary>
    /// Runs the epoch on the consensus grain for the subnet's current inputs and plans its distribution (spec §6):
    /// miners' server emission and validators' dividends are staked as alpha (the validator's take to its own coldkey,
    /// the rest to its nominators pro rata, rounding dust to the validator); incentive to the owner's hotkeys is burned;
    /// the owner cut is staked to the owner hotkey; emission the epoch could not pay out is carried to the next one.
    /// </summary>
    private async Task PlanEpochAsync(ChainPlan plan, SubnetState s, ulong block)
    {
        var (parameters, input) = EpochInputs(s, block);
        ulong index = s.EpochIndex;
        string caseJson = Json(w => EpochCaseJson.WriteCase(w, $"subnet-{s.Netuid}-epoch-{index}", parameters, input));
        var outcome = await GrainFactory.GetGrain<IConsensusGrain>(0).RunAsync(caseJson);

        var credits = new Dictionary<string, List<StakeDelta>>();
        ulong server = 0, validator = 0, burned = 0;
        for (int uid = 0; uid < s.Neurons.Count; uid++)
        {
            var neuron = s.Neurons[uid];
            ulong incentive = outcome.ServerEmission[uid];
            server += incentive;
            if (neuron.Coldkey == s.OwnerColdkey) burned += incentive;
            else ChainPlan.AddStake(credits, neuron.Hotkey, s.Netuid, neuron.Coldkey, incentive);

            ulong dividend = outcome.ValidatorEmission[uid];
            if (dividend == 0) continue;
            validator += dividend;
            var hotkey = await plan.HotkeyAsync(neuron.Hotkey);
            string owner = hotkey.Owner ?? neuron.Coldkey;
            ulong take = (ulong)((UInt128)dividend * hotkey.Take / 65535);
            ulong rest = dividend - take;
            var nominators = hotkey.Stakes
                .Where(kv => kv.Key.StartsWith($"{s.Netuid}|", StringComparison.Ordinal))
                .Select(kv => (Coldkey: kv.Key[(kv.Key.IndexOf('|') + 1)..], Alpha: kv.Value))
                .OrderBy(e => e.Coldkey, StringComparer.Ordinal).ToList();
            UInt128 total = 0;
            foreach (var e in nominators) total += e.Alpha;
            ulong paid = 0;
            if (total > 0)
                foreach (var (coldkey, alpha) in nominators)
                {
                    ulong share = (ulong)((UInt128)rest * alpha / total);
                    ChainPlan.AddStake(credits, neuron.Hotkey, s.Netuid, coldkey, share);
                    paid += share;
                }
            ChainPlan.AddStake(credits, neuron.Hotkey, s.Netuid, owner, take + rest - paid);
        }
        ulong ownerCut = s.PendingOwnerCut;
        ChainPlan.AddStake(credits, s.OwnerHotkey, s.Netuid, s.OwnerColdkey, ownerCut);
        ulong raoEmission = s.PendingServer + s.PendingValidator;
        ulong carried = raoEmission - server - validator;

        var staked = credits.ToImmutableDictionary(kv => kv.Key, kv => (ulong)kv.Value.Sum(d => d.Alpha));
        foreach (var (hotkey, deltas) in credits) await plan.HotkeyAsync(hotkey, new HotkeyChange { Stakes = ChainPlan.Merge(deltas) });
        var summary = new EpochSummary
        {
            Index = index, Block = block, RaoEmission = raoEmission, ServerEmission = server,
            ValidatorEmission = validator, OwnerCut = ownerCut, Burned = burned, Carried = carried,
        };
        await plan.SubnetAsync(s.Netuid, new ApplyEpoch
        {
            Block = block,
            StakeWeight = outcome.StakeWeight,
            Consensus = outcome.Consensus,
            Incentive = outcome.Incentive,
            Dividends = outcome.Dividends,
            ValidatorTrust = outcome.ValidatorTrust,
            Emission = outcome.Emission,
            Active = outcome.Active,
            ValidatorPermit = outcome.ValidatorPermit,
            BondColumns = outcome.BondColumns,
            BondValues = outcome.BondValues,
            Staked = staked,
            Summary = summary,
        });
        plan.Record(s.Netuid, new EpochRecord(index, block, caseJson, outcome.OutputsJson),
            index >= SubnetLedger.EpochHistory ? index - SubnetLedger.EpochHistory : null);
    }

    /// <summary>The engine's view of a subnet (spec §1): stake = alpha staked on each UID's hotkey (tao_weight = 0).</summary>
    internal static (EpochParameters, EpochInput) EpochInputs(SubnetState s, ulong block)
    {
        var h = s.Hyper;
        int owner = s.UidOf(s.OwnerHotkey);
        var parameters = new EpochParameters
        {
            Tempo = h.Tempo, Kappa = h.Kappa, BondsMovingAverage = h.BondsMovingAverage, BondsPenalty = h.BondsPenalty,
            MaxAllowedValidators = h.MaxAllowedValidators, ActivityCutoffFactorMilli = h.ActivityCutoffFactorMilli,
            Yuma3 = h.Yuma3, LiquidAlpha = h.LiquidAlpha, AlphaLow = h.AlphaLow, AlphaHigh = h.AlphaHigh,
            AlphaSigmoidSteepness = h.AlphaSigmoidSteepness, StakeThreshold = h.StakeThreshold,
            OwnerUid = owner >= 0 ? owner : null, CommitReveal = h.CommitReveal, RaoEmission = s.PendingServer + s.PendingValidator,
        };
        var weights = new SparseMatrix.Builder(s.Neurons.Count);
        var bonds = new SparseMatrix.Builder(s.Neurons.Count);
        foreach (var n in s.Neurons)
        {
            for (int k = 0; k < n.WeightColumns.Length; k++) weights.Add(n.WeightColumns[k], n.WeightValues[k]);
            weights.EndRow();
            for (int k = 0; k < n.BondColumns.Length; k++) bonds.Add(n.BondColumns[k], n.BondValues[k]);
            bonds.EndRow();
        }
        var input = new EpochInput
        {
            N = s.Neurons.Count,
            Block = block,
            Stake = s.Neurons.Select(n => s.HotkeyStake.GetValueOrDefault(n.Hotkey)).ToArray(),
            Weights = weights.Build(),
            Bonds = bonds.Build(),
            ValidatorPermit = s.Neurons.Select(n => n.ValidatorPermit).ToArray(),
            LastUpdate = s.Neurons.Select(n => n.LastUpdate).ToArray(),
            BlockAtRegistration = s.Neurons.Select(n => n.BlockAtRegistration).ToArray(),
            LastMechanismStepBlock = s.LastMechanismStepBlock,
        };
        return (parameters, input);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
