using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bittensor.Keys;
using Bittensor.Testing;

namespace Bittensor.Cloud.Tests;

/// <summary>The <c>Bittensor</c> meter and traces, and the health endpoints, on a real host.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly SiloFactory _factory = new();
    private readonly ConcurrentBag<(string Instrument, double Value, string Tags)> _measurements = [];
    private readonly ConcurrentBag<Activity> _activities = [];
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _traces;

    public TelemetryTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Bittensor") listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Keep(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Keep(i, v, tags));
        _meters.Start();
        _traces = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Add,
        };
        ActivitySource.AddActivityListener(_traces);
    }

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal))));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _meters.Dispose();
        _traces.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task TheMeter_CountsBlocksTransactionsAndEpochs_AndObservesPrices()
    {
        var http = _factory.CreateClient();
        var owner = KeyPair.Generate();
        Assert.Equal(HttpStatusCode.OK, (await Submit(http, owner, 0, "faucet", new JsonObject { ["amount"] = 1_000 * Tao.Rao })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Submit(http, owner, 1, "register_network", new JsonObject { ["hotkey"] = KeyPair.Generate().Address })).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await Submit(http, owner, 1, "transfer", new JsonObject { ["dest"] = owner.Address, ["amount"] = 1 })).StatusCode);
        await _factory.Chain.ProduceBlocksAsync(12);
        _meters.RecordObservableInstruments();

        var m = _measurements.ToList();
        Assert.Equal(12, m.Where(x => x.Instrument == "bittensor.blocks.produced").Sum(x => x.Value));
        Assert.Equal(12, m.Count(x => x.Instrument == "bittensor.block.step" && x.Value > 0));
        Assert.Contains(m, x => x.Instrument == "bittensor.transactions" && x.Tags == "call=faucet,outcome=ok");
        Assert.Contains(m, x => x.Instrument == "bittensor.transactions" && x.Tags == "call=register_network,outcome=ok");
        Assert.Contains(m, x => x.Instrument == "bittensor.transactions" && x.Tags.StartsWith("call=transfer,outcome=", StringComparison.Ordinal) && !x.Tags.EndsWith("=ok", StringComparison.Ordinal));
        Assert.Contains(m, x => x.Instrument == "bittensor.epoch.time" && x.Tags == "netuid=1");
        Assert.Contains(m, x => x.Instrument == "bittensor.pool.price" && x.Tags == "netuid=1" && x.Value > 0);
    }

    [Fact]
    public async Task ATransaction_IsOneTrace_FromTheRequestThroughTheGrainsToStorage()
    {
        var http = _factory.CreateClient();
        await Submit(http, KeyPair.Generate(), 0, "faucet", new JsonObject { ["amount"] = Tao.Rao });
        var request = _activities.Single(a => a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn" && a.DisplayName.Contains("POST", StringComparison.Ordinal));
        var trace = _activities.Where(a => a.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("TransactionsGrain", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(trace, a => a.Source.Name == "Bittensor" && a.OperationName == "storage write");
    }

    [Fact]
    public async Task Health_SplitsLiveFromReady_AndKeepsTheWhole()
    {
        var http = _factory.CreateClient();
        foreach (var path in new[] { "/health/live", "/health/ready", "/health" })
            Assert.Equal("Healthy", await http.GetStringAsync(path));
    }

    private static async Task<HttpResponseMessage> Submit(HttpClient http, KeyPair signer, ulong nonce, string call, JsonObject args) =>
        await http.PostAsync("/api/transactions", new StringContent(SignedTransaction.Create(signer, await Targets.OfAsync(http), nonce, call, args).ToJson(), Encoding.UTF8, "application/json"));
}
