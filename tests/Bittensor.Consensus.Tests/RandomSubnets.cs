namespace Bittensor.Consensus.Tests;

/// <summary>Seeded random subnets with varied hyperparameters, and multi-epoch evolution of their weights.</summary>
public static class RandomSubnets
{
    public static readonly int[] Sizes = [1, 2, 3, 5, 8, 13, 21, 32, 64, 100, 257];

    /// <summary>A random subnet: shape from <see cref="SyntheticSubnet"/>, hyperparameters drawn by <paramref name="seed"/>.</summary>
    public static (EpochParameters Parameters, EpochInput Input) Create(int n, int seed)
    {
        var rng = new Random(seed);
        int validators = rng.Next(0, n + 1);
        double density = rng.Next(4) == 0 ? 1.0 : 0.05 + 0.95 * rng.NextDouble();
        bool yuma3 = rng.Next(2) == 0;
        var (p, x) = SyntheticSubnet.Create(n, validators, density, seed, yuma3);
        ushort[] penalties = [0, 65535, 32767, (ushort)rng.Next(0, 65536)];
        ulong[] bmas = [900_000, 975_000, (ulong)rng.Next(0, 999_000)];
        p = p with
        {
            Kappa = rng.Next(3) == 0 ? (ushort)rng.Next(1, 65536) : (ushort)32767,
            BondsPenalty = penalties[rng.Next(penalties.Length)],
            BondsMovingAverage = bmas[rng.Next(bmas.Length)],
            LiquidAlpha = yuma3 && rng.Next(2) == 0,
            AlphaLow = 6553,
            AlphaHigh = 19660,
            MaxAllowedValidators = (ushort)rng.Next(1, n + 2),
            OwnerUid = rng.Next(3) == 0 ? rng.Next(0, n) : null,
            StakeThreshold = rng.Next(3) == 0 ? (ulong)rng.NextInt64(0, 10_000_000_000_000) : 0,
            RaoEmission = (ulong)rng.NextInt64(1_000, 200_000_000_000),
            Tempo = 360,
        };
        return (p, x);
    }

    /// <summary>The next epoch's input: the block advances a tempo, some validators re-weight, carried state from <paramref name="previous"/>.</summary>
    public static EpochInput Next(EpochInput x, EpochResult previous, Random rng, ulong tempo)
    {
        ulong block = x.Block + tempo;
        var lastUpdate = (ulong[])x.LastUpdate.Clone();
        var rows = x.Weights.ToRows();
        for (int i = 0; i < x.N; i++)
        {
            if (rows[i].Count == 0 || rng.Next(3) != 0) continue;
            int max = 0;
            var fresh = rows[i].Select(e => (e.Column, Value: rng.Next(0, 65536))).ToList();
            foreach (var e in fresh) max = Math.Max(max, e.Value);
            rows[i] = fresh.Select(e => (e.Column, max == 0 ? 0 : (int)Math.Round(e.Value * 65535.0 / max, MidpointRounding.AwayFromZero))).ToList();
            lastUpdate[i] = block - (ulong)rng.Next(0, 50);
        }
        return new EpochInput
        {
            N = x.N,
            Block = block,
            Stake = x.Stake,
            Weights = SparseMatrix.FromRows(rows.Select(r => (IReadOnlyList<(int, int)>)r).ToList()),
            Bonds = previous.Bonds,
            ValidatorPermit = previous.ValidatorPermit,
            LastUpdate = lastUpdate,
            BlockAtRegistration = x.BlockAtRegistration,
            LastMechanismStepBlock = x.Block,
        };
    }
}
