namespace Bittensor;

/// <summary>The network's storage is unreachable or a write failed; nothing was changed. Retry later (HTTP 503).</summary>
[GenerateSerializer, Alias("Bittensor.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
