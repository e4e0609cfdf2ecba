using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Clients for a storage connection named the way the Functions host names it: a connection
/// string in <c>{name}</c> locally, or identity-based <c>{name}__queueServiceUri</c>,
/// <c>{name}__tableServiceUri</c>, <c>{name}__blobServiceUri</c> (and optionally <c>{name}__clientId</c>) in Azure. A
/// <see cref="StorageClientSetup"/> may add to the client options (tests count requests with it).
/// </summary>
public static class StorageAccount
{
    public static QueueServiceClient QueueService(
        IConfiguration configuration,
        string connectionName = "AzureWebJobsStorage",
        QueueMessageEncoding encoding = QueueMessageEncoding.Base64,
        StorageClientSetup? setup = null,
        string client = StorageClientSetup.Hub)
    {
        var options = new QueueClientOptions { MessageEncoding = encoding };
        options.AddPolicy(new StorageTelemetryPolicy("queue"), HttpPipelinePosition.PerCall);
        (setup ?? StorageClientSetup.None).Apply(options, client);
        return configuration[connectionName] is { Length: > 0 } connectionString
            ? new QueueServiceClient(connectionString, options)
            : new QueueServiceClient(ServiceUri(configuration, connectionName, "queue"), Credential(configuration, connectionName), options);
    }

    public static TableServiceClient TableService(
        IConfiguration configuration,
        string connectionName = "AzureWebJobsStorage",
        StorageClientSetup? setup = null,
        string client = StorageClientSetup.Hub)
    {
        var options = new TableClientOptions();
        options.AddPolicy(new StorageTelemetryPolicy("table"), HttpPipelinePosition.PerCall);
        (setup ?? StorageClientSetup.None).Apply(options, client);
        return configuration[connectionName] is { Length: > 0 } connectionString
            ? new TableServiceClient(connectionString, options)
            : new TableServiceClient(ServiceUri(configuration, connectionName, "table"), Credential(configuration, connectionName), options);
    }

    /// <summary>
    /// The blob at <paramref name="url"/> (the configuration document's, <c>Hub:ConfigUrl</c>): with the
    /// connection string's key when <paramref name="connectionName"/> is one (Azurite locally: its URLs
    /// name the account in the path, which <see cref="BlobUriBuilder"/> reads), otherwise with the app's
    /// identity (<c>{name}__clientId</c> for a user-assigned one).
    /// </summary>
    public static BlobClient Blob(IConfiguration configuration, Uri url, string connectionName = "AzureWebJobsStorage")
    {
        if (configuration[connectionName] is { Length: > 0 } connectionString)
        {
            var parts = new BlobUriBuilder(url);
            var service = new BlobServiceClient(connectionString, BlobOptions());
            if (!string.Equals(service.AccountName, parts.AccountName, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The blob {url} is in storage account '{parts.AccountName}', but '{connectionName}' is a connection string to '{service.AccountName}': use a blob of that account, or an identity-based connection.");
            }

            return service.GetBlobContainerClient(parts.BlobContainerName).GetBlobClient(parts.BlobName);
        }

        return new BlobClient(url, Credential(configuration, connectionName), BlobOptions());
    }

    /// <summary>
    /// What is missing or malformed in the storage connection's settings, named as they are set in Azure
    /// (<c>{name}__queueServiceUri</c>): none when <paramref name="connectionName"/> holds a connection string,
    /// or when each of the hub's services (queues and tables) has an absolute service URI or an account name.
    /// </summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration, string connectionName = "AzureWebJobsStorage")
    {
        if (configuration[connectionName] is { Length: > 0 })
        {
            return [];
        }

        var section = configuration.GetSection(connectionName);
        var problems = new List<string>();
        foreach (var service in new[] { "queue", "table" })
        {
            var setting = $"{connectionName}__{service}ServiceUri";
            if (section[$"{service}ServiceUri"] is { Length: > 0 } uri)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
                {
                    problems.Add($"Setting {setting} must be the absolute https URI of the storage account's {service} service; '{uri}' is not.");
                }
            }
            else if (section["accountName"] is not { Length: > 0 })
            {
                problems.Add($"Setting {connectionName} (a connection string) or {setting} (identity-based, with {connectionName}__clientId for a user-assigned identity) is required.");
            }
        }

        return problems;
    }

    private static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions();
        options.AddPolicy(new StorageTelemetryPolicy("blob"), HttpPipelinePosition.PerCall);
        return options;
    }

    private static Uri ServiceUri(IConfiguration configuration, string connectionName, string service)
    {
        var section = configuration.GetSection(connectionName);
        if (section[$"{service}ServiceUri"] is { Length: > 0 } uri)
        {
            return new Uri(uri);
        }

        if (section["accountName"] is { Length: > 0 } account)
        {
            return new Uri($"https://{account}.{service}.core.windows.net");
        }

        throw new InvalidOperationException(
            $"Storage connection '{connectionName}' is not configured: set '{connectionName}' to a connection string, " +
            $"or '{connectionName}__{service}ServiceUri' for an identity-based connection.");
    }

    private static Azure.Core.TokenCredential Credential(IConfiguration configuration, string connectionName) =>
        configuration.GetSection(connectionName)["clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
