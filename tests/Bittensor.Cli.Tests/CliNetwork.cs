namespace Bittensor.Cli.Tests;

/// <summary>One test host (silo + REST API, stepped chain) shared by a class's tests; each test keeps its own wallets.</summary>
public sealed class CliNetwork : IAsyncDisposable
{
    public SiloFactory Host { get; } = new();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
