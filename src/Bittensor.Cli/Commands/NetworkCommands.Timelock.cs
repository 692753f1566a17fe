using System.Globalization;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>
/// <c>weights commit --timelock</c>: the weights are sealed (<see cref="TimelockCipher"/>) to a round of the chain's beacon
/// (<c>GET /api/beacon</c>) and committed with <c>commit_timelocked_weights</c>; the chain decrypts and sets them itself.
/// </summary>
internal sealed partial class NetworkCommands
{
    /// <summary>The <c>commit_reveal_version</c> the chain reads (subtensor's 4).</summary>
    private const ushort CommitRevealVersion = 4;

    private async Task<int> WeightsCommitTimelocked()
    {
        using var hotkey = Hotkey();
        var weights = Weights(await _client.GetAsync($"/api/subnets/{Netuid()}"));
        ulong round = _args.Get("reveal-round") is { } text
            ? ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong r) ? r : throw new UsageException($"'--reveal-round' must be a non-negative integer, got '{text}'")
            : await DefaultRevealRoundAsync(weights.Netuid, hotkey.Address);
        var beacon = await _client.GetAsync($"/api/beacon?round={round}");
        byte[] payload = TimelockPayload.For(hotkey.Address, weights.Uids, weights.Values, weights.VersionKey).Encode();
        byte[] sealedWeights = TimelockCipher.Encrypt(Convert.FromHexString(beacon.GetProperty("publicKey").GetString()!), round, payload);
        var commit = await SendAsync(hotkey, "commit_timelocked_weights", new JsonObject
        {
            ["netuid"] = weights.Netuid, ["commit"] = "0x" + Convert.ToHexStringLower(sealedWeights), ["reveal_round"] = round,
            ["commit_reveal_version"] = beacon.GetProperty("commitRevealVersion").GetUInt16(),
        });
        ulong publishedAt = beacon.GetProperty("roundPublishedAt").GetUInt64();
        if (_json)
        {
            var output = weights.ToJson();
            output.Remove("salt");
            output.Remove("commitHash");
            output["revealRound"] = round;
            output["roundPublishedAt"] = publishedAt;
            output["commit"] = JsonNode.Parse(commit.GetRawText());
            _stdout.WriteLine(output.ToJsonString());
            return 0;
        }
        PrintInclusion(commit);
        _stdout.WriteLine($"sealed to beacon round {round} (published at block {publishedAt}); the chain sets the weights in the commit's reveal epoch once the round is out");
        return 0;
    }

    /// <summary>The round published a few blocks into the reveal epoch (commit_reveal_period epochs after this one).</summary>
    private async Task<ulong> DefaultRevealRoundAsync(ushort netuid, string hotkey)
    {
        var clock = await _client.GetAsync($"/api/subnets/{netuid}/commits/{hotkey}");
        ulong period = clock.GetProperty("commitRevealPeriod").GetUInt64(), tempo = clock.GetProperty("tempo").GetUInt64();
        ulong revealBlock = clock.GetProperty("nextEpochBlock").GetUInt64() + (Math.Max(period, 1) - 1) * (tempo + 1) + 3;
        ulong roundBlocks = (await _client.GetAsync("/api/beacon")).GetProperty("roundBlocks").GetUInt64();
        return (revealBlock + roundBlocks - 1) / roundBlocks;
    }
}
