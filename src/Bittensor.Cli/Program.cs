namespace Bittensor.Cli;

/// <summary>The <c>bittensor</c> command line (see <see cref="CliApp.Usage"/>).</summary>
internal static class EntryPoint
{
    private static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
