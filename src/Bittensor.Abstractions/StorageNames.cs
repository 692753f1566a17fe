namespace Bittensor;

/// <summary>Names of the grain storage providers (the one place they are spelled).</summary>
public static class StorageNames
{
    /// <summary>All chain state: accounts, hotkeys, subnets, the chain clock, epoch history.</summary>
    public const string Chain = "chain";
}
