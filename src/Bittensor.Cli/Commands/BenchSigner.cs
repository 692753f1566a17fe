using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Keys;

namespace Bittensor.Cli.Commands;

/// <summary>
/// A benchmark key that signs and submits its own transactions one at a time, tracking its next nonce locally (the
/// chain consumes a nonce only when the call is applied); a stale or future nonce is re-read and retried.
/// </summary>
internal sealed class BenchSigner(NetworkClient client, BenchChain chain, KeyPair key) : IDisposable
{
    private ulong? _nonce;

    public KeyPair Key { get; } = key;

    public string Address => Key.Address;

    /// <summary>A key derived from <paramref name="name"/> (SHA-256 of <c>bittensor-bench/name</c> as the Ed25519 seed): the same every run.</summary>
    public static KeyPair Derive(string name) => KeyPair.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes($"bittensor-bench/{name}")));

    /// <summary>Signs <paramref name="call"/> with the next nonce and submits it; returns {block, result} or throws <see cref="NetworkException"/>.</summary>
    public async Task<JsonElement> SubmitAsync(string call, JsonObject args, CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            _nonce ??= (await client.GetAsync($"/api/accounts/{Address}", cancellationToken)).GetProperty("nextNonce").GetUInt64();
            try
            {
                // JsonObject nodes have one parent: sign a copy, so that a retry can sign again.
                var target = await chain.TargetAsync(cancellationToken);
                var result = await client.SubmitAsync(SignedTransaction.Create(Key, target, _nonce.Value, call, (JsonObject)args.DeepClone()),
                    cancellationToken: cancellationToken);
                _nonce++;
                return result;
            }
            catch (NetworkException e) when (e.Code is "StaleNonce" or "FutureNonce" && attempt < 3)
            {
                _nonce = null;
            }
            catch (NetworkException e) when (e.Code is "TransactionExpired" && attempt < 3)
            {
                chain.Renew();
            }
            catch (Exception e) when (e is OperationCanceledException or NetworkException { Transient: true })
            {
                // The request may or may not have been applied: read the nonce again before the next one.
                _nonce = null;
                throw;
            }
        }
    }

    public void Dispose() => Key.Dispose();
}

/// <summary>The chain a benchmark's keys sign for: id, genesis hash and a mortality of an hour, renewed when it runs out.</summary>
internal sealed class BenchChain(NetworkClient client)
{
    private ChainTarget? _target;

    public async ValueTask<ChainTarget> TargetAsync(CancellationToken cancellationToken) =>
        _target ??= ChainTarget.FromChainJson(await client.GetAsync("/api/chain", cancellationToken), TimeSpan.FromHours(1));

    public void Renew() => _target = null;
}
