using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Subnets;
using Microsoft.Extensions.Logging;

namespace Bittensor.Workers;

/// <summary>How a miner behaves: <c>honest</c>, <c>slow</c> (answers late), <c>lazy</c> (random answers), <c>copier</c> (relays another miner's answer).</summary>
public static class MinerProfiles
{
    public static readonly IReadOnlyList<string> All = ["honest", "slow", "lazy", "copier"];
}

/// <summary>
/// A miner as an Orleans client: registers its hotkey by signed transaction, publishes its axon (role and profile in
/// the name), and answers validators' challenges through its miner grain's observer — after checking that the request
/// is signed by a hotkey that holds a validator permit.
/// </summary>
public sealed partial class MinerWorker(IGrainFactory grains, KeyPair coldkey, KeyPair hotkey, ushort netuid, string profile,
    string name, IComputeBackend backend, ILogger logger, string model = "ar") : IMinerObserver
{
    private readonly ChainClient _chain = new(grains);
    private IMinerObserver? _reference;
    private (DateTime At, MetagraphView View)? _metagraph;

    /// <summary>How late a <c>slow</c> miner answers.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromMilliseconds(400);

    public string Hotkey => hotkey.Address;

    public string Profile => profile;

    /// <summary>Registers (paying the burn from the coldkey) unless already registered, and serves the axon.</summary>
    public async Task RegisterAsync()
    {
        var view = await grains.GetGrain<IHotkeyGrain>(hotkey.Address).GetAsync();
        if (!view.Registrations.ContainsKey(netuid))
            await _chain.SubmitAsync(coldkey, "burned_register", new JsonObject { ["netuid"] = netuid, ["hotkey"] = hotkey.Address });
        await _chain.ServeAxonAsync(hotkey, new JsonObject { ["netuid"] = netuid, ["ip"] = "127.0.0.1", ["port"] = 8091, ["name"] = name });
    }

    /// <summary>(Re)subscribes to the miner grain.</summary>
    public async Task SubscribeAsync()
    {
        _reference ??= grains.CreateObjectReference<IMinerObserver>(this);
        if (!await ChainClient.SubscribeAsync(grains, hotkey, _reference))
            throw new InvalidOperationException("the miner grain refused the subscription proof");
    }

    /// <summary>Renews the subscription every <paramref name="period"/> until cancelled, so a silo failure costs seconds.</summary>
    public async Task RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SubscribeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogResubscribe(logger, name, e.Message);
            }
            await Task.Delay(period, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<Answer?> SolveAsync(Challenge challenge)
    {
        if (challenge.Netuid != netuid || !challenge.IsAdmissible(hotkey.Address, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            || !ChainClient.VerifySignature(challenge)) return null;
        if (!await HasPermitAsync(challenge.Validator)) return null;
        ISubnetTask task;
        try
        {
            task = SubnetTasks.Get(challenge.Task);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
        switch (profile)
        {
            case "slow":
                await Task.Delay(SlowDelay);
                break;
            case "lazy":
                var rng = new SplitMix64(challenge.Seed ^ 0xDEAD);
                int length = task.Solve(challenge, backend, model).Length;
                return ChainClient.SignAnswer(challenge, [.. Enumerable.Range(0, length).Select(_ => rng.NextSigned())], hotkey);
            case "copier":
                return await CopyAsync(challenge);
        }
        return ChainClient.SignAnswer(challenge, [.. task.Solve(challenge, backend, model)], hotkey);
    }

    /// <summary>Relays the challenge to the best-paid other miner and passes its answer off as its own.</summary>
    private async Task<Answer?> CopyAsync(Challenge challenge)
    {
        var m = await MetagraphAsync();
        var target = m.Neurons.Where(n => n.Hotkey != hotkey.Address && n.Axon?.Name?.StartsWith("miner-", StringComparison.Ordinal) == true
                && n.Axon.Name?.Contains("copier", StringComparison.Ordinal) == false)
            .OrderByDescending(n => n.Incentive).ThenBy(n => n.Uid).FirstOrDefault();
        if (target is null) return null;
        var copied = await grains.GetGrain<IMinerGrain>(target.Hotkey).DispatchAsync(challenge, TimeSpan.FromSeconds(5));
        return copied is null ? null : ChainClient.SignAnswer(challenge, copied.Values, hotkey);
    }

    private async Task<bool> HasPermitAsync(string validator) =>
        (await MetagraphAsync()).Neurons.Any(n => n.Hotkey == validator && n.ValidatorPermit)
        || (await MetagraphAsync(refresh: true)).Neurons.Any(n => n.Hotkey == validator && n.ValidatorPermit);

    private async Task<MetagraphView> MetagraphAsync(bool refresh = false)
    {
        if (!refresh && _metagraph is { } cached && DateTime.UtcNow - cached.At < TimeSpan.FromSeconds(2)) return cached.View;
        var view = await grains.GetGrain<ISubnetGrain>(netuid).GetMetagraphAsync() ?? new MetagraphView(netuid, 0, ImmutableArray<NeuronView>.Empty);
        _metagraph = (DateTime.UtcNow, view);
        return view;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Miner {Name} could not renew its subscription: {Reason}")]
    private static partial void LogResubscribe(ILogger logger, string name, string reason);
}
