using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Bittensor.Workers;

/// <summary>Connecting a worker process to the cluster as an Orleans client.</summary>
public static class ClientHosting
{
    /// <summary>
    /// Finds the cluster by, in order: Aspire's configuration (<c>Orleans:Clustering:ProviderType</c>, with a keyed
    /// <see cref="TableServiceClient"/> per connection string); a list of gateways (<c>Orleans:Gateways</c>); the clustering
    /// table (<c>Storage:Kind=AzureTable</c> with <c>Storage:ConnectionString</c> or <c>ConnectionStrings:tables</c>);
    /// else the development silo on localhost. Cluster and service id come from <see cref="ClusterSettings"/>, validated here.
    /// </summary>
    public static IHostApplicationBuilder AddBittensorClient(this IHostApplicationBuilder builder)
    {
        var cluster = ClusterSettings.Bind(key => builder.Configuration[key]);
        bool aspire = !string.IsNullOrEmpty(builder.Configuration["Orleans:Clustering:ProviderType"]);
        if (aspire)
            foreach (var cs in builder.Configuration.GetSection("ConnectionStrings").GetChildren())
                builder.Services.AddKeyedSingleton(cs.Key, (_, _) => new TableServiceClient(cs.Value));
        string? table = !aspire && builder.Configuration["Storage:Kind"] == "AzureTable"
            ? builder.Configuration["Storage:ConnectionString"] ?? builder.Configuration.GetConnectionString("tables")
                ?? throw new InvalidOperationException("Storage:Kind is AzureTable but neither Storage:ConnectionString nor ConnectionStrings:tables is set")
            : null;
        builder.UseOrleansClient(c =>
        {
            c.AddActivityPropagation();
            c.UseBittensorTls(builder.Configuration);
            c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ClientResponseTimeout);
            c.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.Membership.GatewayListRefreshPeriod);
            if (aspire) return;
            if (cluster.GatewayList().Count == 0 && table is null)
            {
                c.UseLocalhostClustering(cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                return;
            }
            c.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            if (cluster.GatewayList().Count > 0) c.UseStaticClustering([.. cluster.GatewayList().Select(Resolve)]);
            else c.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(table));
        });
        return builder;
    }

    /// <summary>A gateway <c>host:port</c> (validated by <see cref="ClusterSettings"/>) as an endpoint, resolving a DNS name once.</summary>
    private static IPEndPoint Resolve(string gateway)
    {
        ClusterSettings.TryParseEndpoint(gateway, out var e);
        var address = IPAddress.TryParse(e.Host, out var ip) ? ip
            : Dns.GetHostAddresses(e.Host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
              ?? throw new InvalidOperationException($"Orleans:Gateways: '{e.Host}' does not resolve to an IPv4 address");
        return new IPEndPoint(address, e.Port);
    }

    /// <summary>TLS to the gateway when <c>Orleans:Tls</c> names a certificate (the client presents it; the gateway's is checked by <see cref="TlsSettings.Accept"/>).</summary>
    public static IClientBuilder UseBittensorTls(this IClientBuilder client, IConfiguration configuration)
    {
        var tls = configuration.GetSection(TlsSettings.Section).Get<TlsSettings>() ?? new TlsSettings();
        if (!tls.Enabled) return client;
        return client.UseTls(tls.LoadCertificate(), o => o.RemoteCertificateValidation = (remote, _, errors) => tls.Accept(remote, errors));
    }
}
