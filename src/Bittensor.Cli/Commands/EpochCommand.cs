using Bittensor.Consensus.Cases;

namespace Bittensor.Cli.Commands;

/// <summary><c>epoch --cases FILE [--arithmetic exact|fast|naive] [--output FILE]</c>: runs a yuma-epoch-cases/1 document.</summary>
internal static class EpochCommand
{
    public static async Task<int> RunAsync(VerbOptions args, TextWriter stdout)
    {
        string path = args.Require("cases");
        var arithmetic = args.Arithmetic();
        using var doc = Output.ReadJson(path, "epoch");
        var cases = EpochCase.ReadDocument(doc.RootElement);
        var runs = cases.Select(c => EpochCaseRunner.Run(c, arithmetic)).ToList();
        await Output.WriteJsonAsync(args.Get("output"), stdout, w => EpochResultJson.WriteDocument(w, arithmetic, runs));
        return 0;
    }
}
