using Azure.Data.Tables;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Testing;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Adapters.Tests.Support;

/// <summary>One Azurite for the whole test assembly, started before the first test and stopped after the last.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    /// <summary>The settings the Functions host would give the hub: <c>AzureWebJobsStorage</c> only.</summary>
    public IConfiguration Configuration => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = ConnectionString })
        .Build();

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>The hub's tables under a prefix of their own, so no two tests see each other's rows.</summary>
    public HubTables Tables() => new(StorageAccount.TableService(Configuration), TestNames.TablePrefix());

    public StorageQueues Queues() => new(StorageAccount.QueueService(Configuration));

    public TableServiceClient TableService() => new(ConnectionString);

    /// <summary>A queue client of its own, as a provider or the Functions trigger would read the queue.</summary>
    public QueueClient Queue(string name, QueueMessageEncoding encoding) =>
        new(ConnectionString, name, new QueueClientOptions { MessageEncoding = encoding });
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
