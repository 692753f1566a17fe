namespace Bittensor.Cli.Tests;

/// <summary>What one run of the CLI left: its exit code, standard output and standard error.</summary>
public sealed record CliRun(int Code, string Out, string Err);
