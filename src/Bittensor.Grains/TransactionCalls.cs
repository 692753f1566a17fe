using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bittensor.Keys;

namespace Bittensor.Grains;

/// <summary>A call's arguments are malformed; names the field.</summary>
public sealed class CallFormatException(string field, string message) : FormatException($"args.{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>Turns a signed payload's <c>call</c> and <c>args</c> into an <see cref="Operation"/>.</summary>
public static class TransactionCalls
{
    public static readonly IReadOnlyList<string> Names =
    [
        "transfer", "faucet", "register_network", "burned_register", "add_stake", "remove_stake",
        "set_weights", "serve_axon", "set_hyperparameter", "set_take",
    ];

    /// <summary>The operation, or <see cref="CallFormatException"/> naming the bad field; null for an unknown call.</summary>
    public static Operation? Parse(string call, JsonElement args, string signer, ulong? nonce)
    {
        if (args.ValueKind != JsonValueKind.Object) throw new CallFormatException("", "args must be a JSON object");
        Operation? op = call switch
        {
            "transfer" => new Transfer { Signer = signer, Dest = Address(args, "dest"), Amount = U64(args, "amount") },
            "faucet" => new Faucet { Signer = signer, Amount = U64(args, "amount") },
            "register_network" => new RegisterNetwork { Signer = signer, Hotkey = Address(args, "hotkey") },
            "burned_register" => new BurnedRegister { Signer = signer, Netuid = U16(args, "netuid"), Hotkey = Address(args, "hotkey") },
            "add_stake" => new AddStake
            {
                Signer = signer, Hotkey = Address(args, "hotkey"), Netuid = U16(args, "netuid"), Amount = U64(args, "amount"),
                LimitPrice = OptionalU64(args, "limit_price"),
            },
            "remove_stake" => new RemoveStake
            {
                Signer = signer, Hotkey = Address(args, "hotkey"), Netuid = U16(args, "netuid"), Amount = U64(args, "amount"),
                LimitPrice = OptionalU64(args, "limit_price"),
            },
            "set_weights" => new SetWeights
            {
                Signer = signer, Netuid = U16(args, "netuid"), Uids = U16Array(args, "uids"), Weights = U16Array(args, "weights"),
                VersionKey = OptionalU64(args, "version_key") ?? 0,
            },
            "serve_axon" => new ServeAxon
            {
                Signer = signer, Netuid = U16(args, "netuid"), Ip = String(args, "ip"), Port = U16(args, "port"),
                Protocol = (byte)Math.Min(255UL, OptionalU64(args, "protocol") ?? 4), Version = (uint)Math.Min(uint.MaxValue, OptionalU64(args, "version") ?? 0),
                Name = OptionalString(args, "name"),
            },
            "set_hyperparameter" => new SetHyperparameter { Signer = signer, Netuid = U16(args, "netuid"), Name = String(args, "name"), Value = Scalar(args, "value") },
            "set_take" => new SetTake { Signer = signer, Hotkey = Address(args, "hotkey"), Take = U16(args, "take") },
            _ => null,
        };
        return op is null ? null : op with { Nonce = nonce };
    }

    private static JsonElement Field(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) ? v : throw new CallFormatException(name, "required");

    private static ulong U64(JsonElement args, string name) =>
        Field(args, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt64(out ulong u) ? u
            : throw new CallFormatException(name, "must be a non-negative integer (rao)");

    private static ulong? OptionalU64(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? U64(args, name) : null;

    private static ushort U16(JsonElement args, string name) =>
        Field(args, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetUInt16(out ushort u) ? u
            : throw new CallFormatException(name, "must be an integer in 0..65535");

    private static ImmutableArray<ushort> U16Array(JsonElement args, string name)
    {
        var v = Field(args, name);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() > 65535) throw new CallFormatException(name, "must be an array of integers in 0..65535");
        var b = ImmutableArray.CreateBuilder<ushort>();
        foreach (var e in v.EnumerateArray())
            b.Add(e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out ushort u) ? u : throw new CallFormatException(name, "must be an array of integers in 0..65535"));
        return b.ToImmutable();
    }

    private static string String(JsonElement args, string name) =>
        Field(args, name) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 and <= 256 } s ? s
            : throw new CallFormatException(name, "must be a non-empty string");

    private static string? OptionalString(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? String(args, name) : null;

    private static string Scalar(JsonElement args, string name) => Field(args, name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString()!,
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => throw new CallFormatException(name, "must be a string, number or boolean"),
    };

    private static string Address(JsonElement args, string name)
    {
        string s = String(args, name);
        return Ss58.IsValid(s) ? s : throw new CallFormatException(name, "is not an SS58 address (prefix 42)");
    }

    internal static string Invariant(ulong v) => v.ToString(CultureInfo.InvariantCulture);
}
