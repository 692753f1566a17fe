using System.Globalization;

namespace Bittensor.Cli;

/// <summary>Parsed <c>--name value</c> options and <c>--flag</c>s of one verb; anything unknown is a usage error.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _flags = [];
    private readonly string _verb;

    private CliArgs(string verb) => _verb = verb;

    public static CliArgs Parse(string[] args, string verb, string[] options, string[] flags)
    {
        var parsed = new CliArgs(verb);
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"{verb}: unexpected argument '{a}'");
            string name = a[2..];
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (flags.Contains(name)) { parsed._flags.Add(name); continue; }
            if (!options.Contains(name)) throw new UsageException($"{verb}: unknown option '--{name}'");
            string? value = inline ?? (i + 1 < args.Length ? args[++i] : null);
            if (value is null) throw new UsageException($"{verb}: option '--{name}' needs a value");
            if (!parsed._values.TryAdd(name, value)) throw new UsageException($"{verb}: option '--{name}' given twice");
        }
        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new UsageException($"{_verb}: missing required option '--{name}'");

    public int Int(string name, int fallback, int min, int max)
    {
        string? s = Get(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"{_verb}: '--{name}' must be an integer in {min}..{max}, got '{s}'");
        return v;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        string? s = Get(name);
        if (s is null) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= min && v <= max))
            throw new UsageException($"{_verb}: '--{name}' must be a number in {min}..{max}, got '{s}'");
        return v;
    }

    public ulong U64(string name)
    {
        string s = Require(name);
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw new UsageException($"{_verb}: '--{name}' must be a non-negative integer (rao), got '{s}'");
        return v;
    }
}
