using System.Text.Json;

namespace Bittensor.Keys;

/// <summary>
/// What a signed payload commits to besides its call: the chain by id <b>and</b> genesis hash (a payload signed for one
/// deployment is refused by every other), and its mortality: the last block in which it may be applied.
/// </summary>
public sealed record ChainTarget(string ChainId, string GenesisHash, ulong ValidUntil)
{
    /// <summary>The longest mortality the chain accepts: <c>valid_until</c> at most this many blocks ahead (as Substrate's longest era).</summary>
    public const ulong MaxMortality = 65_536;

    /// <summary>How long the CLI and the workers give a transaction by default: at least 64 blocks and at least 5 minutes.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Blocks in <paramref name="lifetime"/> at <paramref name="blockTime"/> per block: at least 64, at most <see cref="MaxMortality"/>.</summary>
    public static ulong MortalityBlocks(TimeSpan blockTime, TimeSpan lifetime)
    {
        double blocks = blockTime > TimeSpan.Zero ? Math.Ceiling(lifetime / blockTime) : MaxMortality;
        return (ulong)Math.Clamp(blocks, 64, MaxMortality);
    }

    /// <summary>A target for the chain at <paramref name="block"/>, valid for <see cref="MortalityBlocks"/> of <paramref name="lifetime"/> (default <see cref="DefaultLifetime"/>).</summary>
    public static ChainTarget At(string chainId, string genesisHash, ulong block, TimeSpan blockTime, TimeSpan? lifetime = null) =>
        new(chainId, genesisHash, block + MortalityBlocks(blockTime, lifetime ?? DefaultLifetime));

    /// <summary>A target from <c>GET /api/chain</c>'s answer (<c>chainId</c>, <c>genesisHash</c>, <c>block</c>, <c>blockTimeSeconds</c>).</summary>
    public static ChainTarget FromChainJson(JsonElement chain, TimeSpan? lifetime = null) =>
        At(chain.GetProperty("chainId").GetString()!, chain.GetProperty("genesisHash").GetString()!, chain.GetProperty("block").GetUInt64(),
            TimeSpan.FromSeconds(chain.GetProperty("blockTimeSeconds").GetDouble()), lifetime);
}
