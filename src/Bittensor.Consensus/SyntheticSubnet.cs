namespace Bittensor.Consensus;

/// <summary>
/// Seeded random subnets for benchmarks, simulations and tests: <c>validators</c> staked UIDs (0..V−1) with
/// permits that weight a <c>density</c> fraction of the other UIDs, and bonds of the same shape.
/// </summary>
public static class SyntheticSubnet
{
    /// <summary>Builds one epoch's parameters and input.</summary>
    /// <param name="uids">n, 1..65535.</param>
    /// <param name="validators">Staked, permitted UIDs (at most n).</param>
    /// <param name="density">Fraction of columns each validator weights, (0, 1].</param>
    /// <param name="seed">Random seed: the same seed gives the same subnet.</param>
    /// <param name="yuma3">Yuma 3 (true, the default for new subnets) or classic bonds.</param>
    public static (EpochParameters Parameters, EpochInput Input) Create(int uids, int validators, double density = 1.0, int seed = 42, bool yuma3 = true)
    {
        if (uids < 1 || uids > YumaEpoch.MaxUids) throw new ArgumentOutOfRangeException(nameof(uids), uids, $"uids must be in 1..{YumaEpoch.MaxUids}");
        if (validators < 0 || validators > uids) throw new ArgumentOutOfRangeException(nameof(validators), validators, "validators must be in 0..uids");
        if (!(density > 0 && density <= 1)) throw new ArgumentOutOfRangeException(nameof(density), density, "density must be in (0, 1]");
        var rng = new Random(seed);
        const ulong block = 100_000;
        var stake = new ulong[uids];
        var permit = new bool[uids];
        var lastUpdate = new ulong[uids];
        var registered = new ulong[uids];
        for (int i = 0; i < uids; i++)
        {
            registered[i] = (ulong)rng.Next(0, 90_000);
            lastUpdate[i] = block - (ulong)rng.Next(0, 200);
            if (i < validators)
            {
                stake[i] = (ulong)rng.NextInt64(1_000_000_000_000, 100_000_000_000_000);
                permit[i] = true;
            }
            else stake[i] = (ulong)rng.NextInt64(0, 1_000_000_000);
        }
        var weights = new SparseMatrix.Builder(uids);
        var bonds = new SparseMatrix.Builder(uids);
        var values = new List<(ushort Col, int Val)>();
        for (int i = 0; i < uids; i++)
        {
            if (i < validators)
            {
                values.Clear();
                int max = 0;
                for (int j = 0; j < uids; j++)
                {
                    if (j == i || (density < 1 && rng.NextDouble() >= density)) continue;
                    int w = rng.Next(0, 65536);
                    values.Add(((ushort)j, w));
                    max = Math.Max(max, w);
                }
                // Max-upscale as set_weights stores them.
                foreach (var (c, w) in values) weights.Add(c, (ushort)(max == 0 ? 0 : Math.Round(w * 65535.0 / max, MidpointRounding.AwayFromZero)));
                foreach (var (c, _) in values) bonds.Add(c, (ushort)rng.Next(0, 65536));
            }
            weights.EndRow();
            bonds.EndRow();
        }
        var parameters = new EpochParameters
        {
            MaxAllowedValidators = (ushort)Math.Min(ushort.MaxValue, Math.Max(1, validators)),
            Yuma3 = yuma3,
            CommitReveal = false,
            RaoEmission = 148_000_000_000,
        };
        var input = new EpochInput
        {
            N = uids,
            Block = block,
            Stake = stake,
            Weights = weights.Build(),
            Bonds = bonds.Build(),
            ValidatorPermit = permit,
            LastUpdate = lastUpdate,
            BlockAtRegistration = registered,
            LastMechanismStepBlock = block - 360,
        };
        return (parameters, input);
    }
}
