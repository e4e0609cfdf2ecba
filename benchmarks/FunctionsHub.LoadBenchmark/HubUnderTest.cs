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
/// Azurite on disk (a temporary folder) and the DevHost in this process with the demo configuration
/// and settings (local.settings.json, demo/hub-config.json, host.json), as <c>npm start</c> runs
/// them, except that Azurite persists to disk as a real account does. The hub's storage clients
/// carry a <see cref="StorageRequestCounter"/>, counting only while <see cref="StorageRequestCounter.Counting"/>.
/// </summary>
public sealed class HubUnderTest : IAsyncDisposable
{
    private readonly string _location;
    private readonly Azurite _azurite;
    private readonly WebApplication _app;

    private HubUnderTest(string location, Azurite azurite, WebApplication app, StorageRequestCounter counter)
    {
        _location = location;
        _azurite = azurite;
        _app = app;
        Counter = counter;
        var url = app.Urls.First();
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = new Uri(url) };

        // Clients without the counter: for the benchmark's own reads, which are not the hub's cost.
        Queues = StorageAccount.QueueService(Configuration);
        Tables = StorageAccount.TableService(Configuration);
    }

    public StorageRequestCounter Counter { get; }

    public HttpClient Http { get; }

    public IConfiguration Configuration => _app.Services.GetRequiredService<IConfiguration>();

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public static async Task<HubUnderTest> StartAsync()
    {
        var location = Path.Combine(Path.GetTempPath(), $"functionshub-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(location);
        var azurite = await Azurite.StartAsync(location);
        var counter = new StorageRequestCounter { Counting = false };
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var app = DevHostApp.Create(["--urls", url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,

                // The demo partners' callback URLs lead nowhere here: delivering melding.routed would be a
                // storm of failed attempts and retries on the storage being measured. The notifications
                // stay on notifications-out (their enqueue is part of each melding's cost).
                ["AzureWebJobs.DeliverNotification.Disabled"] = "true",

                // A console line per invocation would cost more than some functions; warnings and errors still show.
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
            builder.Services.AddSingleton(counter.Setup);
        });
        await app.StartAsync();
        return new HubUnderTest(location, azurite, app, counter);
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
