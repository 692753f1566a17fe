using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Subnets;
using Microsoft.Extensions.Logging;

namespace Bittensor.Workers;

/// <summary>How a validator behaves: <c>honest</c>, <c>weight-copier</c> (copies the largest validator's last weights), <c>colluding</c> (favours one miner).</summary>
public static class ValidatorProfiles
{
    public static readonly IReadOnlyList<string> All = ["honest", "weight-copier", "colluding"];
}

/// <summary>
/// A validator as an Orleans client: stakes, sends signed challenges of the subnet's task to every other neuron through
/// the miner grains with a timeout, scores the answers with the task's scorer, keeps a moving average per hotkey, and
/// sets weights every <see cref="WeightsEveryBlocks"/> blocks by signed transaction. On a commit-reveal subnet it commits
/// the weights' hash instead (with a fresh salt, one commit at a time) and reveals them in the commit's reveal epoch.
/// </summary>
public sealed partial class ValidatorWorker(IGrainFactory grains, KeyPair coldkey, KeyPair hotkey, ushort netuid, string profile,
    string name, ILogger logger) : IDisposable
{
    private readonly ChainClient _chain = new(grains);
    private readonly Dictionary<string, double> _scores = [];
    private ulong _lastWeightsBlock;
    private PendingReveal? _pending;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    public ulong WeightsEveryBlocks { get; init; } = 5;

    /// <summary>Weight of the newest score in the moving average.</summary>
    public double ScoreAlpha { get; init; } = 0.5;

    /// <summary>The miner a <c>colluding</c> validator favours.</summary>
    public string? Favoured { get; init; }

    public string Hotkey => hotkey.Address;

    public IReadOnlyDictionary<string, double> Scores => _scores;

    /// <summary>The last round's raw scores (0 = no or a wrong answer).</summary>
    public IReadOnlyDictionary<string, double> LastRound { get; private set; } = new Dictionary<string, double>();

    /// <summary>Registers, stakes <paramref name="stakeTao"/> TAO from the coldkey, serves the axon.</summary>
    public async Task RegisterAsync(ulong stakeTao)
    {
        var view = await grains.GetGrain<IHotkeyGrain>(hotkey.Address).GetAsync();
        if (!view.Registrations.ContainsKey(netuid))
            await _chain.SubmitAsync(coldkey, "burned_register", new JsonObject { ["netuid"] = netuid, ["hotkey"] = hotkey.Address });
        if (stakeTao > 0)
            await _chain.SubmitAsync(coldkey, "add_stake", new JsonObject { ["hotkey"] = hotkey.Address, ["netuid"] = netuid, ["amount"] = stakeTao * Tao.Rao });
        await _chain.ServeAxonAsync(hotkey, new JsonObject { ["netuid"] = netuid, ["ip"] = "127.0.0.1", ["port"] = 8092, ["name"] = name });
    }

    /// <summary>One round: challenge every other neuron concurrently and fold the scores into the moving averages.</summary>
    public async Task RoundAsync()
    {
        var subnet = await grains.GetGrain<ISubnetGrain>(netuid).GetInfoAsync() ?? throw new InvalidOperationException($"subnet {netuid} does not exist");
        var metagraph = (await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        var task = SubnetTasks.Get(string.IsNullOrEmpty(subnet.Hyperparameters.Task) ? "matmul" : subnet.Hyperparameters.Task);
        var challenge = task.CreateChallenge(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), netuid, hotkey.Address);
        var targets = metagraph.Neurons.Where(n => n.Hotkey != hotkey.Address && n.Hotkey != subnet.OwnerHotkey).ToList();
        var scores = await Task.WhenAll(targets.Select(n => ScoreAsync(task, ChainClient.Sign(challenge, hotkey, n.Hotkey, Timeout), n.Hotkey)));
        foreach (var (miner, score) in scores)
            _scores[miner] = _scores.TryGetValue(miner, out double old) ? ScoreAlpha * score + (1 - ScoreAlpha) * old : score;
        LastRound = scores.ToDictionary(s => s.Hotkey, s => s.Score);
    }

    /// <summary>
    /// One miner's score for <paramref name="challenge"/>: 0 for no answer, a late one, another miner's, one of the wrong
    /// shape, or any failure on the way — a miner can fail its own score, never the round.
    /// </summary>
    private async Task<(string Hotkey, double Score)> ScoreAsync(ISubnetTask task, Challenge challenge, string miner)
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            var answer = await grains.GetGrain<IMinerGrain>(miner).DispatchAsync(challenge, Timeout).WaitAsync(Timeout + TimeSpan.FromSeconds(1));
            var latency = Stopwatch.GetElapsedTime(start);
            if (answer is null || answer.Miner != miner || answer.Values.Length > 4 * Challenge.MaxSize * Challenge.MaxSize
                || !ChainClient.VerifyAnswer(challenge, answer)) return (miner, 0);
            double score = task.Score(challenge, answer.Values.AsSpan(), latency);
            return (miner, double.IsFinite(score) ? Math.Clamp(score, 0, 1) : 0);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogMinerFailed(logger, name, miner, e.GetType().Name);
            return (miner, 0);
        }
    }

    /// <summary>The commit waiting for its reveal epoch, if any (commit-reveal subnets).</summary>
    public string? PendingCommit => _pending?.Hash;

    /// <summary>
    /// Sets weights when <see cref="WeightsEveryBlocks"/> blocks have passed; on a commit-reveal subnet, first reveals a
    /// commit whose reveal epoch has come, then commits the current weights unless a commit still waits. Returns whether
    /// it set, committed or revealed weights.
    /// </summary>
    public async Task<bool> MaybeSetWeightsAsync()
    {
        var chain = await grains.GetGrain<IChainGrain>(IChainGrain.Key).GetInfoAsync();
        var subnet = await grains.GetGrain<ISubnetGrain>(netuid).GetInfoAsync() ?? throw new InvalidOperationException($"subnet {netuid} does not exist");
        bool commitReveal = subnet.Hyperparameters.CommitRevealWeightsEnabled;
        bool revealed = commitReveal && await RevealDueAsync(subnet);
        if (_lastWeightsBlock != 0 && chain.Block - _lastWeightsBlock < WeightsEveryBlocks) return revealed;
        if (commitReveal && _pending is not null) return revealed;
        var metagraph = (await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync())!;
        var uidOf = metagraph.Neurons.ToDictionary(n => n.Hotkey, n => n.Uid);
        List<(ushort Uid, ushort Weight)> weights = profile switch
        {
            "weight-copier" => await CopiedWeightsAsync(metagraph),
            "colluding" => [.. metagraph.Neurons.Where(n => n.Hotkey == (Favoured ?? "")).Select(n => (n.Uid, (ushort)65535))],
            _ => Normalized(_scores.Where(s => uidOf.ContainsKey(s.Key)).Select(s => (uidOf[s.Key], s.Value))),
        };
        if (weights.Count == 0) return revealed;
        if (commitReveal) return await CommitAsync(subnet, weights) || revealed;
        var outcome = await _chain.SubmitAsync(hotkey, "set_weights", new JsonObject
        {
            ["netuid"] = netuid,
            ["uids"] = new JsonArray(weights.Select(w => (JsonNode)w.Uid).ToArray()),
            ["weights"] = new JsonArray(weights.Select(w => (JsonNode)w.Weight).ToArray()),
        }, throwOnReject: false);
        if (!outcome.Ok)
        {
            LogWeightsRejected(logger, name, outcome.Code ?? "", outcome.Message ?? "");
            return false;
        }
        _lastWeightsBlock = outcome.Block;
        return true;
    }

    /// <summary>Commits the hash of <paramref name="weights"/> with a fresh salt and remembers what to reveal, and when.</summary>
    private async Task<bool> CommitAsync(SubnetInfo subnet, List<(ushort Uid, ushort Weight)> weights)
    {
        ushort[] uids = [.. weights.Select(w => w.Uid)], values = [.. weights.Select(w => w.Weight)], salt = WeightCommitHash.NewSalt();
        ulong versionKey = subnet.Hyperparameters.WeightsVersionKey;
        string hash = WeightCommitHash.Compute(hotkey.PublicKey, netuid, uids, values, salt, versionKey);
        var outcome = await _chain.SubmitAsync(hotkey, "commit_weights", new JsonObject { ["netuid"] = netuid, ["commit_hash"] = hash }, throwOnReject: false);
        if (!outcome.Ok)
        {
            LogWeightsRejected(logger, name, outcome.Code ?? "", outcome.Message ?? "");
            return false;
        }
        _lastWeightsBlock = outcome.Block;
        var commits = await grains.GetGrain<ISubnetGrain>(netuid).GetCommitsAsync(hotkey.Address);
        // The subnet grain may not have applied the commit yet: then its epoch is the one the chain is in.
        ulong epoch = commits.FirstOrDefault(c => c.Hash == hash)?.Epoch ?? subnet.EpochIndex;
        _pending = new PendingReveal(hash, epoch + subnet.Hyperparameters.CommitRevealPeriod, new JsonObject
        {
            ["netuid"] = netuid,
            ["uids"] = new JsonArray([.. uids.Select(u => (JsonNode)u)]),
            ["values"] = new JsonArray([.. values.Select(v => (JsonNode)v)]),
            ["salt"] = new JsonArray([.. salt.Select(v => (JsonNode)v)]),
            ["version_key"] = versionKey,
        });
        return true;
    }

    /// <summary>Reveals the pending commit in its reveal epoch; forgets it once that epoch has passed.</summary>
    private async Task<bool> RevealDueAsync(SubnetInfo subnet)
    {
        if (_pending is not { } pending || subnet.EpochIndex < pending.RevealEpoch) return false;
        _pending = null;
        if (subnet.EpochIndex > pending.RevealEpoch)
        {
            LogWeightsRejected(logger, name, "ExpiredWeightCommit", $"the commit {pending.Hash} was not revealed in epoch {pending.RevealEpoch}");
            return false;
        }
        var outcome = await _chain.SubmitAsync(hotkey, "reveal_weights", pending.Args, throwOnReject: false);
        if (!outcome.Ok) LogWeightsRejected(logger, name, outcome.Code ?? "", outcome.Message ?? "");
        return outcome.Ok;
    }

    /// <summary>What a commit will reveal, and in which epoch.</summary>
    private sealed record PendingReveal(string Hash, ulong RevealEpoch, JsonObject Args);

    private async Task<List<(ushort, ushort)>> CopiedWeightsAsync(MetagraphView metagraph) =>
        WeightCopier.Copy(metagraph.Neurons.Select(n => (n.Hotkey, n.Stake)), await grains.GetGrain<ISubnetGrain>(netuid).GetWeightsAsync(), hotkey.Address);

    private static List<(ushort, ushort)> Normalized(IEnumerable<(ushort Uid, double Score)> scores)
    {
        var list = scores.Where(s => s.Score > 0).ToList();
        if (list.Count == 0) return [];
        double max = list.Max(s => s.Score);
        return [.. list.Select(s => (s.Uid, (ushort)Math.Max(1, Math.Round(s.Score / max * 65535))))];
    }

    public void Dispose()
    {
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Validator {Name}: miner {Miner} failed its challenge ({Error})")]
    private static partial void LogMinerFailed(ILogger logger, string name, string miner, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Validator {Name}: weights not set ({Code}: {Reason})")]
    private static partial void LogWeightsRejected(ILogger logger, string name, string code, string reason);
}
