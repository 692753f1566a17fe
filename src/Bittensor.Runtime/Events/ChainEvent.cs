namespace Bittensor.Runtime;

/// <summary>
/// Something that happened on the chain, as stored in its block and served by <c>/api/events</c>: what kind
/// (<see cref="EventKinds"/> lists every kind and the fields it sets), in which block, caused by which extrinsic of the
/// block (none for the block's own step: emission, epochs, halvings), and the accounts and amounts involved. Fields a kind
/// does not use are null. Amounts are rao (TAO) or rao of alpha.
/// </summary>
[GenerateSerializer, Immutable, Alias("Bittensor.Runtime.ChainEvent")]
public sealed record ChainEvent
{
    /// <summary>One of <see cref="EventKinds.All"/>.</summary>
    [Id(0)] public required string Kind { get; init; }

    [Id(1)] public ulong Block { get; init; }

    /// <summary>The event's id: 1, 2, 3… in the order the chain applied them, assigned when the change is journaled (stable, never reused).</summary>
    [Id(2)] public long Id { get; init; }

    /// <summary>Index in its block's extrinsics of the extrinsic that caused it; null for the block's own step.</summary>
    [Id(3)] public int? Extrinsic { get; init; }

    /// <summary>The coldkey (account) that acted or owns what changed: a transfer's sender, a staker, a registering coldkey, an owner.</summary>
    [Id(4)] public string? Coldkey { get; init; }

    [Id(5)] public string? Hotkey { get; init; }

    [Id(6)] public ushort? Netuid { get; init; }

    [Id(7)] public ushort? Uid { get; init; }

    /// <summary>Rao of TAO.</summary>
    [Id(8)] public ulong? Tao { get; init; }

    /// <summary>Rao of alpha (taken from the origin for moves).</summary>
    [Id(9)] public ulong? Alpha { get; init; }

    /// <summary>Where it went: a transfer's recipient, a stake transfer's new coldkey.</summary>
    [Id(10)] public string? DestColdkey { get; init; }

    [Id(11)] public string? DestHotkey { get; init; }

    [Id(12)] public ushort? DestNetuid { get; init; }

    /// <summary>Rao of alpha credited at the destination of a move.</summary>
    [Id(13)] public ulong? DestAlpha { get; init; }

    /// <summary>A name: the hyperparameter set.</summary>
    [Id(14)] public string? Name { get; init; }

    /// <summary>A value as text: a hyperparameter's new value, a commit hash, an axon's <c>ip:port</c>.</summary>
    [Id(15)] public string? Value { get; init; }

    /// <summary>A count or index: an epoch's index, the halving's number, weights in a row, reveals in a batch, a take.</summary>
    [Id(16)] public ulong? Number { get; init; }

    /// <summary>An epoch's emission totals (rao of alpha): what it distributed to miners, validators, the owner, burned and carried.</summary>
    [Id(17)] public EpochSummary? Epoch { get; init; }

    /// <summary>Whether the event names <paramref name="address"/> in any of its account fields.</summary>
    public bool Involves(string address) =>
        Coldkey == address || Hotkey == address || DestColdkey == address || DestHotkey == address;
}
