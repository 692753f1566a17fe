using System.Diagnostics;
using System.Globalization;
using Bittensor.Consensus;
using Bittensor.Runtime.Simulation;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>sim halving --subnets S --uids N --validators V [--arithmetic exact|fast] [--start-issuance RAO] [--max-blocks B]
/// [--tempo T] [--seed S] [--json]</c>: the runtime in this process (no grains, timers or storage) from genesis to the
/// first halving, every subnet's epochs every tempo. Progress (blocks/s, ETA) goes to standard error; standard output ends
/// with one JSON line <c>{"halving_block","blocks","seconds","epochs","blocks_per_s",…}</c>.
/// </summary>
internal static class SimCommand
{
    public static readonly string[] HalvingOptions = ["subnets", "uids", "validators", "arithmetic", "start-issuance", "max-blocks", "tempo", "seed"];

    /// <summary>Blocks between looks at the clock for progress.</summary>
    private const int ProgressStride = 4096;

    public static async Task<int> HalvingAsync(VerbOptions args, TextWriter stdout, TextWriter stderr)
    {
        var defaults = new HalvingSettings();
        var settings = new HalvingSettings
        {
            Subnets = args.Int("subnets", defaults.Subnets, 1, 128),
            Uids = args.Int("uids", defaults.Uids, 3, 4096),
            Validators = args.Int("validators", Math.Min(defaults.Validators, args.Int("uids", defaults.Uids, 3, 4096) - 2), 1, 4094),
            Arithmetic = args.Arithmetic(),
            StartIssuance = args.OptionalU64("start-issuance"),
            Tempo = (ulong)args.Int("tempo", (int)defaults.Tempo, 1, 50_400),
            Seed = args.Int("seed", defaults.Seed, 0, int.MaxValue),
        };
        ulong maxBlocks = args.OptionalU64("max-blocks") ?? 2 * (HalvingSimulation.FirstHalvingIssuance / Tao.Rao);
        if (settings.Problem() is { } problem) throw new UsageException($"sim halving: {problem}");
        ulong genesis = HalvingSimulation.GenesisBalances(settings);
        if (settings.StartIssuance is ulong start && (start < genesis || start >= HalvingSimulation.FirstHalvingIssuance))
            throw new UsageException($"sim halving: '--start-issuance' must be in {genesis}..{HalvingSimulation.FirstHalvingIssuance - 1} rao (the genesis balances up to the first halving), got {start}");

        var clock = Stopwatch.StartNew();
        var sim = await HalvingSimulation.BuildAsync(settings);
        double setupSeconds = clock.Elapsed.TotalSeconds;
        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sim halving: {settings.Subnets} subnets × {settings.Uids} UIDs ({settings.Validators} validators), {Name(settings.Arithmetic)} epochs; set up at block 0 in {setupSeconds:0.00} s"));

        var chain = sim.Chain;
        TimeSpan lastReport = clock.Elapsed;
        ulong lastBlock = 0;
        ulong? halvingBlock = null;
        while (chain.State.Block < maxBlocks)
        {
            bool halving = sim.HalvingDue;
            await sim.StepAsync();
            if (halving)
            {
                halvingBlock = chain.State.Block;
                break;
            }
            if (chain.State.Block % ProgressStride == 0 && clock.Elapsed - lastReport >= TimeSpan.FromSeconds(2))
            {
                double window = (clock.Elapsed - lastReport).TotalSeconds;
                await stderr.WriteLineAsync(Progress(chain.State.Block, chain.State.TotalIssuance, (chain.State.Block - lastBlock) / window));
                (lastReport, lastBlock) = (clock.Elapsed, chain.State.Block);
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        ulong blocks = chain.State.Block;
        var inv = CultureInfo.InvariantCulture;
        string halvingJson = halvingBlock is ulong h ? h.ToString(inv) : "null";
        if (!args.Flag("json"))
            await stdout.WriteLineAsync(halvingBlock is ulong at
                ? string.Create(inv, $"first halving at block {at}: {blocks} blocks and {chain.State.EpochsRun} epochs in {seconds:0.0} s ({blocks / seconds:0} blocks/s)")
                : $"no halving within {maxBlocks} blocks");
        await stdout.WriteLineAsync(string.Create(inv,
            $"{{\"halving_block\":{halvingJson},\"blocks\":{blocks},\"seconds\":{seconds:0.###},\"epochs\":{chain.State.EpochsRun},\"blocks_per_s\":{blocks / seconds:0.#},\"setup_seconds\":{setupSeconds:0.###},\"arithmetic\":\"{Name(settings.Arithmetic)}\",\"subnets\":{settings.Subnets},\"uids\":{settings.Uids},\"validators\":{settings.Validators},\"epochs_ahead\":{chain.EpochsAhead.Used},\"epochs_ahead_discarded\":{chain.EpochsAhead.Discarded}}}"));
        if (halvingBlock is null)
        {
            await stderr.WriteLineAsync($"error: sim halving: no halving within --max-blocks {maxBlocks}");
            return 1;
        }
        return 0;
    }

    /// <summary>One progress line: block, the rate since the last line and the time left at it (a block mints 1 TAO until the halving).</summary>
    private static string Progress(ulong block, ulong issuance, double rate)
    {
        ulong left = (HalvingSimulation.FirstHalvingIssuance - Math.Min(issuance, HalvingSimulation.FirstHalvingIssuance) + Tao.Rao - 1) / Tao.Rao;
        var eta = TimeSpan.FromSeconds(left / Math.Max(rate, 1e-9));
        return string.Create(CultureInfo.InvariantCulture, $"  block {block:N0}  {rate:N0} blocks/s  {left:N0} blocks to the halving  ETA {eta:hh\\:mm\\:ss}");
    }

    private static string Name(Arithmetic a) => a.ToString().ToLowerInvariant();
}
