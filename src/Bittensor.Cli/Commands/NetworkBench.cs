using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>bench network --subnets S --uids N --validators V [--storage memory|azurite] [--block-time T] [--seconds D]
/// [--tempo K] [--json]</c>: starts a silo in this process (and Azurite for <c>azurite</c>), builds S subnets of N UIDs
/// with V staked validators each through the REST API with signed transactions, then for D seconds lets every validator
/// set weights on every UID of its subnet as often as the rate limit allows while reader loops hammer <c>/health</c>,
/// <c>/api/chain</c> and metagraphs; prints the block rate, transaction rate, read rates and the audit.
/// </summary>
internal static class NetworkBench
{
    public static readonly string[] Options =
        ["subnets", "uids", "validators", "storage", "block-time", "seconds", "warmup", "tempo", "weights-rate-limit", "readers", "signers"];

    private const ulong Rao = TaoAmount.Rao;

    /// <summary>Every subnet's lock (its pool's depth, in TAO and alpha): deep enough that validators' stakes barely move the price.</summary>
    private const ulong LockRao = 10_000 * Rao;

    /// <summary>Each validator's stake, far above what a miner earns in a run, so the V validators hold the V permits.</summary>
    private const ulong StakeRao = 100 * Rao;

    /// <summary>The registration burn, after the owner sets max_burn = min_burn (the first registration may still burn 1 TAO).</summary>
    private const ulong BurnRao = 500_000;

    private const string Verb = "bench network";

    /// <summary>The parameters of one run.</summary>
    private sealed record Parameters(int Subnets, int Uids, int Validators, string Storage, TimeSpan BlockTime, double Seconds, double Warmup,
        ulong Tempo, ulong RateLimit, int Readers, int Signers, bool Json)
    {
        public static Parameters From(VerbOptions args)
        {
            int subnets = args.Int("subnets", 0, 1, 128);
            if (subnets == 0) throw new UsageException($"{Verb}: missing required option '--subnets' (1..128)");
            int uids = args.Int("uids", 0, 2, 4096);
            if (uids == 0) throw new UsageException($"{Verb}: missing required option '--uids' (2..4096)");
            int validators = args.Int("validators", 0, 1, uids);
            if (validators == 0) throw new UsageException($"{Verb}: missing required option '--validators' (1..{uids})");
            string storage = args.Get("storage") ?? "memory";
            if (storage is not ("memory" or "azurite")) throw new UsageException($"{Verb}: '--storage' must be memory or azurite, got '{storage}'");
            var blockTime = TimeSpan.FromMilliseconds(100);
            if (args.Get("block-time") is { } bt && (!TimeSpan.TryParse(bt, CultureInfo.InvariantCulture, out blockTime)
                    || blockTime < TimeSpan.FromMilliseconds(10) || blockTime > TimeSpan.FromMinutes(1)))
                throw new UsageException($"{Verb}: '--block-time' must be a time span in 00:00:00.010..00:01:00, got '{bt}'");
            double seconds = args.Double("seconds", 10, 1, 3600);
            // The load runs this long before the window opens: the first round of set_weights (every validator at once) and
            // the JIT's tiering are behind it when measuring starts.
            double warmup = args.Double("warmup", Math.Min(10, seconds / 2), 0, 600);
            // By default one epoch per block on average across the subnets, well under the chain's per-block epoch limit (2 by default).
            ulong tempo = (ulong)args.Int("tempo", Math.Max(10, subnets), 1, 50_400);
            ulong rateLimit = (ulong)args.Int("weights-rate-limit", (int)tempo, 0, 50_400);
            int readers = args.Int("readers", 2, 1, 64);
            int signers = args.Int("signers", 32, 1, 256);
            var p = new Parameters(subnets, uids, validators, storage, blockTime, seconds, warmup, tempo, rateLimit, readers, signers, args.Flag("json"));
            if (p.GenesisIssuance >= 20_000_000 * Rao)
                throw new UsageException($"{Verb}: '--subnets' × '--validators' needs more TAO than the supply allows (at most about 20M TAO: {LockRao / Rao} per subnet, {StakeRao / Rao} per validator)");
            return p;
        }

        public int Registrations => Subnets * (Uids - 1);

        public ulong OwnerFunds => LockRao + (ulong)Validators * StakeRao + 10 * Rao;

        public ulong RegistrarFunds => (ulong)((Registrations + Signers - 1) / Signers + 10) * Rao;

        public ulong GenesisIssuance => (ulong)Subnets * OwnerFunds + (ulong)Signers * RegistrarFunds + 1_000 * Rao;
    }

    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout, TextWriter stderr)
    {
        var p = Parameters.From(args);
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(p, stdout, stderr, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            throw new CliFailure($"{Verb}: interrupted");
        }
        catch (NetworkException e)
        {
            throw new CliFailure($"{Verb}: {e.Message}");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static async Task<int> RunAsync(Parameters p, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if ((ulong)p.Subnets > 2 * p.Tempo)
            await stderr.WriteLineAsync($"{Verb}: warning: {p.Subnets} subnets at tempo {p.Tempo} need more than 2 epochs a block; some subnets' epochs will lag");
        var settings = new NetworkBenchHost.Settings(p.BlockTime, p.Tempo, p.Subnets, LockRao, p.GenesisIssuance,
            Math.Max(p.OwnerFunds, p.RegistrarFunds));
        await using var host = await NetworkBenchHost.StartAsync(settings, p.Storage == "azurite", stderr, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 4096 })
        {
            BaseAddress = host.Address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var client = new NetworkClient(http);
        var chain = new BenchChain(client);

        await stderr.WriteLineAsync($"{Verb}: silo at {host.Address}");
        var clock = new ChainClock();

        var setup = Stopwatch.StartNew();
        using var network = await BenchNetwork.SetUpAsync(client, chain, p.Subnets, p.Uids, p.Validators, p.Signers,
            new BenchNetwork.Economics(p.OwnerFunds, p.RegistrarFunds, StakeRao, BurnRao), p.RateLimit, p.BlockTime, stderr, cancellationToken);
        double setupSeconds = setup.Elapsed.TotalSeconds;

        // The idle silo: /health with every reader loop on it, after the set-up (warm) and before any load.
        await stderr.WriteLineAsync($"{Verb}: measuring idle /health");
        await ReadLoops.RunAsync(http, clock, 3 * p.Readers, 0, 0, TimeSpan.FromSeconds(1), cancellationToken);
        var idle = await ReadLoops.RunAsync(http, clock, 3 * p.Readers, 0, 0, TimeSpan.FromSeconds(3), cancellationToken);
        await stderr.WriteLineAsync($"{Verb}: set up in {setupSeconds:0.0} s; warming up for {p.Warmup:0.#} s, then measuring for {p.Seconds:0.#} s");

        var window = await MeasureAsync(p, http, client, network, clock, cancellationToken);
        if (window.Tx.FirstRejection is { } rejection) await stderr.WriteLineAsync($"{Verb}: {window.Tx.Rejected} set_weights refused, first: {rejection}");
        bool auditOk = (await client.GetAsync("/api/audit", cancellationToken)).GetProperty("ok").GetBoolean();
        var entities = await host.EntitySizesAsync(cancellationToken);
        await WriteAsync(p, stdout, setupSeconds, idle.Health / idle.Seconds, window, auditOk, entities);
        return 0;
    }

    /// <summary>What the timed window measured.</summary>
    private sealed record Window(double Seconds, ulong Blocks, long? Epochs, double? StepP50, double? StepP99, double? OnTime,
        ValidatorLoops.Counts Tx, ReadLoops.Rates Reads);

    private static async Task<Window> MeasureAsync(Parameters p, HttpClient http, NetworkClient client, BenchNetwork network, ChainClock clock,
        CancellationToken cancellationToken)
    {
        // Reads use as many loops as the idle /health measure did (3 × readers), all on one route at a time.
        int loops = 3 * p.Readers;
        if (p.Warmup > 0)
        {
            var warmup = TimeSpan.FromSeconds(p.Warmup);
            await Task.WhenAll(ValidatorLoops.RunAsync(network, clock, p.RateLimit, warmup, cancellationToken),
                ReadLoops.RotatingAsync(http, loops, network.Netuids, warmup, cancellationToken),
                ReadLoops.ClockAsync(http, clock, p.BlockTime, warmup, cancellationToken));
        }
        var (block0, stats0, epochs0) = await SnapshotAsync(http, client, cancellationToken);
        clock.Observe(block0);
        var clockTime = Stopwatch.StartNew();
        var duration = TimeSpan.FromSeconds(p.Seconds);
        var validators = ValidatorLoops.RunAsync(network, clock, p.RateLimit, duration, cancellationToken);
        var reads = ReadLoops.RotatingAsync(http, loops, network.Netuids, duration, cancellationToken);
        await ReadLoops.ClockAsync(http, clock, p.BlockTime, duration, cancellationToken);
        var tx = await validators;
        var readCounts = await reads;
        var (block1, stats1, epochs1) = await SnapshotAsync(http, client, cancellationToken);
        double seconds = clockTime.Elapsed.TotalSeconds;

        // The server's epoch counter when it has one; else the subnets' epoch indices, which count the same epochs.
        long? epochs = Number(stats1, "epochs") - Number(stats0, "epochs") is double e ? (long)e : epochs1 - epochs0;
        double? due = Number(stats1, "blocksDue") - Number(stats0, "blocksDue"), onTime = Number(stats1, "blocksOnTime") - Number(stats0, "blocksOnTime");
        return new Window(seconds, block1 - block0, epochs, Number(stats1, "blockStepMsP50"), Number(stats1, "blockStepMsP99"),
            due > 0 ? onTime / due : null, tx, readCounts);
    }

    /// <summary>The number at <paramref name="path"/> in <paramref name="json"/>, or null where anything along it is missing.</summary>
    private static double? Number(JsonElement? json, params string[] path)
    {
        if (json is not { } e) return null;
        foreach (string name in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
    }

    /// <summary>The block, the server's chain statistics (null while <c>/api/chain/stats</c> answers 404) and Σ epoch indices of the subnets.</summary>
    private static async Task<(ulong Block, JsonElement? Stats, long Epochs)> SnapshotAsync(HttpClient http, NetworkClient client, CancellationToken cancellationToken)
    {
        ulong block = (await client.GetAsync("/api/chain", cancellationToken)).GetProperty("block").GetUInt64();
        JsonElement? stats = null;
        using (var response = await http.GetAsync("/api/chain/stats", cancellationToken))
        {
            if (response.IsSuccessStatusCode) stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        }
        long epochs = 0;
        foreach (var subnet in (await client.GetAsync("/api/subnets", cancellationToken)).EnumerateArray())
            epochs += subnet.GetProperty("epochIndex").GetInt64();
        return (block, stats, epochs);
    }

    private static async Task WriteAsync(Parameters p, TextWriter stdout, double setupSeconds, double idleHealth, Window w, bool auditOk,
        (long Entities, long LargestBytes, string? Largest, long TotalBytes)? entities)
    {
        double PerSecond(long count, double seconds) => Math.Round(count / seconds, 1);
        double TxPerSecond(long count) => PerSecond(count, w.Tx.Seconds);
        double blocksPerSecond = Math.Round(w.Blocks / w.Seconds, 2);
        var result = new JsonObject
        {
            ["subnets"] = p.Subnets,
            ["uids"] = p.Uids,
            ["validators"] = p.Validators,
            ["storage"] = p.Storage,
            ["block_time_ms"] = p.BlockTime.TotalMilliseconds,
            ["tempo"] = p.Tempo,
            ["weights_rate_limit"] = p.RateLimit,
            ["seconds"] = Math.Round(w.Seconds, 2),
            ["readers"] = p.Readers,
            ["cpus"] = Environment.ProcessorCount,
            ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
            ["setup_s"] = Math.Round(setupSeconds, 1),
            ["blocks"] = w.Blocks,
            ["blocks_per_s"] = blocksPerSecond,
            ["block_step_ms"] = w.StepP50 is null ? null : new JsonObject { ["p50"] = w.StepP50, ["p99"] = w.StepP99 },
            ["epochs"] = w.Epochs,
            ["blocks_on_time"] = w.OnTime,
            ["tx_per_s"] = TxPerSecond(w.Tx.Accepted),
            ["tx_accepted"] = w.Tx.Accepted,
            ["tx_rate_limited"] = w.Tx.RateLimited,
            ["tx_rejected"] = w.Tx.Rejected,
            ["reads_per_s"] = new JsonObject
            {
                ["health"] = Math.Round(w.Reads.Health, 1),
                ["chain"] = Math.Round(w.Reads.Chain, 1),
                ["metagraph"] = Math.Round(w.Reads.Metagraph, 1),
            },
            ["reads_vs_idle_health"] = new JsonObject
            {
                ["chain"] = Math.Round(w.Reads.Chain / idleHealth, 3),
                ["metagraph"] = Math.Round(w.Reads.Metagraph / idleHealth, 3),
            },
            ["read_loops"] = 3 * p.Readers,
            ["warmup_s"] = p.Warmup,
            ["read_errors"] = w.Reads.Errors,
            ["idle_health_per_s"] = Math.Round(idleHealth, 1),
            ["audit_ok"] = auditOk,
        };
        if (entities is { } e)
            result["storage_entities"] = new JsonObject
            {
                ["count"] = e.Entities, ["largest_bytes"] = e.LargestBytes, ["largest"] = e.Largest, ["total_mb"] = Math.Round(e.TotalBytes / 1048576.0, 1),
            };
        if (p.Json)
        {
            await stdout.WriteLineAsync(result.ToJsonString());
            return;
        }
        string Optional(double? v, string format) => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        await stdout.WriteLineAsync($"bench network: {p.Subnets} subnets × {p.Uids} UIDs × {p.Validators} validators, {p.Storage}, " +
            $"{p.BlockTime.TotalMilliseconds:0.#} ms blocks, tempo {p.Tempo}, {w.Seconds:0.0} s (setup {setupSeconds:0.0} s)");
        await stdout.WriteLineAsync($"  blocks      {w.Blocks} ({blocksPerSecond:0.##}/s), step p50/p99 {Optional(w.StepP50, "0.##")}/{Optional(w.StepP99, "0.##")} ms, " +
            $"on time {Optional(w.OnTime, "0.###")}, epochs {Optional(w.Epochs, "0")}");
        await stdout.WriteLineAsync($"  set_weights {w.Tx.Accepted} accepted ({TxPerSecond(w.Tx.Accepted)}/s), {w.Tx.RateLimited} rate-limited, {w.Tx.Rejected} rejected");
        await stdout.WriteLineAsync($"  reads/s     /health {w.Reads.Health:0.#}, /api/chain {w.Reads.Chain:0.#}, metagraph {w.Reads.Metagraph:0.#}" +
            $" (idle /health {idleHealth:0.#}; {w.Reads.Errors} errors)");
        await stdout.WriteLineAsync($"  audit       {(auditOk ? "ok" : "FAILED")}");
    }
}
