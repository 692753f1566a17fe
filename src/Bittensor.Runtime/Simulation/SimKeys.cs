using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bittensor.Keys;

namespace Bittensor.Runtime.Simulation;

/// <summary>
/// The Ed25519 keys of a simulation's agents, derived from the run's seed and each key's label (the Ed25519 seed is
/// SHA-256 of <c>bittensor-sim/{seed}/{label}</c>): their addresses are real SS58 addresses, the same in every run with
/// that seed, so whoever has the seed can sign for an agent, e.g. to drive the live network through the same calls.
/// </summary>
public sealed class SimKeys(int seed)
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    public int Seed => seed;

    /// <summary>The address of the key labelled <paramref name="label"/> (e.g. <c>sim0-v1-2-hot</c>).</summary>
    public string Address(string label)
    {
        using var key = KeyPair.FromSeed(SeedOf(label));
        _labels[key.Address] = label;
        return key.Address;
    }

    /// <summary>The key pair of an address this set derived.</summary>
    /// <exception cref="KeyNotFoundException">No key of this set has the address.</exception>
    public KeyPair Pair(string address) =>
        _labels.TryGetValue(address, out string? label) ? KeyPair.FromSeed(SeedOf(label))
            : throw new KeyNotFoundException($"{address} is not a key of this simulation (seed {seed})");

    private byte[] SeedOf(string label) => SHA256.HashData(Encoding.UTF8.GetBytes($"bittensor-sim/{seed.ToString(CultureInfo.InvariantCulture)}/{label}"));
}
