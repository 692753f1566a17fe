namespace Bittensor.Consensus;

/// <summary>
/// An immutable sparse u16 matrix in compressed-row form, rows kept exactly as stored on chain
/// (submission order, stored zeros included). Used for weights and bonds.
/// </summary>
public sealed class SparseMatrix
{
    private readonly int[] _rowStart;
    private readonly ushort[] _columns;
    private readonly ushort[] _values;

    private SparseMatrix(int[] rowStart, ushort[] columns, ushort[] values)
    {
        _rowStart = rowStart;
        _columns = columns;
        _values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows => _rowStart.Length - 1;

    /// <summary>Number of stored entries.</summary>
    public int Count => _columns.Length;

    /// <summary>Column indices of row <paramref name="row"/>, in stored order.</summary>
    public ReadOnlySpan<ushort> RowColumns(int row) => _columns.AsSpan(_rowStart[row], _rowStart[row + 1] - _rowStart[row]);

    /// <summary>Values of row <paramref name="row"/>, in stored order.</summary>
    public ReadOnlySpan<ushort> RowValues(int row) => _values.AsSpan(_rowStart[row], _rowStart[row + 1] - _rowStart[row]);

    /// <summary>All column indices, row after row.</summary>
    public ReadOnlySpan<ushort> AllColumns => _columns;

    /// <summary>All values, row after row.</summary>
    public ReadOnlySpan<ushort> AllValues => _values;

    /// <summary>Row offsets into <see cref="AllColumns"/> (length <see cref="Rows"/> + 1).</summary>
    public ReadOnlySpan<int> RowStarts => _rowStart;

    /// <summary>Wraps arrays without copying (the caller gives up ownership); lengths are trusted.</summary>
    internal static SparseMatrix FromArrays(int[] rowStart, ushort[] columns, ushort[] values) => new(rowStart, columns, values);

    /// <summary>
    /// Wraps compressed-row arrays without copying (the caller gives up ownership) after checking their shape: row
    /// starts from 0, non-decreasing, ending at the entry count; as many values as columns.
    /// </summary>
    public static SparseMatrix FromCsr(int[] rowStart, ushort[] columns, ushort[] values)
    {
        ArgumentNullException.ThrowIfNull(rowStart);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        if (columns.Length != values.Length) throw new ArgumentException($"{columns.Length} columns but {values.Length} values", nameof(values));
        if (rowStart.Length == 0 || rowStart[0] != 0 || rowStart[^1] != columns.Length)
            throw new ArgumentException("row starts must begin at 0 and end at the entry count", nameof(rowStart));
        for (int i = 1; i < rowStart.Length; i++)
            if (rowStart[i] < rowStart[i - 1]) throw new ArgumentException($"row start {i} decreases", nameof(rowStart));
        return new SparseMatrix(rowStart, columns, values);
    }

    /// <summary>A matrix with <paramref name="rows"/> empty rows.</summary>
    public static SparseMatrix Empty(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return new SparseMatrix(new int[rows + 1], [], []);
    }

    /// <summary>Builds a matrix from rows of (column, value) pairs; throws if a column or value is outside u16.</summary>
    public static SparseMatrix FromRows(IReadOnlyList<IReadOnlyList<(int Column, int Value)>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new Builder(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            foreach (var (c, v) in rows[i] ?? [])
            {
                if ((uint)c > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(rows), $"row {i}: column {c} is outside 0..65535");
                if ((uint)v > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(rows), $"row {i}: value {v} is outside 0..65535");
                builder.Add((ushort)c, (ushort)v);
            }
            builder.EndRow();
        }
        return builder.Build();
    }

    /// <summary>The stored rows as (column, value) lists.</summary>
    public List<(int Column, int Value)>[] ToRows()
    {
        var rows = new List<(int, int)>[Rows];
        for (int i = 0; i < Rows; i++)
        {
            var cols = RowColumns(i);
            var vals = RowValues(i);
            rows[i] = new List<(int, int)>(cols.Length);
            for (int k = 0; k < cols.Length; k++) rows[i].Add((cols[k], vals[k]));
        }
        return rows;
    }

    /// <summary>Appends rows one entry at a time.</summary>
    public sealed class Builder
    {
        private readonly List<int> _starts;
        private readonly List<ushort> _cols = [];
        private readonly List<ushort> _vals = [];

        /// <summary>Creates a builder expecting about <paramref name="rows"/> rows.</summary>
        public Builder(int rows = 0)
        {
            _starts = new List<int>(rows + 1) { 0 };
        }

        /// <summary>Adds an entry to the current row.</summary>
        public void Add(ushort column, ushort value)
        {
            _cols.Add(column);
            _vals.Add(value);
        }

        /// <summary>Closes the current row.</summary>
        public void EndRow() => _starts.Add(_cols.Count);

        /// <summary>The matrix built so far.</summary>
        public SparseMatrix Build() => new([.. _starts], [.. _cols], [.. _vals]);
    }
}
