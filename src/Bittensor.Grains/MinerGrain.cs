using System.Security.Cryptography;

namespace Bittensor.Grains;

/// <summary>
/// Routes validators' challenges to a miner's Orleans client through its observer. The subscription lives in memory
/// (it is gone if this grain's silo fails), so miners renew it every few seconds; dispatches interleave, so one slow
/// answer never holds up other validators.
/// </summary>
public sealed class MinerGrain : Grain, IMinerGrain
{
    /// <summary>Nonces outstanding at once (the oldest goes first) and how long one stays valid.</summary>
    private const int MaxNonces = 64;
    private static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(1);

    private IMinerObserver? _observer;
    private readonly Dictionary<string, DateTime> _nonces = new(StringComparer.Ordinal);

    public Task<string> GetSubscriptionNonceAsync()
    {
        var now = DateTime.UtcNow;
        foreach (var (old, issued) in _nonces.ToList())
            if (now - issued > NonceLifetime) _nonces.Remove(old);
        while (_nonces.Count >= MaxNonces) _nonces.Remove(_nonces.MinBy(kv => kv.Value).Key);
        string nonce = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _nonces[nonce] = now;
        return Task.FromResult(nonce);
    }

    public Task<bool> SubscribeAsync(IMinerObserver observer, string nonce, string proof)
    {
        string hotkey = this.GetPrimaryKeyString();
        // A nonce is spent by any attempt, right or wrong: a proof can be tried once.
        if (observer is null || nonce is null || !_nonces.Remove(nonce, out var issued) || DateTime.UtcNow - issued > NonceLifetime) return Task.FromResult(false);
        bool valid = Keys.Hashes.IsHex(proof, 128)
            && Keys.KeyPair.Verify(hotkey, IMinerGrain.SubscriptionMessage(hotkey, nonce, observer.GetGrainId()), Convert.FromHexString(proof.AsSpan(2)));
        if (!valid) return Task.FromResult(false);
        _observer = observer;
        DelayDeactivation(TimeSpan.FromMinutes(2));
        return Task.FromResult(true);
    }

    public async Task<Answer?> DispatchAsync(Challenge challenge, TimeSpan timeout)
    {
        var observer = _observer;
        // Only challenges addressed to this miner, unexpired and within bounds reach it (the miner checks the signature).
        if (observer is null || !challenge.IsAdmissible(this.GetPrimaryKeyString(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())) return null;
        if (timeout > TimeSpan.FromSeconds(30)) timeout = TimeSpan.FromSeconds(30);
        try
        {
            return await observer.SolveAsync(challenge).WaitAsync(timeout);
        }
        catch (Exception)
        {
            // Whatever the miner's client does (throws, times out, disconnects), the validator gets "no answer".
            return null;
        }
    }
}
