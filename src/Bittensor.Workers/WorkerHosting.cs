using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Subnets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bittensor.Workers;

/// <summary>A worker process's settings (section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>"miner" or "validator".</summary>
    public string Role { get; set; } = "miner";

    /// <summary>One worker per profile, e.g. "honest,honest,slow,lazy,copier".</summary>
    public string Profiles { get; set; } = "honest";

    /// <summary>Forecast models, assigned to miners in turn ("ar", "naive", "mlp").</summary>
    public string Models { get; set; } = "ar,mlp,naive";

    /// <summary>The subnet task to work on (the subnet whose <c>task</c> hyperparameter names it).</summary>
    public string Task { get; set; } = "matmul";

    /// <summary>The public development seed: keys derived from it are anyone's, so Production refuses it.</summary>
    public const string DevelopmentSeed = "bittensor-dev";

    /// <summary>Development keys are derived from this seed, the role, the task and the index, so restarts keep their identity.</summary>
    public string KeySeed { get; set; } = DevelopmentSeed;

    /// <summary>Draw working funds from the development faucet.</summary>
    public bool UseFaucet { get; set; } = true;

    /// <summary>TAO a validator stakes.</summary>
    public ulong StakeTao { get; set; } = 100;

    /// <summary>Create a subnet for every built-in task that has none (the demo owner's job; set on one worker).</summary>
    public bool SeedDemo { get; set; }

    /// <summary>Pause between validator rounds.</summary>
    public TimeSpan RoundInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Blocks between a validator's weight updates.</summary>
    public ulong WeightsEveryBlocks { get; set; } = 10;
}

/// <summary>Runs a process's miners or validators against the cluster, retrying while the network starts or fails over.</summary>
public sealed partial class WorkerService(IGrainFactory grains, IOptions<WorkerOptions> options, ILogger<WorkerService> logger) : BackgroundService
{
    private WorkerOptions O => options.Value;

    public static KeyPair DevKey(string seed, string role, string task, int index, string part) =>
        KeyPair.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{role}|{task}|{index}|{part}")));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var backend = Compute.Select(logger);
        var profiles = O.Profiles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var chain = new ChainClient(grains);
        ushort netuid = 0;
        var tasks = new List<Task>();
        var validators = new List<ValidatorWorker>();
        for (int attempt = 0; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (O.SeedDemo) await SeedDemoAsync(chain);
                netuid = await FindSubnetAsync();
                if (netuid == 0) throw new InvalidOperationException($"no subnet runs task '{O.Task}' yet");
                for (int i = 0; i < profiles.Length; i++)
                {
                    var cold = DevKey(O.KeySeed, O.Role, O.Task, i, "cold");
                    var hot = DevKey(O.KeySeed, O.Role, O.Task, i, "hot");
                    string name = $"{O.Role}-{profiles[i]}-{i}";
                    if (O.UseFaucet && (await grains.GetGrain<IAccountGrain>(cold.Address).GetAsync()).Balance < 10 * Tao.Rao)
                        await chain.SubmitAsync(cold, "faucet", new JsonObject { ["amount"] = (O.StakeTao + 50) * Tao.Rao });
                    if (O.Role == "validator")
                    {
                        var v = new ValidatorWorker(grains, cold, hot, netuid, profiles[i], name, logger) { WeightsEveryBlocks = O.WeightsEveryBlocks };
                        var view = await grains.GetGrain<IHotkeyGrain>(hot.Address).GetAsync();
                        await v.RegisterAsync(view.StakeIn(netuid) == 0 ? O.StakeTao : 0);
                        validators.Add(v);
                    }
                    else
                    {
                        var models = O.Models.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                        var m = new MinerWorker(grains, cold, hot, netuid, profiles[i], name, backend, logger, models.Length == 0 ? "ar" : models[i % models.Length]);
                        await m.RegisterAsync();
                        tasks.Add(m.RunAsync(TimeSpan.FromSeconds(5), stoppingToken));
                    }
                    LogStarted(logger, name, hot.Address, netuid);
                }
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWaiting(logger, O.Role, e.Message);
                validators.Clear();
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, 1 + attempt)), stoppingToken);
            }
        }
        while (!stoppingToken.IsCancellationRequested && validators.Count > 0)
        {
            foreach (var v in validators)
            {
                try
                {
                    await v.RoundAsync();
                    await v.MaybeSetWeightsAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogWaiting(logger, O.Role, e.Message);
                }
            }
            await Task.Delay(O.RoundInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        await Task.WhenAll(tasks);
    }

    private async Task<ushort> FindSubnetAsync()
    {
        foreach (ushort n in await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetsAsync())
            if ((await grains.GetGrain<ISubnetGrain>(n).GetInfoAsync())?.Hyperparameters.Task == O.Task) return n;
        return 0;
    }

    /// <summary>The demo owner (a development key) creates a subnet for each built-in task that has none, open to fast weights.</summary>
    private async Task SeedDemoAsync(ChainClient chain)
    {
        var owner = DevKey(O.KeySeed, "owner", "demo", 0, "cold");
        var existing = new HashSet<string>();
        foreach (ushort n in await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetsAsync())
            existing.Add((await grains.GetGrain<ISubnetGrain>(n).GetInfoAsync())?.Hyperparameters.Task ?? "");
        foreach (var task in SubnetTasks.Names.Where(t => t is "matmul" or "forecast" && !existing.Contains(t)))
        {
            var info = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
            if ((await grains.GetGrain<IAccountGrain>(owner.Address).GetAsync()).Balance < info.NetworkLockCost + 10 * Tao.Rao)
                await chain.SubmitAsync(owner, "faucet", new JsonObject { ["amount"] = Math.Min(10_000 * Tao.Rao, info.NetworkLockCost * 2 + 10 * Tao.Rao) });
            var hot = DevKey(O.KeySeed, "owner", task, 0, "hot");
            var created = await chain.SubmitAsync(owner, "register_network", new JsonObject { ["hotkey"] = hot.Address });
            foreach (var (name, value) in new[] { ("task", task), ("weights_rate_limit", "5") })
                await chain.SubmitAsync(owner, "set_hyperparameter", new JsonObject { ["netuid"] = created.Netuid, ["name"] = name, ["value"] = value });
            LogSeeded(logger, task, created.Netuid ?? 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} ({Hotkey}) working on subnet {Netuid}")]
    private static partial void LogStarted(ILogger logger, string name, string hotkey, ushort netuid);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Role}: waiting for the network ({Reason})")]
    private static partial void LogWaiting(ILogger logger, string role, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: created subnet {Netuid} for task {Task}")]
    private static partial void LogSeeded(ILogger logger, string task, ushort netuid);
}

public static class WorkerHostingExtensions
{
    public static IServiceCollection AddBittensorWorkers(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section)
            .Validate<IHostEnvironment>((o, env) => !env.IsProduction() || (o.KeySeed != WorkerOptions.DevelopmentSeed && o.KeySeed.Length >= 16),
                $"Worker:KeySeed derives the workers' keys: in Production set it to a secret of at least 16 characters (the default '{WorkerOptions.DevelopmentSeed}' is public)")
            .ValidateOnStart();
        services.AddHostedService<WorkerService>();
        return services;
    }
}
