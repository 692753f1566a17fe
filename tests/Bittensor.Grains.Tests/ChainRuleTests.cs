using System.Collections.Immutable;

namespace Bittensor.Grains.Tests;

/// <summary>The chain's pure rules: pool swaps, lock cost, burn, set_weights storage and checks, pruning.</summary>
public sealed class ChainRuleTests
{
    [Fact]
    public void Pool_ConstantProductSwapsFloorAndKeepTheFee()
    {
        // 100 TAO / 100 alpha, buy with 10 TAO: fee = floor(10e9·33/65535), alpha out = floor(x·Δ/(y+Δ)).
        ulong fee = 10 * Tao.Rao * 33 / 65535;
        ulong net = 10 * Tao.Rao - fee;
        ulong expected = (ulong)((UInt128)(100 * Tao.Rao) * net / (100 * Tao.Rao + net));
        Assert.Equal(expected, PoolMath.AlphaOut(100 * Tao.Rao, 100 * Tao.Rao, 10 * Tao.Rao));
        Assert.Equal(9_090_909_090UL, PoolMath.AlphaOut(100 * Tao.Rao, 100 * Tao.Rao, 10 * Tao.Rao, feeRate: 0));
        // Buying then selling back never returns more than was paid.
        ulong alpha = PoolMath.AlphaOut(100 * Tao.Rao, 100 * Tao.Rao, 10 * Tao.Rao);
        ulong back = PoolMath.TaoOut(110 * Tao.Rao, 100 * Tao.Rao - alpha, alpha);
        Assert.True(back < 10 * Tao.Rao);
        Assert.Equal(1_000_000_000UL, PoolMath.PriceRao(5 * Tao.Rao, 5 * Tao.Rao));
    }

    [Fact]
    public void LockCost_DoublesPerCreation_AndDecaysLinearly()
    {
        var o = new ChainRules { MinLockCost = 100 * Tao.Rao, LockReductionInterval = 1000 };
        Assert.Equal(100 * Tao.Rao, LockCost.At(5, 0, 0, o));
        Assert.Equal(200 * Tao.Rao, LockCost.At(50, 100 * Tao.Rao, 50, o));
        Assert.Equal(150 * Tao.Rao, LockCost.At(550, 100 * Tao.Rao, 50, o));
        Assert.Equal(100 * Tao.Rao, LockCost.At(5000, 100 * Tao.Rao, 50, o)); // never below the minimum
    }

    [Fact]
    public void Burn_HalvesOver360Blocks_RisesOnRegistration_StaysInBounds()
    {
        var h = new SubnetHyperparameters();
        ulong burn = 10 * Tao.Rao;
        for (int i = 0; i < 360; i++) burn = BurnMath.DecayOneBlock(burn, h);
        Assert.InRange(burn, 4_999_000_000UL, 5_001_000_000UL);
        Assert.Equal(12_600_000_000UL, BurnMath.AfterRegistration(10 * Tao.Rao, h));
        Assert.Equal(h.MaxBurn, BurnMath.AfterRegistration(h.MaxBurn, h));
        Assert.Equal(h.MinBurn, BurnMath.DecayOneBlock(h.MinBurn, h));
    }

    [Theory]
    [InlineData(new ushort[] { 1, 2, 3 }, new ushort[] { 21845, 43690, 65535 })]
    [InlineData(new ushort[] { 0, 0 }, new ushort[] { 0, 0 })]
    // Above 32768 the chain multiplies by the truncated ratio 65535/max: 20000·1.638374999… rounds to 32767, not 32768.
    [InlineData(new ushort[] { 40000, 20000, 1 }, new ushort[] { 65535, 32767, 2 })]
    [InlineData(new ushort[] { 65535, 0, 32767 }, new ushort[] { 65535, 0, 32767 })]
    public void SetWeights_StoresMaxUpscaledValues(ushort[] submitted, ushort[] stored) =>
        Assert.Equal(stored, WeightMath.MaxUpscale(submitted));

    private static SubnetState Subnet(int n, ulong block = 1000)
    {
        var s = new SubnetState { Exists = true, Netuid = 1, OwnerColdkey = "owner", OwnerHotkey = "h0" };
        for (int i = 0; i < n; i++)
            s.Neurons.Add(new Neuron { Hotkey = $"h{i}", Coldkey = i == 0 ? "owner" : $"c{i}", BlockAtRegistration = 0, LastUpdate = block - 10 });
        return s;
    }

    [Fact]
    public void WeightRules_ReportEveryBrokenRule_InTheChainsOrder()
    {
        var s = Subnet(3);
        s.Hyper = s.Hyper with { StakeThreshold = 1_000, CommitRevealWeightsEnabled = true, MinAllowedWeights = 2 };
        var w = new SetWeights { Signer = "h1", Netuid = 1, Uids = [1, 1, 9, 2], Weights = [1, 2, 3] };
        var codes = SetWeightsCall.Rules(s, w, 1000).Select(e => e.Code).ToList();
        // Commit-reveal refuses set_weights before any other rule (the call's dispatch checks it first).
        Assert.Equal(["CommitRevealEnabled", "WeightVecLengthMismatch", "TooManyUids", "NotEnoughStakeToSetWeights", "NoValidatorPermit", "DuplicateUids", "UidNotFound"], codes);
        // A reveal is checked by the same rules, less that refusal (and with no rate limit: the commit was rate-limited).
        Assert.DoesNotContain("CommitRevealEnabled", SetWeightsCall.Rules(s, w, 1000, reveal: true).Select(e => e.Code));
    }

    [Fact]
    public void WeightRules_ExemptTheOwnerAndSelfWeights()
    {
        var s = Subnet(3);
        s.Hyper = s.Hyper with { StakeThreshold = 1_000, WeightsRateLimit = 0 };
        Assert.Empty(SetWeightsCall.Rules(s, new SetWeights { Signer = "h0", Netuid = 1, Uids = [1, 2], Weights = [1, 2] }, 1000));
        var self = SetWeightsCall.Rules(s, new SetWeights { Signer = "h2", Netuid = 1, Uids = [2], Weights = [5] }, 1000);
        Assert.Equal(["NotEnoughStakeToSetWeights"], self.Select(e => e.Code));
    }

    [Fact]
    public void Pruning_TakesTheLowestEmissionNonImmuneUid_AndNeverTheOwners()
    {
        var s = Subnet(14, block: 10_000);
        s.Hyper = s.Hyper with { ImmunityPeriod = 100 };
        for (int i = 0; i < 14; i++) s.Neurons[i].Emission = (ulong)(1000 - i);
        s.Neurons[0].Emission = 0; // the owner's uid is protected even with the lowest emission
        s.Neurons[13].BlockAtRegistration = 9_990; // immune
        Assert.Equal(12, BurnedRegisterCall.NeuronToPrune(s, 10_000));
        s.Neurons[5].Emission = 987; // tie with uid 12: earlier registration, then lower uid
        s.Neurons[12].BlockAtRegistration = 50;
        Assert.Equal(5, BurnedRegisterCall.NeuronToPrune(s, 10_000));
    }

    [Fact]
    public void Pruning_UsesTheImmuneSet_WhenTooFewUidsAreNonImmune()
    {
        var s = Subnet(4, block: 10_000);
        s.Hyper = s.Hyper with { ImmunityPeriod = 100 };
        s.Neurons[1].BlockAtRegistration = 9_995;
        s.Neurons[1].Emission = 50;
        s.Neurons[2].BlockAtRegistration = 9_990;
        s.Neurons[2].Emission = 40;
        s.Neurons[3].Emission = 1; // non-immune, but only 1 ≤ MinNonImmuneUids non-immune UIDs exist
        Assert.Equal(2, BurnedRegisterCall.NeuronToPrune(s, 10_000));
    }

    [Fact]
    public void Hyperparameters_ValidateTheirRules()
    {
        var h = new SubnetHyperparameters();
        Assert.Equal(720UL, h.With("tempo", "720").Updated!.Tempo);
        Assert.Contains("360..50400", h.With("tempo", "10").Error);
        Assert.Contains("unknown hyperparameter", h.With("nope", "1").Error);
        Assert.NotNull(h.With("alpha_low", "1000").Error);
        Assert.True(h.With("liquid_alpha", "true").Updated!.LiquidAlpha);
        Assert.True(h.With("commit_reveal_weights_enabled", "true").Updated!.CommitRevealWeightsEnabled);
        Assert.Equal(100UL, h.With("commit_reveal_period", "100").Updated!.CommitRevealPeriod);
        Assert.Contains("1..100", h.With("commit_reveal_period", "0").Error);
        Assert.Contains("1..100", h.With("commit_reveal_period", "101").Error);
    }
}
