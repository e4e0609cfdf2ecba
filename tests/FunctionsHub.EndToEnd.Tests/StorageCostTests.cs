using System.Net;
using System.Text;
using System.Text.Json;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.DevHost;
using FunctionsHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Storage transactions per melding, counted at the HTTP pipeline of every storage client the hub
/// and the DevHost's queue trigger use, from the POST until the melding is routed and the trigger
/// deleted its message; the trigger's idle polling is left out (<see cref="StorageRequest.IsIdlePolling"/>),
/// and so would a notification's delivery be (<see cref="StorageRequest.IsDelivery"/>), which is disabled here.
/// Each bound is today's count, so that a change that costs more fails here; without a match it is
/// the 10 + N of docs/decisions.md. Its own Azurite and DevHost: the shared hub's other tests would be counted.
/// </summary>
public sealed class StorageCostTests(StorageCostFixture hub, ITestOutputHelper output) : IClassFixture<StorageCostFixture>
{
    [Theory]
    // Intake 3 (the retention index entry, insert, enqueue), the trigger's dequeue and delete 2, routing
    // 5 + N (read the child's file, write decision and claim with the carried consent, N sends,
    // melding.routed for the partner, write the instroom, record the referrer in the campaigns'
    // directory): 10 + N. It was 7 + N until melding.routed (one enqueue) came, 8 + N until the referrer
    // directory (one upsert), 9 + N until the retention purge's index (one upsert).
    // A match adds 7: its once-ledger claim and completion, two notifications, an audit event, and
    // (since the match follow-up) the follow-up's two rows, by match id and by day of its deadline.
    [InlineData(TransactionScenario.SchoolToOneProvider, 10 + 1)]
    [InlineData(TransactionScenario.SchoolWithConsentToOneProvider, 10 + 1)]
    [InlineData(TransactionScenario.PoliceToThreeProvidersWithMatch, 10 + 3 + 7)]
    [InlineData(TransactionScenario.PoliceWithConsentToThreeProvidersWithMatch, 10 + 3 + 7)]
    public async Task A_melding_costs_no_more_storage_transactions_than_today(TransactionScenario scenario, int bound)
    {
        var counts = await hub.MeasureAsync(scenario);

        output.WriteLine($"{scenario}: {counts.Transactions} storage transactions ({counts.IdlePolling} idle polling requests not counted)");
        output.WriteLine(counts.Describe());
        Assert.True(counts.Transactions <= bound, $"{scenario} cost {counts.Transactions} storage transactions, more than today's {bound}:{Environment.NewLine}{counts.Describe()}");

        // Delivery is disabled here, so nothing the count leaves out as delivery (for the load benchmark, where it runs) can be routing's.
        Assert.Equal(0, counts.Count(r => r.IsDelivery));
    }
}

/// <summary>
/// Azurite and a DevHost with the test configuration whose storage clients count their requests.
/// Scenarios run one at a time (a lock), after one uncounted run of each.
/// </summary>
public sealed class StorageCostFixture : IAsyncLifetime
{
    private readonly StorageRequestCounter _counter = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private Azurite? _azurite;
    private WebApplication? _app;
    private HttpClient? _http;
    private TransactionScenarios? _scenarios;
    private bool _warm;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        _app = DevHostApp.Create(["--urls", url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = _azurite.ConnectionString,
                ["Hub:ConfigPath"] = Path.Combine(AppContext.BaseDirectory, "hub-config.e2e.json"),
                ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200",
                // What routing costs, without the delivery of its notifications (each has its own cost,
                // afterwards) or a fire of the deadlines timer (it reads the instroom) during a scenario.
                ["AzureWebJobs.DeliverNotification.Disabled"] = "true",
                ["AzureWebJobs.CheckDeadlines.Disabled"] = "true",
            });
            builder.Services.AddSingleton(_counter.Setup);
        });
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(url) };

        // Uncounted clients (no setup) to see when a scenario is done.
        var configuration = _app.Services.GetRequiredService<IConfiguration>();
        var tables = new HubTables(StorageAccount.TableService(configuration), "");
        var intake = StorageAccount.QueueService(configuration).GetQueueClient(QueueNames.MeldingenIntake);
        _scenarios = new TransactionScenarios(_counter, (feed, body) => PostAsync(configuration, feed, body), new TableMeldingStore(tables), new TableInstroomLog(tables), intake);
    }

    public async Task<StorageCounts> MeasureAsync(TransactionScenario scenario)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            if (!_warm)
            {
                await _scenarios!.WarmUpAsync();
                _warm = true;
            }

            return await _scenarios!.RunAsync(scenario);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private async Task<string> PostAsync(IConfiguration configuration, string feed, string body)
    {
        var partner = Melding.PartnerFor(feed);
        var webhookId = HubFixture.NewWebhookId();
        var at = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/feeds/{feed}/meldingen")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Partner-Id", partner);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", HubFixture.Sign(configuration[$"Hub:Secrets:{partner}"]!, webhookId, at, body));
        using var response = await _http!.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{feed} melding answered {(int)response.StatusCode}: {answer}");
        }

        return JsonDocument.Parse(answer).RootElement.GetProperty("meldingId").GetString()!;
    }
}
