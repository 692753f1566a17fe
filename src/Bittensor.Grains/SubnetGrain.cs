using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Bittensor.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bittensor.Grains;

/// <summary>
/// A subnet's roster: neurons, weights, bonds, weight commits, the last epoch's outputs, the epoch history. Stored in
/// parts — a head, a page per 256 neurons, a part per non-empty weight row, bond row and commit queue — so that no
/// entity outgrows Azure Table's limits at 4096 UIDs, and a change rewrites only the parts it touched. It takes its
/// epochs' inputs and keeps their new bonds; its economy (pool, pending emission) is the chain's.
/// </summary>
public sealed partial class SubnetGrain(IOptions<ChainOptions> options, ILogger<SubnetGrain> logger) : StoredGrain, ISubnetGrain, ISubnetLedger
{
    private ChunkedStore _store = null!;
    private SubnetState _s = new();
    private (EpochStart Start, long AsOfSeq, Task<EpochComputation> Task)? _epoch;
    private readonly History<SubnetVersion> _history = new(options.Value.HistoryBlocks);
    private SubnetVersion _published = SubnetVersion.None;

    private ushort Netuid => (ushort)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = OpenStore("subnet");
        _s = Assemble(await _store.ReadAsync());
        _published = SubnetVersion.Build(_s, null, null);
        // A subnet never changed did not exist since genesis; one stored before ChangedAt was recorded has no known block.
        if (_s.LastSeq == 0 || _s.ChangedAt != 0) _history.Record(_s.ChangedAt, _published);
    }

    public Task<SubnetState> GetStateAsync()
    {
        EnsureUsable();
        return Task.FromResult(_s);
    }

    public async Task ApplyAsync(long seq, ulong block, ImmutableArray<SubnetCommand> commands)
    {
        EnsureUsable();
        if (seq <= _s.LastSeq) return;
        HashSet<string> touched;
        try
        {
            foreach (var c in commands)
            {
                SubnetLedger.Apply(_s, c);
                if (c is CommitEpoch commit) StoreBonds(commit);
            }
            _s.LastSeq = seq;
            if (block != 0) _s.ChangedAt = Math.Max(_s.ChangedAt, block);
            touched = [.. _s.Dirty];
            await WriteAsync();
        }
        catch
        {
            Break();
            throw;
        }
        // Published once written: a read interleaved with an apply never sees unwritten changes.
        _published = SubnetVersion.Build(_s, _published, touched);
        if (block == 0) _history.Clear();
        else _history.Record(_s.ChangedAt, _published);
    }

    /// <summary>The bonds of the epoch being committed, when this activation computed it from the same inputs.</summary>
    private void StoreBonds(CommitEpoch commit)
    {
        if (_epoch is not { } e || e.Start.Index != commit.Index || e.AsOfSeq != commit.AsOfSeq || !e.Task.IsCompletedSuccessfully)
        {
            // The computation was lost with an earlier activation (a silo failure between the epoch and its landing): the
            // outputs land from the chain's journal; the bonds keep their previous values until the next epoch.
            LogBondsLost(logger, Netuid, commit.Index);
            return;
        }
        SubnetLedger.ApplyBonds(_s, commit.AsOfSeq, e.Task.Result.BondRows());
        _epoch = null;
    }

    public async Task<EpochOutcome?> RunEpochAsync(EpochStart start, TimeSpan wait, bool recordFirst)
    {
        EnsureUsable();
        if (_epoch is not { } e || e.Start.Index != start.Index || e.Task.IsFaulted)
        {
            if (_epoch is { Task.IsFaulted: true } failed) LogEpochFailed(logger, failed.Task.Exception, Netuid, failed.Start.Index);
            var request = EpochRequest.From(_s, start);
            _epoch = e = (start, request.AsOfSeq, GrainFactory.GetGrain<IConsensusGrain>(Netuid).RunAsync(request, recordFirst));
        }
        if (!e.Task.IsCompleted && wait > TimeSpan.Zero) await Task.WhenAny(e.Task, Task.Delay(wait));
        return e.Task.IsCompletedSuccessfully ? e.Task.Result.Outcome : null;
    }

    public Task<SubnetInfo?> GetInfoAsync() => GrainFactory.GetGrain<IChainGrain>(IChainGrain.Key).GetSubnetInfoAsync(Netuid);

    public Task<MetagraphView?> GetMetagraphAsync() => Task.FromResult(_published.View);

    public Task<Retained<MetagraphView>> GetMetagraphAtAsync(ulong block)
    {
        var version = _history.At(block);
        // A block before the subnet existed (or before it was re-created) answers no view, with From at or before it.
        return Task.FromResult(new Retained<MetagraphView>(version?.View is { } view ? view with { Block = block } : null, _history.From));
    }

    public Task<Retained<MatrixView>> GetMatrixAsync(MatrixKind kind, ulong? block, int offset, int limit)
    {
        var version = block is ulong b ? _history.At(b) : _published;
        if (version?.View is not { } view) return Task.FromResult(new Retained<MatrixView>(null, _history.From));
        var rows = kind == MatrixKind.Weights ? version.Weights : version.Bonds;
        int n = view.Neurons.Length, first = Math.Clamp(offset, 0, n), end = (int)Math.Min(n, (long)first + Math.Max(0, limit));
        var page = ImmutableArray.CreateBuilder<WeightRow>();
        for (int uid = first; uid < end; uid++)
            if (rows[uid].Columns.Length > 0)
                page.Add(new WeightRow((ushort)uid, view.Neurons[uid].Hotkey, [.. rows[uid].Columns], [.. rows[uid].Values]));
        return Task.FromResult(new Retained<MatrixView>(new MatrixView(Netuid, block ?? view.Block, n, first, page.ToImmutable()), _history.From));
    }

    public Task<ImmutableArray<WeightRow>> GetWeightsAsync() => Task.FromResult(_s.Neurons
        .Select((n, uid) => new WeightRow((ushort)uid, n.Hotkey, [.. n.WeightColumns], [.. n.WeightValues]))
        .Where(r => r.Uids.Length > 0).ToImmutableArray());

    public Task<ImmutableArray<WeightCommit>> GetCommitsAsync(string hotkey) =>
        Task.FromResult(_s.UidOf(hotkey) is var uid and >= 0 ? _s.Neurons[uid].Commits : []);

    public Task<ChildkeysView?> GetChildkeysAsync(string hotkey, ulong block)
    {
        if (!_s.Exists) return Task.FromResult<ChildkeysView?>(null);
        var relations = ChildKeys.Effective(_s, block);
        return Task.FromResult<ChildkeysView?>(new ChildkeysView
        {
            Netuid = Netuid, Hotkey = hotkey, Block = block,
            Children = relations.GetValueOrDefault(hotkey, []), Parents = ChildKeys.ParentsOf(relations, hotkey),
            Pending = _s.PendingChildren.GetValueOrDefault(hotkey) is { } pending && pending.CooldownBlock >= block ? pending : null,
            ChildkeyTake = _s.ChildkeyTakes.GetValueOrDefault(hotkey),
        });
    }

    public Task<ImmutableArray<EpochSummary>> GetEpochsAsync(int limit) =>
        Task.FromResult(_s.Epochs.AsEnumerable().Reverse().Take(Math.Max(0, limit)).ToImmutableArray());

    /// <summary>Writes the parts the applied commands touched.</summary>
    private async Task WriteAsync()
    {
        var changed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (string part in _s.Dirty)
        {
            if (part == SubnetParts.Head) changed[part] = Serializer.SerializeToArray(_s.HeadOnly());
            else if (part[0] == 'm')
            {
                int first = PartIndex(part) * SubnetParts.PageSize;
                var page = _s.Neurons.Skip(first).Take(SubnetParts.PageSize).Select(n => n.WithoutMatrices()).ToList();
                if (page.Count == 0) removed.Add(part); // a dissolved subnet's page
                else changed[part] = Serializer.SerializeToArray(page);
            }
            else if (PartIndex(part) >= _s.Neurons.Count) removed.Add(part); // a dissolved subnet's row or commits
            else if (part[0] == 'c')
            {
                var commits = _s.Neurons[PartIndex(part)].Commits;
                if (commits.IsEmpty) removed.Add(part);
                else changed[part] = Serializer.SerializeToArray(commits);
            }
            else
            {
                var n = _s.Neurons[PartIndex(part)];
                var (columns, values) = part[0] == 'w' ? (n.WeightColumns, n.WeightValues) : (n.BondColumns, n.BondValues);
                if (columns.Length == 0) removed.Add(part);
                else changed[part] = RowCodec.Encode(columns, values, part[0] == 'w' ? n.LastUpdate : null);
            }
        }
        await _store.WriteAsync(changed, removed);
        _s.Dirty.Clear();
    }

    private SubnetState Assemble(Dictionary<string, byte[]> parts)
    {
        if (!parts.TryGetValue(SubnetParts.Head, out var head)) return new SubnetState { Netuid = Netuid };
        var s = Serializer.Deserialize<SubnetState>(head) ?? throw new InvalidOperationException($"subnet {Netuid}: unreadable head");
        foreach (var page in parts.Where(p => p.Key[0] == 'm').OrderBy(p => PartIndex(p.Key)))
            s.Neurons.AddRange(Serializer.Deserialize<List<Neuron>>(page.Value) ?? []);
        for (int uid = 0; uid < s.Neurons.Count; uid++)
        {
            var n = s.Neurons[uid];
            if (parts.TryGetValue(SubnetParts.Weights(uid), out var w))
            {
                (n.WeightColumns, n.WeightValues) = RowCodec.Decode(w.AsSpan(sizeof(ulong)));
                n.LastUpdate = BitConverter.ToUInt64(w, 0);
            }
            if (parts.TryGetValue(SubnetParts.Bonds(uid), out var b)) (n.BondColumns, n.BondValues) = RowCodec.Decode(b);
            if (parts.TryGetValue(SubnetParts.Commits(uid), out var c)) n.Commits = Serializer.Deserialize<ImmutableArray<WeightCommit>>(c);
        }
        s.Dirty.Clear();
        return s;
    }

    /// <summary>The page number or UID in a part's name ("m3", "w17", "b17").</summary>
    private static int PartIndex(string part) => int.Parse(part.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subnet {Netuid}: the bonds of epoch {Index} were computed by a lost activation; they keep their previous values")]
    private static partial void LogBondsLost(ILogger logger, ushort netuid, ulong index);

    [LoggerMessage(Level = LogLevel.Error, Message = "Subnet {Netuid}: epoch {Index} failed; it is started again")]
    private static partial void LogEpochFailed(ILogger logger, Exception? exception, ushort netuid, ulong index);
}

/// <summary>A sparse u16 row as bytes: an optional u64 header, the columns, then the values, little-endian.</summary>
internal static class RowCodec
{
    public static byte[] Encode(ushort[] columns, ushort[] values, ulong? header = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("row encoding assumes a little-endian machine");
        int at = header is null ? 0 : sizeof(ulong);
        var bytes = new byte[at + columns.Length * 4];
        if (header is ulong h) BitConverter.TryWriteBytes(bytes, h);
        MemoryMarshal.AsBytes(columns.AsSpan()).CopyTo(bytes.AsSpan(at));
        MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes.AsSpan(at + columns.Length * 2));
        return bytes;
    }

    public static (ushort[] Columns, ushort[] Values) Decode(ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length / 4;
        return (MemoryMarshal.Cast<byte, ushort>(bytes[..(n * 2)]).ToArray(), MemoryMarshal.Cast<byte, ushort>(bytes.Slice(n * 2, n * 2)).ToArray());
    }
}
