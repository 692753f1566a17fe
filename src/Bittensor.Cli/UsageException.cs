namespace Bittensor.Cli;

/// <summary>Bad command-line input or a malformed document: exit code 2 with one line.</summary>
public sealed class UsageException(string message) : Exception(message);
