namespace Bittensor.Grains;

/// <summary>
/// Routes validators' challenges to a miner's Orleans client through its observer. The subscription lives in memory
/// (it is gone if this grain's silo fails), so miners renew it every few seconds; dispatches interleave, so one slow
/// answer never holds up other validators.
/// </summary>
public sealed class MinerGrain : Grain, IMinerGrain
{
    private IMinerObserver? _observer;

    public Task<bool> SubscribeAsync(IMinerObserver observer, string proof)
    {
        string hotkey = this.GetPrimaryKeyString();
        long minute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        bool valid = Keys.Hashes.IsHex(proof, 128)
            && (Verify(hotkey, minute, proof) || Verify(hotkey, minute - 1, proof));
        if (!valid) return Task.FromResult(false);
        _observer = observer;
        DelayDeactivation(TimeSpan.FromMinutes(2));
        return Task.FromResult(true);
    }

    private static bool Verify(string hotkey, long minute, string proof) =>
        Bittensor.Keys.KeyPair.Verify(hotkey, IMinerGrain.SubscriptionMessage(hotkey, minute), Convert.FromHexString(proof.AsSpan(2)));

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
