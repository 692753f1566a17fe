using System.Text.Json.Serialization;
using Bittensor.Runtime;

namespace Bittensor.Api;

/// <summary>A block: header, extrinsics with outcomes, events. <c>hash</c> and <c>changesHash</c> are null while the block is open (the chain's head).</summary>
public sealed record BlockDto(ulong Number, string? Hash, string ParentHash, string? ChangesHash, DateTime? Timestamp, bool Sealed,
    IReadOnlyList<ExtrinsicDto> Extrinsics, IReadOnlyList<EventDto> Events)
{
    public static BlockDto From(BlockRecord b) => new(b.Number, b.Hash, b.ParentHash, b.ChangesHash, b.Timestamp, b.Hash is not null,
        [.. b.Extrinsics.Select(ExtrinsicDto.From)], [.. b.Events.Select(EventDto.From)]);
}

/// <summary>An extrinsic in its block: index, transaction hash, signer, call, and whether it applied (else the rule's code).</summary>
public sealed record ExtrinsicDto(int Index, string? Hash, string Signer, string Call, bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code)
{
    public static ExtrinsicDto From(ExtrinsicRecord x) => new(x.Index, x.Hash, x.Signer, x.Call, x.Ok, x.Code);
}

/// <summary>An event (fields a kind does not use are left out; see <c>docs/events.md</c>). Amounts in rao.</summary>
public sealed record EventDto
{
    public required long Id { get; init; }
    public required string Kind { get; init; }
    public required ulong Block { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Extrinsic { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Coldkey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Hotkey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ushort? Netuid { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ushort? Uid { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Tao { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Alpha { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DestColdkey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DestHotkey { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ushort? DestNetuid { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? DestAlpha { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Value { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ulong? Number { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public EpochSummary? Epoch { get; init; }

    public static EventDto From(ChainEvent e) => new()
    {
        Id = e.Id, Kind = e.Kind, Block = e.Block, Extrinsic = e.Extrinsic, Coldkey = e.Coldkey, Hotkey = e.Hotkey, Netuid = e.Netuid,
        Uid = e.Uid, Tao = e.Tao, Alpha = e.Alpha, DestColdkey = e.DestColdkey, DestHotkey = e.DestHotkey, DestNetuid = e.DestNetuid,
        DestAlpha = e.DestAlpha, Name = e.Name, Value = e.Value, Number = e.Number, Epoch = e.Epoch,
    };
}

/// <summary>GET /api/blocks: the blocks asked for and the retained window.</summary>
public sealed record BlocksDto(ulong FirstBlock, ulong HeadBlock, IReadOnlyList<BlockDto> Blocks);

/// <summary>
/// GET /api/events: matching events in id order; <c>next</c> is the id to pass as <c>after</c> for the next page (the last
/// id looked at); <c>firstId</c>/<c>lastId</c> bound the retained events.
/// </summary>
public sealed record EventsDto(long Next, long FirstId, long LastId, IReadOnlyList<EventDto> Events);
