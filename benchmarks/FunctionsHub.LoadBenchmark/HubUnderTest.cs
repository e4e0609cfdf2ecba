using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.DevHost;
using FunctionsHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.LoadBenchmark;

/// <summary>
/// Azurite on disk (a temporary folder), a process per storage service so that a table request never
/// waits behind a queue request on one JavaScript thread, and the DevHost in this process with the demo configuration
/// and settings (local.settings.json, demo/hub-config.json, host.json), as <c>npm start</c> runs
/// them, except that Azurite persists to disk as a real account does, and that every callback URL of
/// the configuration points at a <see cref="CallbackReceiver"/>, so notifications are delivered as a
/// deployed hub delivers them. The hub's storage clients carry a <see cref="StorageRequestCounter"/>,
/// counting only while <see cref="StorageRequestCounter.Counting"/>.
/// </summary>
public sealed class HubUnderTest : IAsyncDisposable
{
    private readonly string _location;
    private readonly Azurite _azurite;
    private readonly WebApplication _app;

    private HubUnderTest(string location, Azurite azurite, CallbackReceiver callbacks, WebApplication app, StorageRequestCounter counter)
    {
        _location = location;
        _azurite = azurite;
        Callbacks = callbacks;
        _app = app;
        Counter = counter;
        var url = app.Urls.First();
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = new Uri(url) };

        // Clients without the counter: for the benchmark's own reads, which are not the hub's cost.
        Queues = StorageAccount.QueueService(Configuration);
        Tables = StorageAccount.TableService(Configuration);
    }

    public StorageRequestCounter Counter { get; }

    /// <summary>Where the hub delivers its notifications.</summary>
    public CallbackReceiver Callbacks { get; }

    public HttpClient Http { get; }

    public IConfiguration Configuration => _app.Services.GetRequiredService<IConfiguration>();

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public static async Task<HubUnderTest> StartAsync()
    {
        var location = Path.Combine(Path.GetTempPath(), $"functionshub-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(location);
        var azurite = await Azurite.StartAsync(location, processPerService: true);
        var callbacks = await CallbackReceiver.StartAsync();
        const string DemoCallbacks = "http://localhost:7199";
        var demo = await File.ReadAllTextAsync(Path.Combine(Azurite.RepositoryRoot(), "demo", "hub-config.json"));
        if (!demo.Contains(DemoCallbacks, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"demo/hub-config.json has no callback URL under {DemoCallbacks} any more: point HubUnderTest at where its callbacks lead now.");
        }

        var document = Path.Combine(location, "hub-config.json");
        await File.WriteAllTextAsync(document, demo.Replace(DemoCallbacks, callbacks.BaseUrl, StringComparison.Ordinal));
        var counter = new StorageRequestCounter { Counting = false };
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var app = DevHostApp.Create(["--urls", url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,

                // The demo document, its callback URLs (http://localhost:7199/..., where nothing listens) led to the receiver.
                ["Hub:ConfigPath"] = document,

                // A console line per invocation would cost more than some functions; warnings and errors still show.
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            builder.Services.AddSingleton(counter.Setup);
        });
        await app.StartAsync();
        return new HubUnderTest(location, azurite, callbacks, app, counter);
    }

    /// <summary>
    /// Posts a body to a feed as that feed's demo partner, signed (Standard Webhooks over the exact
    /// bytes); answers the status and the melding id, which is derived from partner and webhook-id.
    /// </summary>
    public async Task<(HttpStatusCode Status, string MeldingId)> PostAsync(string feed, string body, CancellationToken cancellationToken = default)
    {
        var partner = FunctionsHub.EndToEnd.Tests.Melding.PartnerFor(feed);
        var webhookId = $"msg_{Guid.NewGuid():N}";
        var bytes = Encoding.UTF8.GetBytes(body);
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/feeds/{feed}/meldingen") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Partner-Id", partner);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", at.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(Configuration[$"Hub:Secrets:{partner}"]!, webhookId, at, bytes));
        using var response = await Http.SendAsync(request, cancellationToken);
        return (response.StatusCode, Identifiers.MeldingId(partner, webhookId));
    }

    /// <summary>The transaction scenarios of the end-to-end test, on this hub.</summary>
    public TransactionScenarios Scenarios() => new(
        Counter,
        async (feed, body) =>
        {
            var (status, meldingId) = await PostAsync(feed, body);
            return status == HttpStatusCode.Accepted ? meldingId : throw new InvalidOperationException($"{feed} melding answered {(int)status}");
        },
        new TableMeldingStore(new HubTables(Tables, "")),
        new TableInstroomLog(new HubTables(Tables, "")),
        Queues.GetQueueClient(QueueNames.MeldingenIntake));

    public async Task<int> ApproximateCountAsync(string queue) => (await Queues.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public string Setting(string key) => Configuration[key] ?? "(default)";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Callbacks.DisposeAsync();
        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A file Azurite still held: a temporary folder, the system cleans it.
        }
    }

    private static string Sign(string secret, string webhookId, long timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        byte[] content = [.. Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}."), .. body];
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
