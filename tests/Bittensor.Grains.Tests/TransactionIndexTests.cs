using Bittensor.Testing;

namespace Bittensor.Grains.Tests;

/// <summary>
/// The stored transaction index (issue 9): bounded retention, whole pages leaving oldest first, and a final state
/// (applied, rejected, expired) never overwritten by a late one-way <c>pending</c>. Survival across a silo restart is
/// <c>AzureTablePersistenceTests.TransactionIndex_SurvivesASiloRestart</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TransactionIndexTests(ClusterFixture fixture)
{
    private static TransactionStatus Entry(string shard, int i, string state) => new()
    {
        Hash = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{shard}{i:x62}"), Signer = "alice", Nonce = (ulong)i, Call = "transfer",
        State = state, Block = (ulong)i,
    };

    [Fact]
    public async Task Retention_IsBounded_TheOldestPageLeavesWhole()
    {
        var shard = fixture.Grains.GetGrain<ITransactionIndex>("retention-test");
        int pages = TransactionIndexGrain.Pages + 1, size = TransactionIndexGrain.PageSize;
        async Task<int> VisibleAsync(int page)
        {
            int visible = 0;
            for (int i = page * size; i < (page + 1) * size; i++)
                if (await shard.GetAsync(Entry("ee", i, TransactionStatus.Applied).Hash) is not null) visible++;
            return visible;
        }
        // One page's worth at a time, each wholly recorded before the next (one-way calls may be reordered within a batch),
        // so the batches fill the shard's pages one for one.
        for (int page = 0; page < pages; page++)
        {
            for (int i = page * size; i < (page + 1) * size; i++) await shard.RecordAsync(Entry("ee", i, TransactionStatus.Applied));
            int current = page;
            await Eventually.UntilAsync(async () => await VisibleAsync(current) == size, $"page {page} recorded");
        }
        Assert.Equal(0, await VisibleAsync(0)); // the oldest page left whole
        for (int page = 1; page < pages; page++) Assert.Equal(size, await VisibleAsync(page));
    }

    [Fact]
    public async Task AFinalState_IsNotReplacedByALatePending()
    {
        var shard = fixture.Grains.GetGrain<ITransactionIndex>("order-test");
        var rejected = Entry("dd", 1, TransactionStatus.Rejected) with { Code = Codes.InsufficientBalance, Message = new string('x', 5_000) };
        await shard.RecordAsync(rejected);
        await shard.RecordAsync(Entry("dd", 1, TransactionStatus.Pending));
        await shard.RecordAsync(Entry("dd", 2, TransactionStatus.Pending));
        await shard.RecordAsync(Entry("dd", 2, TransactionStatus.Applied));
        await Eventually.UntilAsync(async () => await shard.GetAsync(Entry("dd", 2, "").Hash) is { State: TransactionStatus.Applied }, "applied");
        await Eventually.UntilAsync(async () => await shard.GetAsync(rejected.Hash) is not null, "rejected");
        var kept = await shard.GetAsync(rejected.Hash);
        Assert.Equal(TransactionStatus.Rejected, kept!.State);
        Assert.Equal(TransactionIndexGrain.MaxMessage, kept.Message!.Length); // a stored message is bounded
    }
}
