using Bittensor.Consensus.Cases;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// Fast-vs-Exact agreement bounds (issue #2): ±2 on every u16 output, ±16 on stored bonds,
/// ±max(4, 5·10⁻⁶·rao_emission) rao on every rao output; booleans equal.
/// </summary>
public sealed class Agreement
{
    public const int U16Bound = 2;
    public const int BondBound = 16;

    public List<string> Violations { get; } = [];
    public int MaxU16 { get; private set; }
    public int MaxBond { get; private set; }
    public double MaxRaoFraction { get; private set; }

    public static ulong RaoBound(ulong rao) => Math.Max(4UL, (ulong)(5e-6 * rao));

    public static Agreement Compare(CaseRun exact, CaseRun fast)
    {
        var a = new Agreement();
        for (int s = 0; s < exact.Steps.Count; s++) a.Add($"{exact.Name} step {s}", exact.Steps[s], fast.Steps[s].Result);
        return a;
    }

    public void Add(string where, StepRun exactStep, EpochResult f)
    {
        var e = exactStep.Result;
        ulong rao = exactStep.Parameters.RaoEmission;
        U16(where, "stake_weight", e.StakeWeight, f.StakeWeight);
        U16(where, "consensus", e.Consensus, f.Consensus);
        U16(where, "incentive", e.Incentive, f.Incentive);
        U16(where, "dividends", e.Dividends, f.Dividends);
        U16(where, "validator_trust", e.ValidatorTrust, f.ValidatorTrust);
        Rao(where, "server_emission", e.ServerEmission, f.ServerEmission, rao);
        Rao(where, "validator_emission", e.ValidatorEmission, f.ValidatorEmission, rao);
        Rao(where, "emission", e.Emission, f.Emission, rao);
        for (int i = 0; i < e.Active.Length; i++)
        {
            if (e.Active[i] != f.Active[i]) Violations.Add($"{where}: active[{i}] differs");
            if (e.ValidatorPermit[i] != f.ValidatorPermit[i]) Violations.Add($"{where}: validator_permit[{i}] differs");
        }
        var eb = Dense(e.Bonds);
        var fb = Dense(f.Bonds);
        foreach (var key in eb.Keys.Union(fb.Keys))
        {
            int d = Math.Abs(eb.GetValueOrDefault(key) - fb.GetValueOrDefault(key));
            MaxBond = Math.Max(MaxBond, d);
            if (d > BondBound) Violations.Add($"{where}: bonds[{key.Item1}][{key.Item2}] exact {eb.GetValueOrDefault(key)} fast {fb.GetValueOrDefault(key)}");
        }
    }

    private void U16(string where, string name, ushort[] e, ushort[] f)
    {
        for (int i = 0; i < e.Length; i++)
        {
            int d = Math.Abs(e[i] - f[i]);
            MaxU16 = Math.Max(MaxU16, d);
            if (d > U16Bound) Violations.Add($"{where}: {name}[{i}] exact {e[i]} fast {f[i]}");
        }
    }

    private void Rao(string where, string name, ulong[] e, ulong[] f, ulong rao)
    {
        ulong bound = RaoBound(rao);
        for (int i = 0; i < e.Length; i++)
        {
            ulong d = e[i] > f[i] ? e[i] - f[i] : f[i] - e[i];
            if (rao > 0) MaxRaoFraction = Math.Max(MaxRaoFraction, (double)d / rao);
            if (d > bound) Violations.Add($"{where}: {name}[{i}] exact {e[i]} fast {f[i]} (bound {bound})");
        }
    }

    private static Dictionary<(int, int), int> Dense(SparseMatrix m)
    {
        var d = new Dictionary<(int, int), int>();
        for (int i = 0; i < m.Rows; i++)
        {
            var c = m.RowColumns(i);
            var v = m.RowValues(i);
            for (int k = 0; k < c.Length; k++) if (v[k] != 0) d[(i, c[k])] = v[k];
        }
        return d;
    }
}
