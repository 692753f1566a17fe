using System.Collections.Immutable;

namespace Bittensor;

/// <summary>A state-changing call (an extrinsic), executed atomically by the chain grain in submission order.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Operation")]
public abstract record Operation
{
    /// <summary>The key that authorizes the call (coldkey or hotkey as the call requires).</summary>
    [Id(0)] public required string Signer { get; init; }

    /// <summary>
    /// For signed transactions: the signer's next nonce. The chain rejects any other value (StaleNonce / FutureNonce)
    /// and consumes the nonce only when the operation is applied.
    /// </summary>
    [Id(1)] public ulong? Nonce { get; init; }
}

/// <summary>One rule a call would break now, and the block from which it would pass when that is known.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RuleFailure")]
public sealed record RuleFailure([property: Id(0)] string Code, [property: Id(1)] string Message, [property: Id(2)] ulong? PassesFromBlock = null);

/// <summary>Moves free TAO from the signer (coldkey) to <see cref="Dest"/>.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Transfer")]
public sealed record Transfer : Operation
{
    [Id(0)] public required string Dest { get; init; }
    [Id(1)] public required ulong Amount { get; init; }
}

/// <summary>Development faucet: TAO from the genesis reserve to the signer.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Faucet")]
public sealed record Faucet : Operation
{
    [Id(0)] public required ulong Amount { get; init; }
}

/// <summary>Creates a subnet owned by the signer (coldkey) with <see cref="Hotkey"/> as owner hotkey; pays the lock cost.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RegisterNetwork")]
public sealed record RegisterNetwork : Operation
{
    [Id(0)] public required string Hotkey { get; init; }
}

/// <summary>Registers <see cref="Hotkey"/> on a subnet, paying the burn from the signer (coldkey).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.BurnedRegister")]
public sealed record BurnedRegister : Operation
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required string Hotkey { get; init; }
}

/// <summary>Stakes <see cref="Amount"/> rao of TAO from the signer (coldkey) onto a hotkey (buys alpha from the pool).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.AddStake")]
public sealed record AddStake : Operation
{
    [Id(0)] public required string Hotkey { get; init; }
    [Id(1)] public required ushort Netuid { get; init; }
    [Id(2)] public required ulong Amount { get; init; }

    /// <summary>Optional highest price (rao of TAO per 1 alpha) the buy may reach.</summary>
    [Id(3)] public ulong? LimitPrice { get; init; }
}

/// <summary>Unstakes <see cref="Amount"/> rao of alpha from a hotkey back to the signer's free TAO (sells alpha to the pool).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.RemoveStake")]
public sealed record RemoveStake : Operation
{
    [Id(0)] public required string Hotkey { get; init; }
    [Id(1)] public required ushort Netuid { get; init; }
    [Id(2)] public required ulong Amount { get; init; }

    /// <summary>Optional lowest price (rao of TAO per 1 alpha) the sell may reach.</summary>
    [Id(3)] public ulong? LimitPrice { get; init; }
}

/// <summary>Sets the signer hotkey's weights on a subnet (u16 values, stored max-upscaled).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SetWeights")]
public sealed record SetWeights : Operation
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required ImmutableArray<ushort> Uids { get; init; }
    [Id(2)] public required ImmutableArray<ushort> Weights { get; init; }
    [Id(3)] public ulong VersionKey { get; init; }
}

/// <summary>Publishes the signer hotkey's axon on a subnet.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.ServeAxon")]
public sealed record ServeAxon : Operation
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required string Ip { get; init; }
    [Id(2)] public required ushort Port { get; init; }
    [Id(3)] public byte Protocol { get; init; } = 4;
    [Id(4)] public uint Version { get; init; }
    [Id(5)] public string? Name { get; init; }
}

/// <summary>The subnet owner (coldkey) changes one hyperparameter.</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SetHyperparameter")]
public sealed record SetHyperparameter : Operation
{
    [Id(0)] public required ushort Netuid { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Value { get; init; }
}

/// <summary>The owning coldkey sets a hotkey's delegate take (u16 proportion, at most 18%).</summary>
[GenerateSerializer, Immutable, Alias("Bittensor.SetTake")]
public sealed record SetTake : Operation
{
    [Id(0)] public required string Hotkey { get; init; }
    [Id(1)] public required ushort Take { get; init; }
}

/// <summary>
/// The outcome of an operation: applied (with the block and what it produced) or rejected with a stable
/// machine-readable <see cref="Code"/> naming the rule and a sentence. A rejected operation changed nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.OpResult")]
public sealed record OpResult
{
    [Id(0)] public bool Ok { get; init; }
    [Id(1)] public string? Code { get; init; }
    [Id(2)] public string? Message { get; init; }
    [Id(3)] public ulong Block { get; init; }
    [Id(4)] public ulong? NextAllowedBlock { get; init; }
    [Id(5)] public ushort? Netuid { get; init; }
    [Id(6)] public ushort? Uid { get; init; }
    [Id(7)] public ulong? Amount { get; init; }

    public static OpResult Fail(string code, string message, ulong block, ulong? nextAllowed = null) =>
        new() { Ok = false, Code = code, Message = message, Block = block, NextAllowedBlock = nextAllowed };
}
