using System.CommandLine;
using System.Globalization;
using Bittensor.Consensus;

namespace Bittensor.Cli;

/// <summary>
/// The options of one verb as System.CommandLine parsed them, read with the verb's own rules: ranges, units and the
/// one-line messages (naming the option) that make a bad value exit 2.
/// </summary>
public sealed class VerbOptions(ParseResult parsed, string verb, IReadOnlyDictionary<string, Option> options)
{
    public string Verb => verb;

    public bool Flag(string name) => options.TryGetValue(name, out var o) && o is Option<bool> flag && parsed.GetValue(flag);

    public string? Get(string name) => options.TryGetValue(name, out var o) && o is Option<string> value ? parsed.GetValue(value) : null;

    public string Require(string name) => Get(name) ?? throw new UsageException($"{verb}: missing required option '--{name}'");

    public int Int(string name, int fallback, int min, int max)
    {
        string? s = Get(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"{verb}: '--{name}' must be an integer in {min}..{max}, got '{s}'");
        return v;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        string? s = Get(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= min && v <= max))
            throw new UsageException($"{verb}: '--{name}' must be a number in {min}..{max}, got '{s}'");
        return v;
    }

    public ulong U64(string name) => OptionalU64(name) ?? throw new UsageException($"{verb}: missing required option '--{name}'");

    public ulong? OptionalU64(string name)
    {
        string? s = Get(name);
        if (s is null) return null;
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw new UsageException($"{verb}: '--{name}' must be a non-negative integer (rao), got '{s}'");
        return v;
    }

    /// <summary>The epoch back end of <c>--arithmetic</c> (default exact).</summary>
    public Arithmetic Arithmetic() => Get("arithmetic") switch
    {
        null or "exact" => Consensus.Arithmetic.Exact,
        "fast" => Consensus.Arithmetic.Fast,
        "naive" => Consensus.Arithmetic.Naive,
        var other => throw new UsageException($"{verb}: '--arithmetic' must be exact, fast or naive, got '{other}'"),
    };
}
