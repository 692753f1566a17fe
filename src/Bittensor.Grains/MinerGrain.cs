namespace Bittensor.Grains;

/// <summary>
/// Routes validators' challenges to a miner's Orleans client through its observer. The subscription lives in memory
/// (it is gone if this grain's silo fails), so miners renew it every few seconds; dispatches interleave, so one slow
/// answer never holds up other validators.
/// </summary>
public sealed class MinerGrain : Grain, IMinerGrain
{
    private IMinerObserver? _observer;

    public Task SubscribeAsync(IMinerObserver observer)
    {
        _observer = observer;
        DelayDeactivation(TimeSpan.FromMinutes(2));
        return Task.CompletedTask;
    }

    public async Task<Answer?> DispatchAsync(Challenge challenge, TimeSpan timeout)
    {
        var observer = _observer;
        if (observer is null) return null;
        try
        {
            return await observer.SolveAsync(challenge).WaitAsync(timeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or ClientNotAvailableException or InvalidOperationException)
        {
            return null;
        }
    }
}
