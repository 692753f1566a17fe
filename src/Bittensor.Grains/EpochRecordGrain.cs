using System.IO.Compression;
using System.Text;
using Bittensor.Grains.Storage;

namespace Bittensor.Grains;

/// <summary>A recorded epoch as stored: JSON texts compressed.</summary>
[GenerateSerializer, Alias("Bittensor.Grains.StoredEpochRecord")]
public sealed class StoredEpochRecord
{
    [Id(0)] public ulong Index { get; set; }
    [Id(1)] public ulong Block { get; set; }
    [Id(2)] public byte[]? Inputs { get; set; }
    [Id(3)] public byte[]? Outputs { get; set; }
}

/// <summary>One recorded epoch (inputs and outputs), kept in its own grain, compressed and chunked, so subnet state stays small.</summary>
public sealed class EpochRecordGrain : StoredGrain, IEpochRecordGrain, IEpochRecordLedger
{
    private SingleState<StoredEpochRecord> _state = null!;
    private EpochRecord? _record;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new(OpenStore("epoch"), Serializer);
        await _state.ReadAsync();
        var s = _state.State;
        _record = s.Inputs is null ? null : new EpochRecord(s.Index, s.Block, Unzip(s.Inputs), Unzip(s.Outputs!));
    }

    public Task<EpochRecord?> GetAsync() => Task.FromResult(_record);

    public async Task SetAsync(EpochRecord record)
    {
        EnsureUsable();
        if (_record == record) return;
        try
        {
            var s = _state.State;
            (s.Index, s.Block, s.Inputs, s.Outputs) = (record.Index, record.Block, Zip(record.InputsJson), Zip(record.OutputsJson));
            await _state.WriteAsync();
            _record = record;
        }
        catch
        {
            Break();
            throw;
        }
    }

    public async Task ClearAsync()
    {
        EnsureUsable();
        if (_record is null && _state.State.Inputs is null) return;
        try
        {
            await _state.ClearAsync();
            _record = null;
        }
        catch
        {
            Break();
            throw;
        }
    }

    private static byte[] Zip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    private static string Unzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
