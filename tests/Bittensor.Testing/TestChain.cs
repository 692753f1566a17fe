using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bittensor.Grains;
using Bittensor.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Bittensor.Testing;

/// <summary>
/// The one configuration of the test silos: a development chain stepped by the tests (no clock unless a test starts it),
/// 1 s blocks, tempo 10, a faucet, 1,000,000 τ of genesis issuance and a 100 τ minimum lock; tests override single keys.
/// </summary>
public static class TestChain
{
    /// <summary>What a Production silo on shared storage needs (issue 9): links in plaintext on loopback, and the cluster's secret.</summary>
    public static IReadOnlyDictionary<string, string?> ProductionCluster { get; } = new Dictionary<string, string?>
    {
        ["Orleans:Tls:AllowPlaintext"] = "true",
        ["Orleans:ClusterSecret"] = "test-cluster-secret-0123456789abcdef-0123",
    };

    /// <summary>Genesis issuance of a test chain, rao.</summary>
    public const ulong GenesisIssuance = 1_000_000 * Tao.Rao;

    /// <summary>
    /// The test cluster's chain settings below as <see cref="ChainRules"/>: for the runtime's in-memory chains that twin it
    /// (tempo 10, owners setting root parameters freely, subnets started at creation, children in force after 5 blocks, no
    /// network or serving rate limits, no fees).
    /// </summary>
    public static ChainRules Rules { get; } = new()
    {
        Id = "test", Faucet = true, NewSubnetTempo = 10, MinLockCost = 100 * Tao.Rao,
        OwnerRootParameters = true, AdminFreezeWindow = 0, OwnerHyperparameterRateLimitTempos = 0, StartSubnetsAtCreation = true,
        PendingChildKeyCooldown = 5, NetworkRateLimit = 0, ServingRateLimit = 0, WeightFee = 0,
    };

    /// <summary>The chain settings (section <c>Chain</c>) of a test chain named <paramref name="chainId"/>, then <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> Settings(string chainId, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Chain:Id"] = chainId,
            ["Chain:BlockTime"] = "00:00:01",
            ["Chain:NewSubnetTempo"] = "10",
            ["Chain:Faucet"] = "true",
            ["Chain:GenesisIssuance"] = Invariant(GenesisIssuance),
            ["Chain:MinLockCost"] = Invariant(100 * Tao.Rao),
            ["Chain:AutoStart"] = "false",
            ["Chain:TrustClients"] = "true", // the tests drive a private cluster directly
            ["Chain:Testnet"] = "true", // which Production allows only on a test network
            // Owners set any hyperparameter at any block on a test chain with tempo 10 (HyperparameterRulesTests check the real rules).
            ["Chain:OwnerRootParameters"] = "true",
            ["Chain:AdminFreezeWindow"] = "0",
            ["Chain:OwnerHyperparameterRateLimitTempos"] = "0",
            // Subnets emit from creation (SubnetLifecycleTests check start_call with the real rule).
            ["Chain:StartSubnetsAtCreation"] = "true",
            // Children apply 5 blocks after set_children (subtensor: 7,200), so tests see them in force.
            ["Chain:PendingChildKeyCooldown"] = "5",
            // Tests create subnets and serve axons block after block, and most assert balances to the rao: subtensor's network
            // and serving rate limits and fees are off here (SubtensorRateLimitTests and FeeTests run with them on).
            ["Chain:NetworkRateLimit"] = "0",
            ["Chain:ServingRateLimit"] = "0",
            ["Chain:WeightFee"] = "0",
        };
        foreach (var (key, value) in overrides ?? []) settings[key] = value;
        return settings;
    }

    /// <summary>
    /// <see cref="Settings"/> for a whole host (silo, REST API, dashboard): free Orleans ports and a cluster of its own,
    /// then <paramref name="overrides"/>.
    /// </summary>
    public static Dictionary<string, string?> HostSettings(string chainId, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var settings = Settings(chainId);
        settings["Orleans:SiloPort"] = Invariant(FreePort());
        settings["Orleans:GatewayPort"] = Invariant(FreePort());
        settings["Orleans:ClusterId"] = $"test-{Guid.NewGuid():N}";
        settings["Orleans:Dashboard"] = "true";
        settings["Api:Swagger"] = "true";
        settings["Api:RateLimit:PerIp"] = "0"; // tests send thousands of requests from one address; RateLimitTests turn limits on
        settings["Api:RateLimit:PerSigner"] = "0";
        foreach (var (key, value) in ProductionCluster) settings[key] = value; // for the hosts on Azure Tables in Production
        foreach (var (key, value) in overrides ?? []) settings[key] = value;
        return settings;
    }

    /// <summary>Settings as command-line arguments (<c>--Key=value</c>), for hosts built from <c>args</c>.</summary>
    public static string[] ToArgs(IEnumerable<KeyValuePair<string, string?>> settings) =>
        [.. settings.Select(kv => $"--{kv.Key}={kv.Value}")];

    /// <summary>
    /// An in-process Orleans cluster of <paramref name="silos"/> silos running the Bittensor grains with
    /// <paramref name="settings"/>; <paramref name="configure"/> adds grain storage and anything else a test needs.
    /// </summary>
    public static InProcessTestCluster Cluster(int silos, IReadOnlyDictionary<string, string?> settings, Action<ISiloBuilder> configure, Action<IClientBuilder>? configureClient = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        if (configureClient is not null) builder.ConfigureClient(configureClient);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) =>
        {
            configure(silo);
            silo.Services.AddBittensorGrains();
        });
        return builder.Build();
    }

    /// <summary>A TCP port free on the loopback interface now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A value as configuration text (invariant culture).</summary>
    public static string Invariant(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;
}
