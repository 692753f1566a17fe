namespace Bittensor.Grains;

/// <summary>Persisting a grain's applied batch.</summary>
internal static class GrainWrites
{
    /// <summary>
    /// Writes the state; if the write fails the in-memory state (already mutated, with the batch's sequence number)
    /// is replaced by the stored one before the error propagates, so that the chain's retry applies the batch again
    /// instead of finding it "already applied".
    /// </summary>
    public static async Task WriteOrReloadAsync<T>(IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            await state.ReadStateAsync();
            throw;
        }
    }
}
