using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>
/// The weights verbs. On a commit-reveal subnet <c>weights set</c> does what the SDK's <c>set_weights</c> does: it commits
/// the hash of the weights with a random salt, waits (polling the subnet's epoch clock) for the commit's reveal epoch,
/// and reveals. <c>weights commit</c> and <c>weights reveal</c> do the two halves by hand.
/// </summary>
internal sealed partial class NetworkCommands
{
    private async Task<int> WeightsSet()
    {
        int netuid = Netuid();
        var subnet = await _client.GetAsync($"/api/subnets/{netuid}");
        if (!subnet.GetProperty("hyperparameters").GetProperty("commitRevealWeightsEnabled").GetBoolean())
            return await Submit(Hotkey(), "set_weights", WeightArgs());
        using var hotkey = Hotkey();
        var weights = Weights(subnet);
        var commit = await CommitAsync(hotkey, weights);
        var clock = await WaitForRevealEpochAsync(weights.Netuid, hotkey.Address, weights.Hash);
        var reveal = await SendAsync(hotkey, "reveal_weights", weights.RevealArgs());
        if (_json)
        {
            var output = weights.ToJson();
            output["revealEpoch"] = clock.RevealEpoch;
            output["commit"] = JsonNode.Parse(commit.GetRawText());
            output["reveal"] = JsonNode.Parse(reveal.GetRawText());
            _stdout.WriteLine(output.ToJsonString());
        }
        else PrintInclusion(reveal);
        return 0;
    }

    private async Task<int> WeightsCommit()
    {
        if (_args.Flag("timelock")) return await WeightsCommitTimelocked();
        using var hotkey = Hotkey();
        var weights = Weights(await _client.GetAsync($"/api/subnets/{Netuid()}"));
        var commit = await CommitAsync(hotkey, weights);
        var mine = await CommitsAsync(weights.Netuid, hotkey.Address);
        var output = weights.ToJson();
        output["commit"] = JsonNode.Parse(commit.GetRawText());
        if (mine.Of(weights.Hash) is { } c) output["revealEpoch"] = c.RevealEpoch;
        if (_json)
        {
            _stdout.WriteLine(output.ToJsonString());
            return 0;
        }
        PrintInclusion(commit);
        _stdout.WriteLine($"commit hash {weights.Hash}; reveal in epoch {output["revealEpoch"]} (the subnet is in epoch {mine.EpochIndex}) with:");
        _stdout.WriteLine($"  weights reveal --netuid {weights.Netuid} --uids {string.Join(',', weights.Uids)} --weights {string.Join(',', weights.Values)} " +
            $"--salt {string.Join(',', weights.Salt)} --version-key {weights.VersionKey}");
        return 0;
    }

    private async Task<int> WeightsReveal()
    {
        var weights = Weights(await _client.GetAsync($"/api/subnets/{Netuid()}"), requireSalt: true);
        return await Submit(Hotkey(), "reveal_weights", weights.RevealArgs());
    }

    private async Task<JsonElement> CommitAsync(KeyPair hotkey, CommittedWeights weights)
    {
        var response = await SendAsync(hotkey, "commit_weights", new JsonObject { ["netuid"] = weights.Netuid, ["commit_hash"] = weights.Hash });
        if (!_json) await host.Error.WriteLineAsync($"committed {weights.Hash} in block {response.GetProperty("block")}");
        return response;
    }

    /// <summary>
    /// Polls the subnet's epoch clock (about twice a block) until it is the commit's reveal epoch; fails when the commit
    /// is gone or its reveal epoch has passed.
    /// </summary>
    private async Task<CommitClock> WaitForRevealEpochAsync(ushort netuid, string hotkey, string hash)
    {
        double blockSeconds = (await _client.GetAsync("/api/chain")).GetProperty("blockTimeSeconds").GetDouble();
        var poll = TimeSpan.FromSeconds(Math.Clamp(blockSeconds / 2, 0.05, 6));
        bool told = false;
        while (true)
        {
            var clock = await CommitsAsync(netuid, hotkey);
            var commit = clock.Of(hash) ?? throw new CliFailure($"the commit {hash} is no longer on the chain (revealed or replaced by another client?)");
            if (clock.EpochIndex == commit.RevealEpoch) return clock with { RevealEpoch = commit.RevealEpoch };
            if (clock.EpochIndex > commit.RevealEpoch)
                throw new CliFailure($"the commit {hash} expired: its reveal epoch {commit.RevealEpoch} has passed (the subnet is in epoch {clock.EpochIndex})");
            if (!told && !_json)
            {
                ulong blocks = (commit.RevealEpoch - clock.EpochIndex - 1) * clock.Tempo + (clock.NextEpochBlock - Math.Min(clock.NextEpochBlock, clock.Block));
                await host.Error.WriteLineAsync($"waiting for the reveal epoch {commit.RevealEpoch} (the subnet is in epoch {clock.EpochIndex}; about {blocks} blocks)…");
                told = true;
            }
            await Task.Delay(poll);
        }
    }

    private async Task<CommitClock> CommitsAsync(ushort netuid, string hotkey)
    {
        var view = await _client.GetAsync($"/api/subnets/{netuid}/commits/{hotkey}");
        return new CommitClock(view.GetProperty("block").GetUInt64(), view.GetProperty("epochIndex").GetUInt64(), view.GetProperty("nextEpochBlock").GetUInt64(),
            view.GetProperty("tempo").GetUInt64(), 0,
            [.. view.GetProperty("commits").EnumerateArray().Select(c => (c.GetProperty("hash").GetString()!, c.GetProperty("revealEpoch").GetUInt64()))]);
    }

    /// <summary>The weights from the options, with the subnet's weights version key unless one is given, and a new salt unless one is given.</summary>
    private CommittedWeights Weights(JsonElement subnet, bool requireSalt = false)
    {
        ushort netuid = subnet.GetProperty("netuid").GetUInt16();
        ulong versionKey = _args.Get("version-key") is { } key
            ? ulong.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out ulong k) ? k : throw new UsageException($"'--version-key' must be a non-negative integer, got '{key}'")
            : subnet.GetProperty("hyperparameters").GetProperty("weightsVersionKey").GetUInt64();
        ushort[] salt = requireSalt || _args.Get("salt") is not null ? U16List("salt") : WeightCommitHash.NewSalt();
        var weights = new CommittedWeights(netuid, U16List("uids"), U16List("weights"), salt, versionKey);
        return weights with { Hash = WeightCommitHash.Compute(HotkeyAddress(), netuid, weights.Uids, weights.Values, salt, versionKey) };
    }

    /// <summary>Weights with the salt and version key of their commit, and its hash.</summary>
    private sealed record CommittedWeights(ushort Netuid, ushort[] Uids, ushort[] Values, ushort[] Salt, ulong VersionKey)
    {
        public string Hash { get; init; } = "";

        public JsonObject RevealArgs() => new()
        {
            ["netuid"] = Netuid, ["uids"] = Array(Uids), ["values"] = Array(Values), ["salt"] = Array(Salt), ["version_key"] = VersionKey,
        };

        public JsonObject ToJson() => new()
        {
            ["netuid"] = Netuid, ["uids"] = Array(Uids), ["weights"] = Array(Values), ["salt"] = Array(Salt), ["versionKey"] = VersionKey, ["commitHash"] = Hash,
        };

        private static JsonArray Array(ushort[] values) => new([.. values.Select(v => (JsonNode)v)]);
    }

    /// <summary>A hotkey's commits (hash, reveal epoch) and the subnet's epoch clock as the network reported them.</summary>
    private sealed record CommitClock(ulong Block, ulong EpochIndex, ulong NextEpochBlock, ulong Tempo, ulong RevealEpoch, (string Hash, ulong RevealEpoch)[] Commits)
    {
        public (string Hash, ulong RevealEpoch)? Of(string hash) => Commits.Any(c => c.Hash == hash) ? Commits.First(c => c.Hash == hash) : null;
    }
}
