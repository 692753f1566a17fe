namespace Bittensor.AppHost;

/// <summary>
/// Azurite's table service as a connection string resource. The class name matters: Aspire.Hosting.Orleans derives the
/// Orleans provider type ("AzureTableStorage") from it. (Aspire.Hosting.Azure.Storage is not served here.)
/// </summary>
public sealed class AzureTableStorageResource(string name, EndpointReference table) : Resource(name), IResourceWithConnectionString
{
    /// <summary>Azurite's well-known development account key.</summary>
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};TableEndpoint=http://{table.Property(EndpointProperty.Host)}:{table.Property(EndpointProperty.Port)}/devstoreaccount1;");
}
