using System.CommandLine;
using System.CommandLine.Help;
using Bittensor.Cli.Commands;
using Bittensor.Consensus.Cases;

namespace Bittensor.Cli;

/// <summary>The command-line tool's entry: parsing (System.CommandLine) and the exit-code contract (0 ok, 1 failure, 2 bad input).</summary>
public static class CliApp
{
    /// <summary>Runs with captured output: plain tables, no prompts, no spinner (tests, tools).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null) =>
        RunAsync(args, CliHost.Captured(stdout, stderr, handler));

    public static async Task<int> RunAsync(string[] args, CliHost host)
    {
        try
        {
            if (args.FirstOrDefault(a => a == "--password" || a.StartsWith("--password=", StringComparison.Ordinal)) is not null)
                throw new UsageException("'--password' is not accepted: a password on the command line shows in shell history and process lists; " +
                    "set BITTENSOR_PASSWORD or answer the prompt");
            var parsed = CliCommands.Build(host).Parse(args);
            if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
                throw new UsageException(ErrorOf(parsed));
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is UsageException or CaseFormatException or IOException or UnauthorizedAccessException)
        {
            await host.Error.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (CliFailure e)
        {
            await host.Out.WriteLineAsync();
            await host.Error.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>The first parse error as one line naming the verb; under a group, the verbs it has.</summary>
    private static string ErrorOf(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        string path = CliCommands.PathOf(command);
        if (command is RootCommand) return parsed.Errors[0].Message.Replace("Unrecognized command or argument", "unknown verb", StringComparison.Ordinal);
        if (command.Subcommands.Count > 0) return $"{path}: expected one of: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        return $"{path}: {parsed.Errors[0].Message}";
    }
}
