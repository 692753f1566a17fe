using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace Bittensor.Workers;

/// <summary>Connecting a worker process to the cluster as an Orleans client.</summary>
public static class ClientHosting
{
    /// <summary>
    /// Under Aspire (Orleans:Clustering:ProviderType is configured) the client's clustering comes from configuration and a
    /// keyed <see cref="TableServiceClient"/> per connection string; otherwise it joins the development silo on localhost.
    /// </summary>
    public static IHostApplicationBuilder AddBittensorClient(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["Orleans:Clustering:ProviderType"]))
        {
            foreach (var cs in builder.Configuration.GetSection("ConnectionStrings").GetChildren())
                builder.Services.AddKeyedSingleton(cs.Key, (_, _) => new TableServiceClient(cs.Value));
            builder.UseOrleansClient(c => c.UseBittensorTls(builder.Configuration));
        }
        else
        {
            int gateway = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
            string clusterId = builder.Configuration["Orleans:ClusterId"] ?? "bittensor";
            builder.UseOrleansClient(c => c.UseLocalhostClustering(gateway, serviceId: "bittensor", clusterId: clusterId).UseBittensorTls(builder.Configuration));
        }
        return builder;
    }

    /// <summary>TLS to the gateway when <c>Orleans:Tls</c> names a certificate (the client presents it; the gateway's is checked by <see cref="TlsSettings.Accept"/>).</summary>
    public static IClientBuilder UseBittensorTls(this IClientBuilder client, IConfiguration configuration)
    {
        var tls = configuration.GetSection(TlsSettings.Section).Get<TlsSettings>() ?? new TlsSettings();
        if (!tls.Enabled) return client;
        return client.UseTls(tls.LoadCertificate(), o => o.RemoteCertificateValidation = (remote, _, errors) => tls.Accept(remote, errors));
    }
}
