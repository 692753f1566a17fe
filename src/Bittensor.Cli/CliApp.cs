using Bittensor.Cli.Commands;
using Bittensor.Consensus.Cases;

namespace Bittensor.Cli;

/// <summary>The command-line tool's entry: verb dispatch and the exit-code contract (0 ok, 1 failure, 2 bad input).</summary>
public static class CliApp
{
    public const string Usage = """
        usage: bittensor <verb> [options]
          epoch --cases FILE [--arithmetic exact|fast|naive] [--output FILE]
          block-emission --issuance RAO | --cases FILE [--output FILE]
          bench epoch --uids N --validators V [--density D] [--seconds S] [--json]
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                await stdout.WriteLineAsync(Usage);
                return args.Length == 0 ? 2 : 0;
            }
            return args[0] switch
            {
                "epoch" => await EpochCommand.RunAsync(CliArgs.Parse(args[1..], "epoch", ["cases", "arithmetic", "output"], []), stdout),
                "block-emission" => await BlockEmissionCommand.RunAsync(CliArgs.Parse(args[1..], "block-emission", ["issuance", "cases", "output"], []), stdout),
                "bench" when args.Length > 1 && args[1] == "epoch" =>
                    await BenchCommand.RunAsync(CliArgs.Parse(args[2..], "bench epoch", ["uids", "validators", "density", "seconds", "seed"], ["json"]), stdout),
                "bench" => throw new UsageException("bench: expected 'bench epoch'"),
                _ => throw new UsageException($"unknown verb '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is UsageException or CaseFormatException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
    }
}
