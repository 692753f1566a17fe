using System.Diagnostics;
using System.Net.Sockets;

namespace Bittensor.Api.Tests;

/// <summary>
/// A real Azurite table service (installed by <c>npm ci</c> from the repository's package.json), started on a free
/// loopback port for the tests and stopped after them.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;
    private string? _root;

    /// <summary>Azurite's storage arguments: in memory, or a data folder that survives a restart.</summary>
    protected virtual string[] StorageArgs => ["--inMemoryPersistence"];

    /// <summary>Azurite's table port: a free one, chosen again if another process took it before Azurite could.</summary>
    public int Port { get; private set; } = TestChain.FreePort();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public async ValueTask InitializeAsync()
    {
        _root = Repository.Root;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (PortTakenException) when (attempt < 5)
            {
                // Test projects run in parallel and each picks free ports: another process bound this one first.
                if (_process is { HasExited: false } p) p.Kill(entireProcessTree: true);
                Port = TestChain.FreePort();
            }
        }
    }

    private sealed class PortTakenException(string message) : Exception(message);

    /// <summary>Starts Azurite on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        string root = _root!;
        string main = Path.Combine(root, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(main)) throw new InvalidOperationException($"Azurite is not installed at {main}: run 'npm ci' in {root}");
        _process = Process.Start(new ProcessStartInfo("node", [main, .. StorageArgs, "--disableTelemetry", "--silent", "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var process = _process;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(async () =>
        {
            if (process.HasExited) throw new PortTakenException($"Azurite exited with code {process.ExitCode} (port {Port} taken?)");
            try
            {
                // Azurite answers with its Server header: a listener without it is another process on this port.
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/devstoreaccount1/Tables");
                if (!response.Headers.Server.ToString().Contains("Azurite", StringComparison.Ordinal))
                    throw new PortTakenException($"another process answers on port {Port}");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, $"Azurite to listen on port {Port}", TimeSpan.FromSeconds(120)); // node's start-up crawls when the cores are busy
    }

    /// <summary>Stops Azurite gracefully (SIGINT, on which it saves its data folder) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await p.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { p.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
        _process = null;
    }

    public virtual ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Azurite with a data folder, so it can be stopped and restarted with its tables intact.</summary>
public sealed class PersistentAzuriteFixture : AzuriteFixture
{
    private readonly string _data = Directory.CreateTempSubdirectory("azurite-").FullName;

    protected override string[] StorageArgs => ["--location", _data];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
