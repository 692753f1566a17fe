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
          bench network --subnets S --uids N --validators V [--storage memory|azurite] [--block-time T] [--seconds D]
                        [--tempo K] [--weights-rate-limit R] [--readers R] [--signers C] [--json]
          wallet create|list|balance|transfer|faucet      [--wallet W] [--hotkey H] [--network URL] [--json]
          subnets list|show|create|register|metagraph|hyperparameters|set
          stake add|remove|list    weights set    axon serve    chain info
        (network verbs talk to --network URL, default http://127.0.0.1:5080; amounts are in TAO)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, HttpMessageHandler? handler = null)
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
                "bench" when args.Length > 1 && args[1] == "network" =>
                    await NetworkBench.RunAsync(CliArgs.Parse(args[2..], "bench network", NetworkBench.Options, ["json"]), stdout, stderr),
                "bench" => throw new UsageException("bench: expected 'bench epoch' or 'bench network'"),
                "wallet" or "subnets" or "stake" or "weights" or "axon" or "chain" when args.Length > 1 && NetworkCommands.Verbs.ContainsKey($"{args[0]} {args[1]}") =>
                    await new NetworkCommands(stdout, handler).RunAsync($"{args[0]} {args[1]}", args[2..]),
                "wallet" or "subnets" or "stake" or "weights" or "axon" or "chain" =>
                    throw new UsageException($"{args[0]}: expected one of: {string.Join(", ", NetworkCommands.Verbs.Keys.Where(k => k.StartsWith(args[0] + " ", StringComparison.Ordinal)).Select(k => k[(args[0].Length + 1)..]))}"),
                _ => throw new UsageException($"unknown verb '{args[0]}'"),
            };
        }
        catch (Exception e) when (e is UsageException or CaseFormatException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (CliFailure e)
        {
            await stdout.WriteLineAsync();
            await stderr.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}
