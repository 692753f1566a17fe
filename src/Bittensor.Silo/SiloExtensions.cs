using Orleans.Dashboard;
using System.Net;
using Azure.Data.Tables;
using Bittensor.Grains;
using Bittensor.Silo.Security;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Bittensor.Silo.Hosting;

namespace Bittensor.Silo;

/// <summary>How the silo stores membership and grain state (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Memory</c> (a one-silo development network) or <c>AzureTable</c> (Azure Table storage or Azurite).</summary>
    public string Kind { get; set; } = "Memory";

    /// <summary>Azure Table connection string (or <c>ConnectionStrings:tables</c>).</summary>
    public string? ConnectionString { get; set; }
}

public static class SiloExtensions
{
    /// <summary>
    /// An Azure Table client that fails fast (two quick retries): when storage is down the chain pauses and answers
    /// 503 within a second or two instead of holding every caller behind the SDK's long default backoff.
    /// </summary>
    public static TableServiceClient Tables(string connection) => new(connection, new TableClientOptions
    {
        Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), NetworkTimeout = TimeSpan.FromSeconds(20) },
    });

    /// <summary>
    /// Grain state in Azure Tables with Orleans' own version-tolerant serializer (keyed by type aliases, so state types
    /// can be renamed or moved), and cleared entities (superseded chunks) deleted, not left empty.
    /// </summary>
    private static void ConfigureChainTables(IServiceCollection services) =>
        services.AddOptions<AzureTableStorageOptions>(StorageNames.Chain).Configure<Serializer>((o, serializer) =>
        {
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            o.DeleteStateOnClear = true;
        });

    /// <summary>In-memory grain state with Orleans' binary serializer too (the default, JSON, base64-encodes every part).</summary>
    private static void ConfigureMemoryState(IServiceCollection services) =>
        services.AddOptions<MemoryGrainStorageOptions>(StorageNames.Chain).Configure<Serializer>((o, serializer) =>
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

    /// <summary>Listens on <paramref name="address"/> unless URLs were configured (--urls, ASPNETCORE_URLS, "Urls").</summary>
    public static void UseDefaultAddress(this WebApplicationBuilder builder, string address)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(address);
    }

    /// <summary>
    /// The Orleans silo: cluster "bittensor", grains and their options, and storage by configuration — in memory with
    /// localhost clustering by default; Azure Table membership and grain state with <c>Storage:Kind=AzureTable</c>.
    /// Grain state is written with Orleans' own version-tolerant serializer keyed by type aliases, so state types can be
    /// renamed or moved without breaking stored state.
    /// </summary>
    /// <summary>
    /// Whether the Orleans dashboard is served (<c>Orleans:Dashboard</c>; default: in Development only — it profiles
    /// every grain call and shows grain state, so Production leaves it off unless an operator turns it on).
    /// </summary>
    public static bool DashboardEnabled(this IHostApplicationBuilder builder) => builder.DevelopmentOnly("Orleans:Dashboard");

    /// <summary>Whether OpenAPI and Swagger UI are served (<c>Api:Swagger</c>; default: in Development only).</summary>
    public static bool SwaggerEnabled(this IHostApplicationBuilder builder) => builder.DevelopmentOnly("Api:Swagger");

    /// <summary>A switch that is on in Development and off elsewhere unless <paramref name="key"/> says otherwise (empty = unset).</summary>
    private static bool DevelopmentOnly(this IHostApplicationBuilder builder, string key) =>
        string.IsNullOrEmpty(builder.Configuration[key]) ? builder.Environment.IsDevelopment() : builder.Configuration.GetValue<bool>(key);

    public static WebApplicationBuilder AddBittensorSilo(this WebApplicationBuilder builder)
    {
        bool dashboard = builder.DashboardEnabled();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var cluster = ClusterSettings.Bind(key => builder.Configuration[key]);
        builder.Services.AddBittensorGrains();
        if (!string.IsNullOrEmpty(builder.Configuration["Orleans:Clustering:ProviderType"]))
        {
            // Under Aspire: clustering and grain storage come from Orleans__* configuration; the Azure Table clients are keyed
            // by connection-string name; Aspire assigns the ports, so only the advertised address is set here.
            foreach (var cs in builder.Configuration.GetSection("ConnectionStrings").GetChildren())
                builder.Services.AddKeyedSingleton(cs.Key, (_, _) => Tables(cs.Value!));
            builder.UseOrleans(silo =>
            {
                silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
                silo.AddActivityPropagation();
                silo.UseBittensorSecurity(builder, sharedStorage: true);
                if (dashboard) silo.AddDashboard();
                ConfigureChainTables(silo.Services);
            });
            return builder;
        }
        builder.UseOrleans(silo =>
        {
            if (dashboard) silo.AddDashboard();
            silo.AddActivityPropagation();
            silo.UseBittensorSecurity(builder, sharedStorage: storage.Kind != "Memory");
            switch (storage.Kind)
            {
                case "Memory":
                    silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                    silo.AddMemoryGrainStorage(StorageNames.Chain);
                    ConfigureMemoryState(silo.Services);
                    break;
                case "AzureTable":
                    string connection = storage.ConnectionString ?? builder.Configuration.GetConnectionString("tables")
                        ?? throw new InvalidOperationException("Storage:Kind is AzureTable but neither Storage:ConnectionString nor ConnectionStrings:tables is set");
                    silo.UseClusterSettings(cluster, builder.Environment);
                    silo.Services.AddSingleton(new StorageProbe(Tables(connection)));
                    silo.UseAzureStorageClustering(o => o.TableServiceClient = Tables(connection));
                    silo.AddAzureTableGrainStorage(StorageNames.Chain, o => o.TableServiceClient = Tables(connection));
                    ConfigureChainTables(silo.Services);
                    break;
                default:
                    throw new InvalidOperationException($"Storage:Kind must be Memory or AzureTable, not '{storage.Kind}'");
            }
        });
        return builder;
    }
}
