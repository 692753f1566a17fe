using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>
/// The benchmark's network, built through the REST API with signed transactions only: per subnet an owner coldkey
/// (which creates it, sets its hyperparameters and stakes on the validators) and N − 1 hotkeys registered by a pool
/// of registrar coldkeys, concurrently (so UIDs follow arrival); the validators are the owner hotkey and V − 1 of them.
/// Keys derive from fixed names, so every run builds the same network.
/// </summary>
internal sealed class BenchNetwork : IDisposable
{
    /// <summary>Funding per owner and per registrar, stake per validator and the registration burn, in rao.</summary>
    public sealed record Economics(ulong OwnerFunds, ulong RegistrarFunds, ulong Stake, ulong Burn);

    private const int MaxAttempts = 20;

    private readonly List<BenchSigner> _signers = [];

    private BenchNetwork(int uids) => Uids = uids;

    public int Uids { get; }

    public List<ushort> Netuids { get; } = [];

    /// <summary>Every validator hotkey (signing its own set_weights) with its subnet.</summary>
    public List<(BenchSigner Signer, ushort Netuid)> Validators { get; } = [];

    public static async Task<BenchNetwork> SetUpAsync(NetworkClient client, BenchChain chain, int subnets, int uids, int validators, int signers,
        Economics money, ulong rateLimit, TimeSpan blockTime, TextWriter progress, CancellationToken cancellationToken)
    {
        var network = new BenchNetwork(uids);
        try
        {
            await network.BuildAsync(client, chain, subnets, uids, validators, signers, money, rateLimit, blockTime, progress, cancellationToken);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private BenchSigner Signer(NetworkClient client, BenchChain chain, string name)
    {
        var signer = new BenchSigner(client, chain, BenchSigner.Derive(name));
        _signers.Add(signer);
        return signer;
    }

    private static string HotkeyName(int subnet, int uid) => string.Create(CultureInfo.InvariantCulture, $"hotkey-{subnet}-{uid}");

    private static string AddressOf(string name)
    {
        using var key = BenchSigner.Derive(name);
        return key.Address;
    }

    private async Task BuildAsync(NetworkClient client, BenchChain chain, int subnets, int uids, int validators, int signers,
        Economics money, ulong rateLimit, TimeSpan blockTime, TextWriter progress, CancellationToken cancellationToken)
    {
        var time = Stopwatch.StartNew();
        var owners = Enumerable.Range(0, subnets).Select(s => Signer(client, chain, $"owner-{s}")).ToList();
        var registrars = Enumerable.Range(0, Math.Min(signers, Math.Max(1, subnets * (uids - 1)))).Select(j => Signer(client, chain, $"registrar-{j}")).ToList();
        var validatorKeys = Enumerable.Range(0, subnets).Select(s => Enumerable.Range(0, validators).Select(u => Signer(client, chain, HotkeyName(s, u))).ToList()).ToList();

        // Funds: one faucet draw per coldkey.
        await ForEachAsync(owners.Select(o => (o, money.OwnerFunds)).Concat(registrars.Select(r => (r, money.RegistrarFunds))), signers,
            (item, ct) => SubmitAsync(item.Item1, "faucet", new JsonObject { ["amount"] = item.Item2 }, blockTime, ct), cancellationToken);
        await progress.WriteLineAsync($"bench network: funded {owners.Count + registrars.Count} coldkeys ({time.Elapsed.TotalSeconds:0.0} s)");

        // Subnets, one after another: a second creation in the same block would pay twice the lock.
        for (int s = 0; s < subnets; s++)
        {
            // Not retried after a transient failure: it might have created the subnet.
            var answer = await SubmitAsync(owners[s], "register_network", new JsonObject { ["hotkey"] = validatorKeys[s][0].Address }, blockTime,
                cancellationToken, retry: e => e.Code == "InsufficientBalance");
            Netuids.Add(answer!.Value.GetProperty("result").GetProperty("netuid").GetUInt16());
        }
        await progress.WriteLineAsync($"bench network: created {subnets} subnets ({time.Elapsed.TotalSeconds:0.0} s)");

        // Hyperparameters; max_allowed_validators ≤ max_allowed_uids holds after each step in this order.
        var settings = new List<(string Name, string Value)> { ("max_burn", money.Burn.ToString(CultureInfo.InvariantCulture)), ("weights_rate_limit", rateLimit.ToString(CultureInfo.InvariantCulture)) };
        var sizes = new[] { ("max_allowed_validators", validators), ("max_allowed_uids", uids) };
        settings.AddRange((validators <= new SubnetHyperparameters().MaxAllowedUids ? sizes : sizes.Reverse()).Select(x => (x.Item1, x.Item2.ToString(CultureInfo.InvariantCulture))));
        await ForEachAsync(Enumerable.Range(0, subnets), signers, async (s, ct) =>
        {
            foreach (var (name, value) in settings)
                await SubmitAsync(owners[s], "set_hyperparameter", new JsonObject { ["netuid"] = Netuids[s], ["name"] = name, ["value"] = value }, blockTime, ct);
        }, cancellationToken);

        // Registrations: UID-major across subnets, dealt round-robin to the registrars; each registrar's nonces are sequential.
        var work = (from u in Enumerable.Range(1, uids - 1) from s in Enumerable.Range(0, subnets) select (s, u)).ToList();
        long registered = 0;
        var report = Stopwatch.StartNew();
        await ForEachAsync(Enumerable.Range(0, registrars.Count), registrars.Count, async (j, ct) =>
        {
            for (int i = j; i < work.Count; i += registrars.Count)
            {
                var (s, u) = work[i];
                string hotkey = u < validators ? validatorKeys[s][u].Address : AddressOf(HotkeyName(s, u));
                await SubmitAsync(registrars[j], "burned_register", new JsonObject { ["netuid"] = Netuids[s], ["hotkey"] = hotkey }, blockTime, ct,
                    appliedCode: "AlreadyRegistered");
                long done = Interlocked.Increment(ref registered);
                lock (report)
                {
                    if (report.Elapsed < TimeSpan.FromSeconds(5)) continue;
                    report.Restart();
                    progress.WriteLine($"bench network: registered {done}/{work.Count} hotkeys ({time.Elapsed.TotalSeconds:0.0} s)");
                }
            }
        }, cancellationToken);
        await progress.WriteLineAsync($"bench network: registered {work.Count} hotkeys ({time.Elapsed.TotalSeconds:0.0} s)");

        // Stake: each owner on its subnet's validator hotkeys.
        await ForEachAsync(Enumerable.Range(0, subnets), signers, async (s, ct) =>
        {
            foreach (var v in validatorKeys[s])
                await SubmitAsync(owners[s], "add_stake", new JsonObject { ["hotkey"] = v.Address, ["netuid"] = Netuids[s], ["amount"] = money.Stake }, blockTime, ct);
        }, cancellationToken);
        for (int s = 0; s < subnets; s++) Validators.AddRange(validatorKeys[s].Select(v => (v, Netuids[s])));
        await progress.WriteLineAsync($"bench network: staked {subnets * validators} validators; waiting for their permits ({time.Elapsed.TotalSeconds:0.0} s)");

        await WaitForPermitsAsync(client, validators, blockTime, progress, cancellationToken);
    }

    /// <summary>Waits (at most 2 minutes) until an epoch of every subnet has given its validator hotkeys their permits.</summary>
    private async Task WaitForPermitsAsync(NetworkClient client, int validators, TimeSpan blockTime, TextWriter progress, CancellationToken cancellationToken)
    {
        var time = Stopwatch.StartNew();
        var pending = new Queue<ushort>(Netuids);
        int lacking = 0;
        while (pending.Count > 0 && time.Elapsed < TimeSpan.FromMinutes(2))
        {
            ushort netuid = pending.Peek();
            var hotkeys = Validators.Where(v => v.Netuid == netuid).Select(v => v.Signer.Address).ToHashSet();
            var metagraph = await client.GetAsync($"/api/subnets/{netuid}/metagraph", cancellationToken);
            lacking = validators - metagraph.GetProperty("neurons").EnumerateArray()
                .Count(n => n.GetProperty("validator_permit").GetBoolean() && hotkeys.Contains(n.GetProperty("hotkey").GetString()!));
            if (lacking == 0) pending.Dequeue();
            else await Task.Delay(blockTime * 2 > TimeSpan.FromMilliseconds(50) ? blockTime * 2 : TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        if (pending.Count > 0)
            await progress.WriteLineAsync($"bench network: warning: after 2 minutes {pending.Count} subnets still lack validator permits " +
                $"({lacking} of {validators} validators on subnet {pending.Peek()}); their weights will be refused");
    }

    /// <summary>
    /// Submits a setup call; while it fails in a way <paramref name="retry"/> accepts (by default: no answer or a server error, after
    /// which a call may or may not have been applied), waits two block times and tries again (bounded). After such a retry,
    /// <paramref name="appliedCode"/> means the first attempt was applied: null is returned.
    /// </summary>
    private static async Task<JsonElement?> SubmitAsync(BenchSigner signer, string call, JsonObject args, TimeSpan blockTime, CancellationToken cancellationToken,
        Func<NetworkException, bool>? retry = null, string? appliedCode = null)
    {
        retry ??= e => e.Transient;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await signer.SubmitAsync(call, args, cancellationToken);
            }
            catch (NetworkException e) when (attempt > 1 && e.Code == appliedCode)
            {
                return null;
            }
            catch (NetworkException e) when (attempt < MaxAttempts && retry(e))
            {
                await Task.Delay(blockTime * 2, cancellationToken);
            }
        }
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (item, ct) => await body(item, ct));

    public void Dispose()
    {
        foreach (var signer in _signers) signer.Dispose();
        _signers.Clear();
    }
}
