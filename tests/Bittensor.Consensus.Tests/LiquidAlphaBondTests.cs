namespace Bittensor.Consensus.Tests;

/// <summary>
/// Yuma 3 with liquid alpha keeps a bond cell only where the new bond-weight row has an entry (<c>mat_ema_alpha_sparse</c>,
/// spec §3.7): when consensus moves away from a miner, a validator that stopped updating loses its bond to it at once.
/// </summary>
public sealed class LiquidAlphaBondTests(ITestOutputHelper output)
{
    private const int N = 5;
    private const int Stale = 0;
    private const int Abandoned = 3;

    public static TheoryData<Arithmetic, bool> Cases() => new()
    {
        { Arithmetic.Fast, true },
        { Arithmetic.Fast, false },
        { Arithmetic.Naive, true },
        { Arithmetic.Naive, false },
    };

    /// <summary>
    /// Validators 0, 1, 2 weight miners 3 and 4 for three epochs; then 1 and 2 (the majority) move all weight to
    /// miner 4 — with an explicit zero for miner 3, or by leaving it out — while 0 stops updating and keeps its old row.
    /// Its clipped weight to 3 exceeds a zero consensus and is dropped, so the chain stores no bond (0, 3).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void StaleValidatorBond_IsDropped_WhenConsensusLeavesItsMiner(Arithmetic arithmetic, bool explicitZero)
    {
        var p = new EpochParameters { Yuma3 = true, LiquidAlpha = true, CommitReveal = false, Tempo = 360 };
        IReadOnlyList<(int, int)> both = [(3, 65535), (4, 65535)];
        IReadOnlyList<(int, int)> away = explicitZero ? [(3, 0), (4, 65535)] : [(4, 65535)];
        SparseMatrix exactBonds = SparseMatrix.Empty(N), denseBonds = exactBonds;
        bool[] exactPermits = [true, true, true, false, false], densePermits = exactPermits;
        var lastUpdate = new ulong[N];
        var agreement = new Agreement();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            ulong block = 1_000 + p.Tempo * (ulong)epoch;
            bool moved = epoch >= 3;
            lastUpdate[1] = lastUpdate[2] = block - 1;
            if (!moved) lastUpdate[Stale] = block - 1;
            var weights = SparseMatrix.FromRows([both, moved ? away : both, moved ? away : both, [], []]);
            EpochInput Input(SparseMatrix bonds, bool[] permits) => new()
            {
                N = N,
                Block = block,
                Stake = [1_000_000_000_000, 3_000_000_000_000, 3_000_000_000_000, 0, 0],
                Weights = weights,
                Bonds = bonds,
                ValidatorPermit = permits,
                LastUpdate = (ulong[])lastUpdate.Clone(),
                BlockAtRegistration = new ulong[N],
                LastMechanismStepBlock = epoch == 0 ? 0 : block - p.Tempo,
            };
            var exactInput = Input(exactBonds, exactPermits);
            var exact = YumaEpoch.Run(p, exactInput, Arithmetic.Exact);
            var dense = YumaEpoch.Run(p, Input(denseBonds, densePermits), arithmetic);
            int exactCell = Bond(exact.Bonds, Stale, Abandoned), denseCell = Bond(dense.Bonds, Stale, Abandoned);
            output.WriteLine($"epoch {epoch}: bond ({Stale},{Abandoned}) exact {exactCell}, {arithmetic} {denseCell}");
            if (moved)
            {
                Assert.Equal(0, exactCell);
                Assert.Equal(0, denseCell);
            }
            else Assert.True(exactCell > 0, $"epoch {epoch}: the stale validator holds no bond to miner {Abandoned} yet");
            agreement.Add($"{arithmetic} epoch {epoch}", new Cases.StepRun(block, p, exactInput, exact), dense);
            (exactBonds, exactPermits) = (exact.Bonds, exact.ValidatorPermit);
            (denseBonds, densePermits) = (dense.Bonds, dense.ValidatorPermit);
        }
        Assert.True(agreement.Violations.Count == 0, string.Join("\n", agreement.Violations));
    }

    private static int Bond(SparseMatrix bonds, int row, int column)
    {
        var columns = bonds.RowColumns(row);
        int k = columns.IndexOf((ushort)column);
        return k < 0 ? 0 : bonds.RowValues(row)[k];
    }
}
