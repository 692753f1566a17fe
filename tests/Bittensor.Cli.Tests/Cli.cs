using Spectre.Console;

namespace Bittensor.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output and a given environment (never the process's), optionally with a terminal.</summary>
public static class Cli
{
    public static async Task<CliRun> RunAsync(string[] args, HttpMessageHandler? handler = null,
        IReadOnlyDictionary<string, string>? environment = null, IAnsiConsole? terminal = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var host = new CliHost
        {
            Out = stdout,
            Error = stderr,
            Tables = CliHost.TablesOn(stdout, terminal: false),
            Terminal = terminal,
            Environment = name => environment?.GetValueOrDefault(name),
            Handler = handler,
        };
        int code = await CliApp.RunAsync(args, host);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}
