namespace Bittensor.Cli;

/// <summary>The <c>bittensor</c> command line (<c>bittensor --help</c>, <c>bittensor VERB --help</c>).</summary>
internal static class EntryPoint
{
    private static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliHost.ForProcess());
}
