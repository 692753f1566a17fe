namespace Bittensor.Consensus.Tests;

/// <summary>Bad input gets an <see cref="ArgumentException"/> naming the argument, never a wrong answer or an IndexOutOfRange.</summary>
public sealed class InputValidationTests
{
    private static EpochInput Valid(int n = 3) => new()
    {
        N = n,
        Block = 10,
        Stake = Enumerable.Repeat(1UL, n).ToArray(),
        Weights = SparseMatrix.Empty(n),
        Bonds = SparseMatrix.Empty(n),
        ValidatorPermit = new bool[n],
        LastUpdate = new ulong[n],
        BlockAtRegistration = new ulong[n],
    };

    public static TheoryData<string, Func<EpochInput, EpochInput>> Broken() => new()
    {
        { "stake", x => new EpochInput { N = x.N, Block = x.Block, Stake = [1, 2], Weights = x.Weights, Bonds = x.Bonds, ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration } },
        { "validator_permit", x => new EpochInput { N = x.N, Block = x.Block, Stake = x.Stake, Weights = x.Weights, Bonds = x.Bonds, ValidatorPermit = new bool[5], LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration } },
        { "block_at_registration", x => new EpochInput { N = x.N, Block = x.Block, Stake = x.Stake, Weights = x.Weights, Bonds = x.Bonds, ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = [] } },
        { "weights", x => new EpochInput { N = x.N, Block = x.Block, Stake = x.Stake, Weights = SparseMatrix.Empty(2), Bonds = x.Bonds, ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration } },
        { "bonds", x => new EpochInput { N = x.N, Block = x.Block, Stake = x.Stake, Weights = x.Weights, Bonds = SparseMatrix.Empty(4), ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration } },
        { "commit_blocks", x => new EpochInput { N = x.N, Block = x.Block, Stake = x.Stake, Weights = x.Weights, Bonds = x.Bonds, ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration, CommitBlocks = [1] } },
        { "stake", x => new EpochInput { N = x.N, Block = x.Block, Stake = [ulong.MaxValue, ulong.MaxValue, 1], Weights = x.Weights, Bonds = x.Bonds, ValidatorPermit = x.ValidatorPermit, LastUpdate = x.LastUpdate, BlockAtRegistration = x.BlockAtRegistration } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void MalformedInput_IsRejectedNamingTheArgument(string argument, Func<EpochInput, EpochInput> breakIt)
    {
        foreach (var a in Enum.GetValues<Arithmetic>())
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => YumaEpoch.Run(new EpochParameters(), breakIt(Valid()), a));
            Assert.Equal(argument, e.ParamName);
        }
    }

    [Fact]
    public void ZeroUids_IsRejected()
    {
        var x = new EpochInput { N = 0, Block = 1, Stake = [], Weights = SparseMatrix.Empty(0), Bonds = SparseMatrix.Empty(0), ValidatorPermit = [], LastUpdate = [], BlockAtRegistration = [] };
        var e = Assert.ThrowsAny<ArgumentException>(() => YumaEpoch.Run(new EpochParameters(), x));
        Assert.Contains("n must be", e.Message);
    }

    [Fact]
    public void OwnerUidOutOfRange_IsRejected()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => YumaEpoch.Run(new EpochParameters { OwnerUid = 3 }, Valid()));
        Assert.Equal("owner_uid", e.ParamName);
    }

    [Fact]
    public void SparseMatrix_RejectsColumnsAndValuesOutsideU16()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseMatrix.FromRows([[(70_000, 1)]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseMatrix.FromRows([[(1, -1)]]));
    }

    [Fact]
    public void ColumnsBeyondN_AreIgnoredAsOnChain()
    {
        var x = Valid();
        var withExtra = new EpochInput
        {
            N = 3, Block = 10, Stake = x.Stake, Bonds = x.Bonds, ValidatorPermit = [true, true, true], LastUpdate = [10, 10, 10], BlockAtRegistration = x.BlockAtRegistration,
            Weights = SparseMatrix.FromRows([[(1, 65535), (9, 65535)], [(2, 65535)], []]),
        };
        var plain = new EpochInput
        {
            N = 3, Block = 10, Stake = x.Stake, Bonds = x.Bonds, ValidatorPermit = [true, true, true], LastUpdate = [10, 10, 10], BlockAtRegistration = x.BlockAtRegistration,
            Weights = SparseMatrix.FromRows([[(1, 65535)], [(2, 65535)], []]),
        };
        Assert.Equal(YumaEpoch.Run(new EpochParameters(), plain).Incentive, YumaEpoch.Run(new EpochParameters(), withExtra).Incentive);
    }

    [Fact]
    public void RandomGarbage_NeverThrowsAnythingButArgumentException()
    {
        var rng = new Random(3);
        for (int t = 0; t < 500; t++)
        {
            int n = rng.Next(0, 6);
            int Len() => Math.Max(0, n + rng.Next(-1, 2));
            var rows = Enumerable.Range(0, Len()).Select(_ => (IReadOnlyList<(int, int)>)Enumerable.Range(0, rng.Next(0, 4)).Select(_ => (rng.Next(0, 8), rng.Next(0, 65536))).ToList()).ToList();
            var x = new EpochInput
            {
                N = n, Block = (ulong)rng.Next(0, 100),
                Stake = Enumerable.Range(0, Len()).Select(_ => (ulong)rng.Next(0, 1000)).ToArray(),
                Weights = SparseMatrix.FromRows(rows), Bonds = SparseMatrix.FromRows(rows),
                ValidatorPermit = Enumerable.Range(0, Len()).Select(_ => rng.Next(2) == 0).ToArray(),
                LastUpdate = Enumerable.Range(0, Len()).Select(_ => (ulong)rng.Next(0, 100)).ToArray(),
                BlockAtRegistration = Enumerable.Range(0, Len()).Select(_ => (ulong)rng.Next(0, 100)).ToArray(),
            };
            var p = new EpochParameters { OwnerUid = rng.Next(3) == 0 ? rng.Next(-1, 7) : null, Yuma3 = rng.Next(2) == 0, LiquidAlpha = rng.Next(2) == 0 };
            foreach (var a in Enum.GetValues<Arithmetic>())
            {
                try { YumaEpoch.Run(p, x, a); }
                catch (ArgumentException) { }
            }
        }
    }
}
