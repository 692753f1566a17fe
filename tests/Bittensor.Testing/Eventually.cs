namespace Bittensor.Testing;

/// <summary>
/// Waits for a condition, never for a fixed time: polls until it holds, and fails with what was awaited once a
/// generous deadline passes (the deadline only bounds a failing test; a passing one waits as little as it can).
/// </summary>
public static class Eventually
{
    /// <summary>The default deadline: generous, for 2 cores shared with other builds.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Completes once <paramref name="condition"/> holds; <see cref="TimeoutException"/> naming <paramref name="what"/> after the deadline.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null) =>
        ValueAsync(async () => await condition() ? true : (bool?)null, what, deadline);

    /// <summary>
    /// The first value <paramref name="probe"/> returns that is not null; <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> after the deadline.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? deadline = null) where T : struct
    {
        var until = DateTime.UtcNow + (deadline ?? Deadline);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"timed out after {(deadline ?? Deadline).TotalSeconds:0} s waiting for {what}");
            await Task.Delay(Interval);
        }
    }
}
