namespace Bittensor.Consensus.Tests;

/// <summary>Invariants that hold for any input, on seeded random subnets of many sizes.</summary>
public sealed class EpochPropertyTests
{
    public static TheoryData<int, int, Arithmetic> Subnets()
    {
        var data = new TheoryData<int, int, Arithmetic>();
        int seed = 1000;
        foreach (int n in RandomSubnets.Sizes)
            for (int k = 0; k < 4; k++, seed++)
                foreach (var a in new[] { Arithmetic.Exact, Arithmetic.Fast })
                    data.Add(n, seed, a);
        return data;
    }

    [Theory]
    [MemberData(nameof(Subnets))]
    public void Emission_IsNeverCreated_AndAtMostRoundedAway(int n, int seed, Arithmetic arithmetic)
    {
        var (p, x) = RandomSubnets.Create(n, seed);
        var r = YumaEpoch.Run(p, x, arithmetic);
        ulong rao = p.RaoEmission;
        UInt128 paid = 0, combined = 0;
        for (int i = 0; i < n; i++)
        {
            paid += (UInt128)r.ServerEmission[i] + r.ValidatorEmission[i];
            combined += r.Emission[i];
        }
        Assert.True(paid <= rao, $"server + validator emission {paid} exceeds rao_emission {rao}");
        Assert.True(combined <= rao, $"emission {combined} exceeds rao_emission {rao}");
        bool anyIncentive = r.Incentive.Any(v => v > 0);
        int owner = p.OwnerUid ?? -1;
        bool anyStake = x.Stake.Where((s, i) => i == owner || s >= p.StakeThreshold).Any(s => s > 0);
        if (anyIncentive || anyStake)
        {
            // Each UID loses at most 1 rao to flooring plus its I32F32 truncation (≤ rao·2^−32) per output vector.
            ulong slack = (ulong)n * (1 + rao / 4_294_967_296 + 1);
            ulong exactSlack = arithmetic == Arithmetic.Exact ? slack : slack + Agreement.RaoBound(rao) * (ulong)n;
            Assert.True(rao - combined <= exactSlack, $"emission falls short by {rao - combined} rao (n = {n})");
            if (anyIncentive) Assert.True(rao - paid <= 2 * exactSlack, $"server + validator emission falls short by {rao - paid} rao");
        }
    }

    [Theory]
    [MemberData(nameof(Subnets))]
    public void Incentive_SumsToOne_WhenAnyoneEarns(int n, int seed, Arithmetic arithmetic)
    {
        var (p, x) = RandomSubnets.Create(n, seed);
        var r = YumaEpoch.Run(p, x, arithmetic);
        int sum = r.Incentive.Sum(v => v);
        if (sum > 0) Assert.InRange(sum, 65535 - n - 1, 65535);
        int dividends = r.Dividends.Sum(v => v);
        if (dividends > 0) Assert.InRange(dividends, 65535 - n - 1, 65535);
        Assert.True(r.StakeWeight.Sum(v => v) <= 65535);
    }

    [Theory]
    [MemberData(nameof(Subnets))]
    public void Permits_GoToTheTopStakes_AndOnlyPermitHoldersKeepBonds(int n, int seed, Arithmetic arithmetic)
    {
        var (p, x) = RandomSubnets.Create(n, seed);
        var r = YumaEpoch.Run(p, x, arithmetic);
        int owner = p.OwnerUid ?? -1;
        int permitted = r.ValidatorPermit.Count(b => b);
        Assert.True(permitted <= Math.Max((int)p.MaxAllowedValidators, 0) + (owner >= 0 ? 1 : 0));
        ulong Effective(int i) => i != owner && x.Stake[i] < p.StakeThreshold ? 0 : x.Stake[i];
        for (int i = 0; i < n; i++)
        {
            if (i == owner) continue;
            for (int j = 0; j < n; j++)
                if (j != owner && r.ValidatorPermit[i] && !r.ValidatorPermit[j] && Effective(j) > 0)
                    Assert.True(Effective(i) >= Effective(j), $"uid {i} holds a permit with less stake than uid {j}");
            if (!r.ValidatorPermit[i]) Assert.Equal(0, r.Bonds.RowColumns(i).Length);
        }
    }

    [Fact]
    public void Exact_IsDeterministic()
    {
        var (p, x) = RandomSubnets.Create(64, 77);
        var a = YumaEpoch.Run(p, x);
        var b = YumaEpoch.Run(p, x);
        Assert.Equal(a.Emission, b.Emission);
        Assert.Equal(a.Bonds.AllValues.ToArray(), b.Bonds.AllValues.ToArray());
    }
}
