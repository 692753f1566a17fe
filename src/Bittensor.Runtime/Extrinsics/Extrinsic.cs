using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Runtime.Extrinsics;

/// <summary>A call's arguments are malformed; names the field.</summary>
public sealed class CallFormatException(string field, string message) : FormatException($"args.{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>
/// One extrinsic: its call name, how its signed arguments become an <see cref="Operation"/>, and its rules and
/// effects as a plan. Adding an extrinsic is one class deriving from <see cref="Extrinsic{T}"/> (with its operation
/// record beside it) plus its tests: <see cref="Calls"/> finds every one by reflection.
/// </summary>
public interface IExtrinsic
{
    /// <summary>The call name in a signed payload (<c>"call"</c>), snake_case as on Bittensor.</summary>
    string Name { get; }

    Type OperationType { get; }

    /// <summary>
    /// The call's dispatch weight for its fee (subtensor's benchmarked <c>weights.rs</c>: ref_time with reads and writes; see
    /// <see cref="Fees"/>), or 0 for a call subtensor marks <c>Pays::No</c>.
    /// </summary>
    ulong Weight { get; }

    /// <summary>The operation from a payload's <c>args</c> object, or <see cref="CallFormatException"/> naming the field.</summary>
    Operation Parse(JsonElement args, string signer);

    /// <summary>Checks the rules against the plan's state and plans the effects; a rejection changes nothing it planned.</summary>
    ValueTask<OpResult> PlanAsync(ChainPlan plan, Operation operation);

    /// <summary>Every rule the operation breaks now (by default: the first one <see cref="PlanAsync"/> finds).</summary>
    ValueTask<IReadOnlyList<RuleFailure>> PreflightAsync(ChainPlan plan, Operation operation);
}

/// <summary>Base of every extrinsic, typed by its operation.</summary>
public abstract class Extrinsic<T> : IExtrinsic where T : Operation
{
    public abstract string Name { get; }

    public Type OperationType => typeof(T);

    /// <summary>0 unless the call pays a fee (as on subtensor, where most calls but weights, serving and take changes do).</summary>
    public virtual ulong Weight => 0;

    public abstract T Parse(CallArgs args, string signer);

    public abstract ValueTask<OpResult> PlanAsync(ChainPlan plan, T op);

    public virtual async ValueTask<IReadOnlyList<RuleFailure>> PreflightAsync(ChainPlan plan, T op)
    {
        var result = await PlanAsync(plan, op);
        return result.Ok ? [] : [new RuleFailure(result.Code!, result.Message!, result.NextAllowedBlock)];
    }

    Operation IExtrinsic.Parse(JsonElement args, string signer)
    {
        var read = new CallArgs(args);
        var op = Parse(read, signer);
        read.RefuseUnread(Name);
        return op;
    }

    ValueTask<OpResult> IExtrinsic.PlanAsync(ChainPlan plan, Operation operation) => PlanAsync(plan, (T)operation);

    ValueTask<IReadOnlyList<RuleFailure>> IExtrinsic.PreflightAsync(ChainPlan plan, Operation operation) => PreflightAsync(plan, (T)operation);

    protected static OpResult Fail(ChainPlan plan, string code, string message, ulong? nextAllowed = null) =>
        OpResult.Fail(code, message, plan.Chain.Block, nextAllowed);

    protected static OpResult Fail(ChainPlan plan, RuleFailure failure) => Fail(plan, failure.Code, failure.Message, failure.PassesFromBlock);

    protected static OpResult Done(ChainPlan plan, ushort? netuid = null, ushort? uid = null, ulong? amount = null) =>
        new() { Ok = true, Block = plan.Chain.Block, Netuid = netuid, Uid = uid, Amount = amount };

    protected static bool ValidAddress(string? address) => Addresses.IsWellFormed(address);
}

/// <summary>Every extrinsic, by call name and by operation type.</summary>
public static class Calls
{
    public static ImmutableArray<IExtrinsic> All { get; } = [.. typeof(IExtrinsic).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IExtrinsic).IsAssignableFrom(t))
        .Select(t => (IExtrinsic)Activator.CreateInstance(t)!)
        .OrderBy(e => e.Name, StringComparer.Ordinal)];

    private static readonly FrozenDictionary<string, IExtrinsic> ByName = All.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, IExtrinsic> ByType = All.ToFrozenDictionary(e => e.OperationType);

    /// <summary>Call names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(e => e.Name)];

    public static IExtrinsic? Named(string call) => ByName.GetValueOrDefault(call);

    public static IExtrinsic For(Operation operation) =>
        ByType.GetValueOrDefault(operation.GetType()) ?? throw new ArgumentException($"no extrinsic handles {operation.GetType().Name}", nameof(operation));

    /// <summary>The operation for a signed payload's call and args (with its nonce), null for an unknown call.</summary>
    public static Operation? Parse(string call, JsonElement args, string signer, ulong? nonce)
    {
        if (Named(call) is not { } extrinsic) return null;
        if (args.ValueKind != JsonValueKind.Object) throw new CallFormatException("", "args must be a JSON object");
        return extrinsic.Parse(args, signer) with { Nonce = nonce };
    }

    private static readonly JsonSerializerOptions ArgsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The call name and <c>args</c> of a signed payload for <paramref name="operation"/> (its signer, nonce, hash and
    /// mortality left out): the inverse of <see cref="Parse"/>, checked by parsing the args back.
    /// </summary>
    /// <exception cref="ArgumentException">The operation's fields are not its call's args (a call whose args are not its fields' snake_case names).</exception>
    public static (string Call, JsonObject Args) ToPayload(Operation operation)
    {
        var extrinsic = For(operation);
        var args = ArgsOf(operation);
        string text = args.ToJsonString();
        using var doc = JsonDocument.Parse(text);
        string back;
        try
        {
            back = ArgsOf(extrinsic.Parse(doc.RootElement, operation.Signer)).ToJsonString();
        }
        catch (CallFormatException e)
        {
            throw new ArgumentException($"{extrinsic.Name}: {e.Message}", nameof(operation), e);
        }
        if (back != text) throw new ArgumentException($"{extrinsic.Name}: its args {text} parse back as {back}", nameof(operation));
        return (extrinsic.Name, args);
    }

    private static JsonObject ArgsOf(Operation operation)
    {
        var args = JsonSerializer.SerializeToNode(operation, operation.GetType(), ArgsJson)!.AsObject();
        foreach (string field in (string[])["signer", "nonce", "hash", "valid_until"]) args.Remove(field);
        return args;
    }
}

/// <summary>Typed reads of a call's <c>args</c> object; each failure names the field and the rule.</summary>
public readonly struct CallArgs(JsonElement args)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonElement Field(string name) =>
        TryGet(name, out var v) ? v : throw new CallFormatException(name, "required");

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        return args.TryGetProperty(name, out value);
    }

    /// <summary>Refuses a field the call does not read: a misspelt or unknown field is an error, not silently ignored.</summary>
    public void RefuseUnread(string call)
    {
        foreach (var field in args.EnumerateObject())
            if (!_read.Contains(field.Name)) throw new CallFormatException(field.Name, $"is not a field of '{call}'");
    }

    public ulong U64(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt64(out ulong u) ? u
            : throw new CallFormatException(name, "must be a non-negative integer (rao)");

    public ulong? OptionalU64(string name) =>
        TryGet(name, out var v) && v.ValueKind != JsonValueKind.Null ? U64(name) : null;

    public byte? OptionalU8(string name) =>
        !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.Number && v.TryGetByte(out byte b) ? b : throw new CallFormatException(name, "must be an integer in 0..255");

    public uint? OptionalU32(string name) =>
        !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.Number && v.TryGetUInt32(out uint u) ? u : throw new CallFormatException(name, "must be an integer in 0..4294967295");

    public bool? OptionalBool(string name) =>
        !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw new CallFormatException(name, "must be true or false") };

    public ushort U16(string name) =>
        Field(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt16(out ushort u) ? u
            : throw new CallFormatException(name, "must be an integer in 0..65535");

    public ImmutableArray<ushort> U16Array(string name) => U16Array(Field(name), name);

    private static ImmutableArray<ushort> U16Array(JsonElement v, string name)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() > 65535) throw new CallFormatException(name, "must be an array of integers in 0..65535");
        var b = ImmutableArray.CreateBuilder<ushort>(v.GetArrayLength());
        foreach (var e in v.EnumerateArray())
            b.Add(e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out ushort u) ? u : throw new CallFormatException(name, "must be an array of integers in 0..65535"));
        return b.MoveToImmutable();
    }

    /// <summary>An array of at most <paramref name="max"/> arrays of u16 (a batch's rows).</summary>
    public ImmutableArray<ImmutableArray<ushort>> U16Arrays(string name, int max)
    {
        var v = Field(name);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() > max) throw new CallFormatException(name, $"must be an array of at most {max} arrays of integers in 0..65535");
        var b = ImmutableArray.CreateBuilder<ImmutableArray<ushort>>(v.GetArrayLength());
        int i = 0;
        foreach (var e in v.EnumerateArray()) b.Add(U16Array(e, $"{name}[{i++}]"));
        return b.MoveToImmutable();
    }

    /// <summary>An array of at most <paramref name="max"/> non-negative integers.</summary>
    public ImmutableArray<ulong> U64Array(string name, int max)
    {
        var v = Field(name);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() > max) throw new CallFormatException(name, $"must be an array of at most {max} non-negative integers");
        var b = ImmutableArray.CreateBuilder<ulong>(v.GetArrayLength());
        foreach (var e in v.EnumerateArray())
            b.Add(e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong u) ? u : throw new CallFormatException(name, $"must be an array of at most {max} non-negative integers"));
        return b.MoveToImmutable();
    }

    /// <summary>A 32-byte hash as <c>0x</c> and 64 hex digits, returned lower-case.</summary>
    public string Hash(string name) =>
        Field(name) is { ValueKind: JsonValueKind.String } v && WeightCommitHash.TryParse(Text(v), out string hash) ? hash
            : throw new CallFormatException(name, "must be a 32-byte hash: \"0x\" and 64 hex digits");

    public string String(string name) =>
        Field(name) is { ValueKind: JsonValueKind.String } v && Text(v) is { Length: > 0 and <= 256 } s ? s
            : throw new CallFormatException(name, "must be a non-empty string of at most 256 characters");

    /// <summary>A JSON string's text, or null when it is not valid Unicode (a lone surrogate escape such as <c>"\ud800"</c>).</summary>
    public static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Optional text of at most <paramref name="maxChars"/> characters, empty allowed; "" when absent or null.</summary>
    public string OptionalText(string name, int maxChars) =>
        !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null ? ""
            : v.ValueKind == JsonValueKind.String && Text(v) is { } s && s.Length <= maxChars ? s
            : throw new CallFormatException(name, $"must be a string of at most {maxChars} characters");

    public string? OptionalString(string name) =>
        TryGet(name, out var v) && v.ValueKind != JsonValueKind.Null ? String(name) : null;

    /// <summary>A string, number or boolean, as text.</summary>
    public string Scalar(string name) => Field(name) switch
    {
        { ValueKind: JsonValueKind.String } v => Text(v) ?? throw new CallFormatException(name, "must be valid Unicode text"),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => throw new CallFormatException(name, "must be a string, number or boolean"),
    };

    public string Address(string name)
    {
        string s = String(name);
        return Ss58.IsValid(s) ? s : throw new CallFormatException(name, "is not an SS58 address (prefix 42)");
    }

    /// <summary>An array of at most <paramref name="max"/> pairs <c>[proportion (u64), hotkey (SS58)]</c> (set_children's children).</summary>
    public ImmutableArray<(ulong Proportion, string Hotkey)> ProportionPairs(string name, int max)
    {
        var v = Field(name);
        string rule = $"must be an array of at most {max} pairs [proportion (u64 parts of u64::MAX), hotkey (SS58)]";
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() > max) throw new CallFormatException(name, rule);
        var b = ImmutableArray.CreateBuilder<(ulong, string)>(v.GetArrayLength());
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            string at = $"{name}[{i++}]";
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2) throw new CallFormatException(at, rule);
            if (e[0].ValueKind != JsonValueKind.Number || !e[0].TryGetUInt64(out ulong proportion)) throw new CallFormatException(at, "the proportion must be an integer in 0..18446744073709551615");
            if (e[1].ValueKind != JsonValueKind.String || Text(e[1]) is not { } hotkey || !Ss58.IsValid(hotkey)) throw new CallFormatException(at, "the child must be an SS58 address (prefix 42)");
            b.Add((proportion, hotkey));
        }
        return b.MoveToImmutable();
    }

    internal static string Invariant(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
