using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bittensor.Consensus;
using Bittensor.Runtime.Simulation;
using Bittensor.Testing;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The in-memory chain's results are pinned: a 4-subnet <c>sim halving</c> (1,200 blocks at the default tempo: three epochs, the
/// later two on weights; 600 blocks at tempo 20: many epochs, weight sets and deferred epochs) and a 600-block <c>sim run</c> of two subnets (liquid alpha, commit-reveal, a copier, a late
/// miner group, an owner's change, a whale staking and moving its stake) end, with Exact and with Fast, in the digests recorded before the runtime was made
/// faster (the state hash, every subnet's staked-hotkey index and every epoch's outputs and bonds in the order they
/// landed). A speed-up of the block path that changed any result fails here.
/// </summary>
public sealed class SimulationDigestTests
{
    [Theory]
    [InlineData(Arithmetic.Exact, 360UL, 256, 64, 12, 1200, "d556fc262512dd57ce3e99064f88bf614f04fb1250baa5b5ea037a5851d2a580")]
    [InlineData(Arithmetic.Fast, 360UL, 256, 64, 12, 1200, "0415ccb27fac026576f25b691059a834e7adb28610adb54466aa3d57972f4418")]
    [InlineData(Arithmetic.Exact, 20UL, 64, 16, 2, 600, "edcac2efbd8c0f82f0a44a03bd2138ed7b2cfd9895cf1010a261de1c778ffc2e")]
    [InlineData(Arithmetic.Fast, 20UL, 64, 16, 2, 600, "96603f6be92461fdc7257863c2ab58c0ad7c61be4e00e17d48532c5b0a793c94")]
    public async Task HalvingSimulation_600Blocks_EndsInThePinnedDigest(Arithmetic arithmetic, ulong tempo, int uids, int validators, int refresh, int blocks, string expected)
    {
        var settings = new HalvingSettings { Subnets = 4, Uids = uids, Validators = validators, Tempo = tempo, WeightRefreshTempos = refresh, Arithmetic = arithmetic };
        var sim = await HalvingSimulation.BuildAsync(settings);
        using var epochs = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sim.Chain.EpochRan = (request, result) => Record(epochs, request, result);
        for (int b = 0; b < blocks; b++) await sim.StepAsync();
        Assert.True(sim.Chain.Conserved());
        Assert.True(sim.Chain.EpochsAhead.Used > 0, "no epoch was computed ahead"); // the digest covers results computed ahead
        Assert.Equal(expected, Digest(sim.Chain, epochs));
    }

    private static readonly string ScenarioText = TestScenarios.TwoSubnets("digest", 600);

    [Theory]
    [InlineData(Arithmetic.Exact, "e842cabb3ed9bf12c16adb25f0bf63433a944cfb5301f0a087fb9e9efbe286de")]
    [InlineData(Arithmetic.Fast, "ef8ea7b3526c4fea372644801f2123e91ff5058ffe76e858d1e1f809bad19bd6")]
    public async Task ScenarioRun_600Blocks_EndsInThePinnedDigest(Arithmetic arithmetic, string expected)
    {
        using var doc = JsonDocument.Parse(ScenarioText);
        var run = await ScenarioRun.BuildAsync(Scenario.Read(doc.RootElement), arithmetic);
        using var epochs = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        run.Chain.EpochRan = (request, result) => Record(epochs, request, result);
        await run.RunAsync();
        Assert.True(run.Chain.Conserved());
        Assert.Equal(expected, Digest(run.Chain, epochs));
    }

    private static void Record(IncrementalHash hash, EpochRequest request, EpochResult r)
    {
        var text = new StringBuilder().Append(request.Start.Netuid).Append('/').Append(request.Start.Index).Append('@').Append(request.Start.Block)
            .Append('|').AppendJoin(',', request.Stake).Append('|').AppendJoin(',', r.StakeWeight).Append('|').AppendJoin(',', r.Consensus)
            .Append('|').AppendJoin(',', r.Incentive).Append('|').AppendJoin(',', r.Dividends).Append('|').AppendJoin(',', r.ValidatorTrust)
            .Append('|').AppendJoin(',', r.ValidatorPermit).Append('|').AppendJoin(',', r.Active).Append('|').AppendJoin(',', r.ServerEmission)
            .Append('|').AppendJoin(',', r.ValidatorEmission).Append('|').AppendJoin(',', r.Emission);
        for (int i = 0; i < r.Bonds.Rows; i++)
            text.Append("|b").AppendJoin(',', r.Bonds.RowColumns(i).ToArray()).Append(':').AppendJoin(',', r.Bonds.RowValues(i).ToArray());
        hash.AppendData(Encoding.UTF8.GetBytes(text.Append('\n').ToString()));
    }

    private static string Digest(InMemoryChain chain, IncrementalHash epochs)
    {
        var text = new StringBuilder(chain.StateHash()).Append('\n');
        foreach (var netuid in chain.State.Subnets.Keys.Order())
            foreach (var (hotkey, alpha) in chain.Subnet(netuid)!.StakedHotkeys.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                text.Append(netuid).Append('|').Append(hotkey).Append('=').Append(alpha).Append('\n');
        text.Append(Convert.ToHexStringLower(epochs.GetHashAndReset()));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
