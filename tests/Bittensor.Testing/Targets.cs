using System.Net.Http.Json;
using System.Text.Json;
using Bittensor.Keys;

namespace Bittensor.Testing;

/// <summary>What the tests sign for: the chain a silo serves (id, genesis hash, a mortality of an hour), or a fixed one for tests the chain never reaches.</summary>
public static class Targets
{
    /// <summary>The chain behind <paramref name="http"/> (<c>GET {prefix}/api/chain</c>), valid for an hour of its blocks.</summary>
    public static async Task<ChainTarget> OfAsync(HttpClient http, string prefix = "") =>
        ChainTarget.FromChainJson(await http.GetFromJsonAsync<JsonElement>($"{prefix}/api/chain"), TimeSpan.FromHours(1));

    /// <summary>The chain behind a silo's grains, valid for an hour of its blocks.</summary>
    public static async Task<ChainTarget> OfAsync(IGrainFactory grains)
    {
        var info = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        return ChainTarget.At(info.ChainId, info.GenesisHash, info.Block, info.BlockTime, TimeSpan.FromHours(1));
    }

    /// <summary>A target for payloads refused before the chain is asked (rate limits, malformed bodies): any genesis, never expiring.</summary>
    public static ChainTarget Fixed(string chainId) => new(chainId, "0x" + new string('0', 64), ulong.MaxValue);
}
