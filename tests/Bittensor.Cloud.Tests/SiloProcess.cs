using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bittensor.Testing;

namespace Bittensor.Cloud.Tests;

/// <summary>
/// A silo as a real process (<c>dotnet Bittensor.Silo.dll</c>, the build of this configuration) on its own loopback address,
/// configured by environment as a deployment would; its output is kept for the failure message.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private SiloProcess(string address, int httpPort, Process process)
    {
        Address = address;
        Url = $"http://{address}:{httpPort}";
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The advertised (and bound) loopback address, e.g. 127.0.0.2.</summary>
    public string Address { get; }

    /// <summary>The REST API's base URL.</summary>
    public string Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the silo wrote.</summary>
    public string Log
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>Starts a silo on <paramref name="address"/> with free silo, gateway and HTTP ports and <paramref name="settings"/> (configuration keys).</summary>
    public static SiloProcess Start(string address, IReadOnlyDictionary<string, string?> settings)
    {
        var ip = IPAddress.Parse(address);
        int http = FreePort(ip);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [SiloAssembly()])
        {
            WorkingDirectory = Path.GetDirectoryName(SiloAssembly())!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var env = new Dictionary<string, string?>(settings)
        {
            ["ASPNETCORE_URLS"] = $"http://{address}:{http}",
            ["Orleans:AdvertisedIPAddress"] = address,
            ["Orleans:SiloPort"] = FreePort(ip).ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort(ip).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in env) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return new SiloProcess(address, http, Process.Start(start)!);
    }

    /// <summary>Waits until the REST API answers and the silo's Orleans side serves the chain.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"silo {Address} exited ({_process.ExitCode}):\n{Log}");
            try
            {
                if ((await http.GetAsync($"{Url}/api/chain")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"silo {Address} not ready in {timeout}:\n{Log}");
            await Task.Delay(200);
        }
    }

    /// <summary><c>kill -9</c>: the process dies at once, without leaving the cluster.</summary>
    public void Kill()
    {
        _process.Kill(); // SIGKILL on Unix
        _process.WaitForExit();
    }

    /// <summary><c>SIGTERM</c>: the silo shuts down gracefully (leaves the cluster, hands its grains over); waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The silo built alongside these tests (same configuration).</summary>
    public static string SiloAssembly()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string path = Path.Combine(Repository.Root, "src", "Bittensor.Silo", "bin", configuration, "net10.0", "Bittensor.Silo.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"the silo is not built at {path}");
    }

    private static int FreePort(IPAddress address)
    {
        using var l = new TcpListener(address, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 200) _log.Dequeue();
        }
    }
}
