namespace Bittensor.Grains.Tests;

/// <summary>Scripted network helpers: every operation must succeed unless the test expects a rejection.</summary>
public sealed class Network(ClusterFixture fixture, string prefix)
{
    public IChainGrain Chain => fixture.Chain;

    public IGrainFactory Grains => fixture.Grains;

    /// <summary>A unique address for this test (addresses are strings; SS58 comes with signed transactions).</summary>
    public string Key(string name) => $"{prefix}-{name}";

    public async Task<OpResult> Ok(Operation op)
    {
        var r = await Chain.ExecuteAsync(op);
        Assert.True(r.Ok, $"{op.GetType().Name} failed: {r.Code}: {r.Message}");
        return r;
    }

    public async Task Fund(string account, ulong tao) => await Ok(new Faucet { Signer = account, Amount = tao * Tao.Rao });

    public async Task<ulong> Balance(string account) => (await Grains.GetGrain<IAccountGrain>(account).GetAsync()).Balance;

    public async Task AssertAudit()
    {
        var audit = await Chain.AuditAsync();
        Assert.True(audit.Ok, $"audit failed: {audit}");
    }
}
