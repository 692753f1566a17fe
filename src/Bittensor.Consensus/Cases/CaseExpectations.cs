using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bittensor.Consensus.Cases;

/// <summary>
/// Checks a case's <c>expect</c>, <c>tolerance</c> and <c>assert</c> entries against its run
/// (schema in tests/vectors/README.md).
/// </summary>
public static partial class CaseExpectations
{
    /// <summary>Every mismatch, as a sentence naming the case, step, field and UID; empty when all hold.</summary>
    public static IReadOnlyList<string> Check(EpochCase epochCase, CaseRun run)
    {
        var failures = new List<string>();
        var steps = epochCase.Element.GetProperty("steps");
        int k = 0;
        foreach (var step in steps.EnumerateArray())
        {
            var r = run.Steps[k].Result;
            string where = $"{epochCase.Name} step {k} (block {run.Steps[k].Block})";
            var tol = step.TryGetProperty("tolerance", out var t) ? t : default;
            if (step.TryGetProperty("expect", out var expect))
                foreach (var field in expect.EnumerateObject())
                    CheckField(where, field.Name, field.Value, Tolerance(tol, field.Name), r, failures);
            if (step.TryGetProperty("assert", out var asserts))
                foreach (var a in asserts.EnumerateArray())
                {
                    string text = a.GetString()!;
                    if (!Evaluate(text, run, k)) failures.Add($"{where}: assertion '{text}' is false");
                }
            k++;
        }
        return failures;
    }

    private static double Tolerance(JsonElement tol, string field) =>
        tol.ValueKind == JsonValueKind.Object && tol.TryGetProperty(field, out var v) ? v.GetDouble() : 0;

    private static void CheckField(string where, string field, JsonElement expected, double tol, EpochResult r, List<string> failures)
    {
        if (field == "bonds")
        {
            foreach (var cell in expected.EnumerateArray())
            {
                int i = cell[0].GetInt32(), j = cell[1].GetInt32();
                double want = cell[2].GetDouble(), got = Bond(r, i, j);
                if (Math.Abs(got - want) > tol) failures.Add($"{where}: bonds[{i}][{j}] = {got}, expected {want} ± {tol}");
            }
            return;
        }
        Func<int, double> get = Accessor(field, r) ?? throw new FormatException($"{where}: unknown expect field '{field}'");
        void Compare(int uid, JsonElement want)
        {
            double w = want.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => want.GetDouble(),
            };
            double g = get(uid);
            if (Math.Abs(g - w) > tol) failures.Add($"{where}: {field}[{uid}] = {g}, expected {w} ± {tol}");
        }
        if (expected.ValueKind == JsonValueKind.Array)
        {
            int uid = 0;
            foreach (var e in expected.EnumerateArray()) Compare(uid++, e);
        }
        else
        {
            foreach (var prop in expected.EnumerateObject()) Compare(int.Parse(prop.Name, CultureInfo.InvariantCulture), prop.Value);
        }
    }

    /// <summary>The value of a named per-UID output as a double (bools as 0/1), or null for an unknown field.</summary>
    public static Func<int, double>? Accessor(string field, EpochResult r) => field switch
    {
        "stake_weight" => i => r.StakeWeight[i],
        "consensus" => i => r.Consensus[i],
        "incentive" => i => r.Incentive[i],
        "dividends" => i => r.Dividends[i],
        "validator_trust" => i => r.ValidatorTrust[i],
        "server_emission" => i => r.ServerEmission[i],
        "validator_emission" => i => r.ValidatorEmission[i],
        "emission" => i => r.Emission[i],
        "active" => i => r.Active[i] ? 1 : 0,
        "validator_permit" => i => r.ValidatorPermit[i] ? 1 : 0,
        "dividends_prop" => i => r.Dividends[i] / 65535.0,
        _ => null,
    };

    /// <summary>The stored bond cell (i, j), 0 when absent.</summary>
    public static double Bond(EpochResult r, int i, int j)
    {
        var cols = r.Bonds.RowColumns(i);
        var vals = r.Bonds.RowValues(i);
        for (int k = 0; k < cols.Length; k++) if (cols[k] == j) return vals[k];
        return 0;
    }

    private static bool Evaluate(string text, CaseRun run, int step)
    {
        var m = AssertPattern().Match(text);
        if (!m.Success) throw new FormatException($"cannot parse assertion '{text}'");
        double lhs = Sum(m.Groups["lhs"].Value, run, step);
        double rhs = Sum(m.Groups["rhs"].Value, run, step);
        double tol = m.Groups["tol"].Success ? double.Parse(m.Groups["tol"].Value, CultureInfo.InvariantCulture) : 0;
        return m.Groups["op"].Value switch
        {
            "==" => Math.Abs(lhs - rhs) <= tol,
            "!=" => Math.Abs(lhs - rhs) > tol,
            "<" => lhs < rhs + tol,
            "<=" => lhs <= rhs + tol,
            ">" => lhs + tol > rhs,
            ">=" => lhs + tol >= rhs,
            _ => throw new FormatException($"unknown operator in '{text}'"),
        };
    }

    private static double Sum(string expr, CaseRun run, int step) =>
        expr.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Sum(t => Term(t, run, step));

    private static double Term(string term, CaseRun run, int step)
    {
        if (double.TryParse(term, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return number;
        var m = TermPattern().Match(term);
        if (!m.Success) throw new FormatException($"cannot parse term '{term}'");
        int s = m.Groups["step"].Success ? int.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture) : step;
        var r = run.Steps[s].Result;
        string field = m.Groups["field"].Value;
        if (m.Groups["sum"].Success)
        {
            var get = Accessor(m.Groups["sumfield"].Value, r) ?? throw new FormatException($"unknown field in '{term}'");
            return Enumerable.Range(0, r.Active.Length).Sum(get);
        }
        int i = int.Parse(m.Groups["i"].Value, CultureInfo.InvariantCulture);
        if (field == "bonds") return Bond(r, i, int.Parse(m.Groups["j"].Value, CultureInfo.InvariantCulture));
        return (Accessor(field, r) ?? throw new FormatException($"unknown field in '{term}'"))(i);
    }

    [GeneratedRegex(@"^\s*(?<lhs>.+?)\s*(?<op>==|!=|<=|>=|<|>)\s*(?<rhs>.+?)(\s*\+-\s*(?<tol>[0-9.eE+-]+))?\s*$")]
    private static partial Regex AssertPattern();

    [GeneratedRegex(@"^(step\[(?<step>\d+)\]\.)?((?<sum>sum)\((?<sumfield>\w+)\)|(?<field>\w+)\[(?<i>\d+)\](\[(?<j>\d+)\])?)$")]
    private static partial Regex TermPattern();
}
