namespace Bittensor;

/// <summary>The network's rule for an account or hotkey key string (signatures prove SS58 keys where they are needed).</summary>
public static class Addresses
{
    /// <summary>1–64 ASCII letters, digits, '-', '_' or '.' (every SS58 address qualifies).</summary>
    public static bool IsWellFormed(string? address) =>
        !string.IsNullOrEmpty(address) && address.Length <= 64 && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
