using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bittensor.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bittensor.Cli.Commands;

/// <summary>
/// What <c>bench network</c> runs on: one silo in this process on free loopback ports (in-memory storage, or Azure
/// Table storage on an Azurite started from the repository's <c>node_modules</c>). Disposing stops both.
/// </summary>
internal sealed class NetworkBenchHost : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public; see platform.md).</summary>
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private WebApplication? _silo;
    private Process? _azurite;
    private volatile bool _stopping;

    private NetworkBenchHost(Uri address) => Address = address;

    /// <summary>The silo's REST address (http://127.0.0.1:port).</summary>
    public Uri Address { get; }

    /// <summary>The Azure Table connection string, when the silo stores its state on Azurite.</summary>
    public string? Tables { get; private set; }

    /// <summary>Grain state entities in Azure Table storage: how many, the largest (bytes of data and its row key) and the total.</summary>
    public async Task<(long Entities, long LargestBytes, string? Largest, long TotalBytes)?> EntitySizesAsync(CancellationToken cancellationToken)
    {
        if (Tables is null) return null;
        var table = new Azure.Data.Tables.TableClient(Tables, "OrleansGrainState");
        long count = 0, largest = 0, total = 0;
        string? name = null;
        await foreach (var entity in table.QueryAsync<Azure.Data.Tables.TableEntity>(cancellationToken: cancellationToken))
        {
            long size = 0;
            foreach (var (_, value) in entity)
                size += value switch { byte[] b => b.Length, BinaryData d => d.ToMemory().Length, string t => 2L * t.Length, _ => 8 };
            count++;
            total += size;
            if (size > largest) (largest, name) = (size, $"{entity.PartitionKey}/{entity.RowKey}");
        }
        return (count, largest, name, total);
    }

    /// <summary>The settings the silo runs with (Chain:*, beyond ports and storage).</summary>
    public sealed record Settings(TimeSpan BlockTime, ulong Tempo, int MaxSubnets, ulong MinLockCost, ulong GenesisIssuance, ulong FaucetMax);

    /// <summary>Starts Azurite (for <paramref name="azurite"/>) and the silo; waits until both answer.</summary>
    public static async Task<NetworkBenchHost> StartAsync(Settings settings, bool azurite, TextWriter progress, CancellationToken cancellationToken)
    {
        var host = new NetworkBenchHost(new Uri($"http://127.0.0.1:{FreePort()}"));
        try
        {
            var inv = CultureInfo.InvariantCulture;
            var args = new List<string>
            {
                "--environment", "Development",
                // The dashboard profiles every grain call; it is off in Production, and off here so the figures are the network's.
                "--Orleans:Dashboard=false",
                "--urls", host.Address.ToString().TrimEnd('/'),
                $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}",
                $"--Orleans:ClusterId=bench-{Guid.NewGuid():N}",
                "--Chain:Id=bittensor-bench", "--Chain:Faucet=true",
                // A test network: its owners set tempo, validators and the weights rate limit themselves, at any block.
                "--Chain:OwnerRootParameters=true", "--Chain:AdminFreezeWindow=0", "--Chain:OwnerHyperparameterRateLimitTempos=0", "--Chain:StartSubnetsAtCreation=true",
                // It creates its subnets and serves its axons in a burst: subtensor's network and serving rate limits are off.
                "--Chain:NetworkRateLimit=0", "--Chain:ServingRateLimit=0",
                string.Create(inv, $"--Chain:BlockTime={settings.BlockTime:c}"),
                string.Create(inv, $"--Chain:NewSubnetTempo={settings.Tempo}"),
                string.Create(inv, $"--Chain:MaxSubnets={settings.MaxSubnets}"),
                string.Create(inv, $"--Chain:MinLockCost={settings.MinLockCost}"),
                // The lock cost doubles per subnet created and decays over this many blocks: 1 lets every creation cost the minimum.
                "--Chain:LockReductionInterval=1",
                string.Create(inv, $"--Chain:GenesisIssuance={settings.GenesisIssuance}"),
                string.Create(inv, $"--Chain:FaucetMax={settings.FaucetMax}"),
            };
            if (azurite)
            {
                int tablePort = await host.StartAzuriteAsync(progress, cancellationToken);
                args.Add("--Storage:Kind=AzureTable");
                host.Tables = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};TableEndpoint=http://127.0.0.1:{tablePort.ToString(inv)}/devstoreaccount1;";
                args.Add($"--Storage:ConnectionString={host.Tables}");
            }
            else args.Add("--Storage:Kind=Memory");
            host._silo = SiloApp.Build([.. args], builder =>
            {
                // Logs go to standard error only, so that standard output holds just the result; the noise of stopping is dropped.
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                builder.Services.PostConfigure<LoggerFilterOptions>(o =>
                {
                    o.Rules.Clear();
                    o.Rules.Add(new LoggerFilterRule(null, null, null, (_, _, level) => level >= LogLevel.Warning && !host._stopping));
                    // BENCH_TRACE_SLOW_BLOCKS=1: every block slower than the block time, with where its time went.
                    if (Environment.GetEnvironmentVariable("BENCH_TRACE_SLOW_BLOCKS") == "1")
                        o.Rules.Add(new LoggerFilterRule(null, "Bittensor.Grains.ChainGrain", LogLevel.Debug, null));
                });
            });
            await host._silo.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task<int> StartAzuriteAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        string root = RepositoryRoot() ?? throw new UsageException(
            "bench network: --storage azurite needs Azurite in node_modules/azurite (run npm ci in the repository root)");
        int port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "node_modules/azurite/dist/src/table/main.js", "--inMemoryPersistence", "--disableTelemetry",
                     "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        try
        {
            _azurite = Process.Start(start) ?? throw new UsageException("bench network: could not start node for Azurite");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"bench network: --storage azurite needs node on PATH ({e.Message})");
        }
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        // Drain its output so that it never blocks on a full pipe.
        _azurite.OutputDataReceived += (_, _) => { };
        _azurite.ErrorDataReceived += (_, _) => { };
        _azurite.BeginOutputReadLine();
        _azurite.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_azurite.HasExited) throw new CliFailure($"Azurite exited with code {_azurite.ExitCode} before it listened on port {port}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (SocketException)
            {
                throw new CliFailure($"Azurite did not listen on port {port} within 30 s");
            }
        }
        await progress.WriteLineAsync($"bench network: Azurite listening on 127.0.0.1:{port} ({deadline.Elapsed.TotalSeconds:0.0} s)");
        return port;
    }

    /// <summary>The first folder holding <c>node_modules/azurite</c>, walking up from the current folder and from this assembly's.</summary>
    private static string? RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "node_modules", "azurite"))) return dir.FullName;
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (_silo is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _silo.StopAsync(timeout.Token);
            }
            finally
            {
                await _silo.DisposeAsync();
                _silo = null;
            }
        }
        StopAzurite();
    }

    private void OnProcessExit(object? sender, EventArgs e) => StopAzurite();

    /// <summary>Kills Azurite (idempotent; also when the process exits).</summary>
    private void StopAzurite()
    {
        var azurite = Interlocked.Exchange(ref _azurite, null);
        if (azurite is null) return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (!azurite.HasExited) azurite.Kill(entireProcessTree: true);
            azurite.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        finally
        {
            azurite.Dispose();
        }
    }
}
