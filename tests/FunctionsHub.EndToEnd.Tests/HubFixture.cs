using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;
using FunctionsHub.DevHost;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StandardWebhooks;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// One Azurite and one DevHost for the end-to-end tests, serving the real function classes with
/// the demo configuration and settings (from local.settings.json, as <c>npm start</c> runs them).
/// Queue polling is made quick and retries immediate through host.json overrides in settings.
/// </summary>
public class HubFixture : IAsyncLifetime
{
    public const string FunctionKey = "end-to-end-function-key";

    /// <summary>A school in the test configuration with <c>enabled: false</c>.</summary>
    public const string DisabledPartner = "gesloten-school";

    public const string DisabledPartnerSecret = "whsec_ZGlzYWJsZWQtcGFydG5lci10ZXN0LXNlY3JldC0wMDAx";

    private readonly SemaphoreSlim _receiving = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> _received = new();
    private Azurite? _azurite;
    private WebApplication? _app;
    private CallbackReceiver? _callbacks;
    private SmtpTestServer? _mail;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The hub's traces and metrics, as the exporter would get them.</summary>
    public CapturedTelemetry Telemetry { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public QueueServiceClient Queues { get; private set; } = null!;

    /// <summary>Queue clients that neither encode nor decode: what is on a queue, byte for byte.</summary>
    public QueueServiceClient RawQueues { get; private set; } = null!;

    public HubTables Tables { get; private set; } = null!;

    /// <summary>Every party's callback (<c>/{partner|provider|subscriber}/{id}</c>), verifying each signature with that party's secret.</summary>
    public CallbackReceiver Callbacks => _callbacks!;

    /// <summary>The mail relay the hub sends campaign mail through: a real SMTP server in the test process.</summary>
    public SmtpTestServer Mail => _mail!;

    /// <summary>The hub's address, which it also gives as its public address (the base of unsubscribe links).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The day the test configuration's campaigns start (yesterday, UTC): the id of their due occurrence.</summary>
    public string CampaignOccurrence { get; } = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public IServiceProvider Services => _app!.Services;

    /// <summary>The child's file as the hub keeps it, read through the table adapter: one entity holding a JSON document, not a row per consent or melding.</summary>
    public Task<ChildFile> ChildFileAsync(string pseudonym) => new TableChildFiles(Tables).ReadAsync(pseudonym, CancellationToken.None);

    /// <summary>Every child's file the hub keeps, each read through the table adapter.</summary>
    public async Task<IReadOnlyList<ChildFile>> ChildFilesAsync()
    {
        var files = new List<ChildFile>();
        await foreach (var entity in Tables.ChildFiles.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            files.Add(await ChildFileAsync(entity.PartitionKey));
        }

        return files;
    }

    /// <summary>
    /// An entity as text for a privacy scan: every property, and the child-file document's parts
    /// (<c>File0</c>, <c>File1</c>, ...) joined as well, so that a value cut between two parts is found too.
    /// </summary>
    public static string TextOf(TableEntity entity)
    {
        var document = new StringBuilder();
        for (var i = 0; entity.GetString($"File{i}") is { } part; i++)
        {
            document.Append(part);
        }

        return string.Join("|", entity.Select(p => $"{p.Key}={p.Value}")) + "|" + document;
    }

    /// <summary>
    /// Whether any child's file names <paramref name="id"/> anywhere in its document: one scan of the
    /// table, its parts (<c>File0</c>, <c>File1</c>, ...) joined so that an id cut between two is found too.
    /// </summary>
    public async Task<bool> AnyChildFileNamesAsync(string id)
    {
        await foreach (var entity in Tables.ChildFiles.QueryAsync<TableEntity>())
        {
            if (TextOf(entity).Contains(id, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public IConfiguration Configuration => Services.GetRequiredService<IConfiguration>();

    /// <summary>The hub's own referral ids (keyed with its pseudonym key): what a provider finds in its inbox.</summary>
    public ReferralIds ReferralIds => Services.GetRequiredService<ReferralIds>();

    public int MaxDequeueCount => int.Parse(Configuration["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"]!);

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        _callbacks = await CallbackReceiver.StartAsync(path => Configuration[$"Hub:Secrets:{path.Split('/').Last()}"]);
        _mail = await SmtpTestServer.StartAsync();
        var url = Url = $"http://127.0.0.1:{Azurite.FreePort()}";
        _app = DevHostApp.Create(["--urls", url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = _azurite.ConnectionString,
                ["Hub:ConfigPath"] = WithCallbacksAt(_callbacks.BaseUrl, CampaignOccurrence),
                ["Hub:Secrets:" + DisabledPartner] = DisabledPartnerSecret,
                ["Hub:Storage:TablePrefix"] = TestNames.TablePrefix(),
                ["Hub:DevHost:FunctionKey"] = FunctionKey,
                ["Hub:Smtp:Host"] = "127.0.0.1",
                ["Hub:Smtp:Port"] = _mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Hub:Smtp:UseTls"] = "false",
                ["Hub:Smtp:From"] = "jeugd@voorbeeldstad.example",
                ["Hub:Smtp:FromName"] = "Gemeente Voorbeeldstad",
                ["Hub:PublicUrl"] = url + "/",
                ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.200",
                ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
            });
            builder.Logging.AddProvider(Logs);
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(Telemetry));
            builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Telemetry.Metrics));
            Configure(builder);
        });
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(url) };
        Queues = StorageAccount.QueueService(Configuration);
        RawQueues = StorageAccount.QueueService(Configuration, encoding: QueueMessageEncoding.None);
        Tables = _app.Services.GetRequiredService<HubTables>();
    }

    /// <summary>What a fixture of its own changes about the hub (its clock, its storage clients), after the shared settings.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (_callbacks is not null)
        {
            await _callbacks.DisposeAsync();
        }

        if (_mail is not null)
        {
            await _mail.DisposeAsync();
        }
    }

    /// <summary>
    /// The test configuration with every party's callback at the receiver (<c>/{kind}/{id}</c>; a
    /// partner without one keeps none), and its campaigns starting on <paramref name="campaignsStartOn"/>.
    /// </summary>
    private static string WithCallbacksAt(string baseUrl, string campaignsStartOn)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hub-config.e2e.json")))!;
        foreach (var subscriber in document["gemeente"]!["subscribers"]!.AsArray())
        {
            subscriber!["callbackUrl"] = $"{baseUrl}/subscriber/{subscriber["id"]}";
        }

        foreach (var partner in document["partners"]!.AsArray().Where(p => p!["callbackUrl"] is not null))
        {
            partner!["callbackUrl"] = $"{baseUrl}/partner/{partner["id"]}";
        }

        foreach (var provider in document["providers"]!.AsArray())
        {
            provider!["callbackUrl"] = $"{baseUrl}/provider/{provider["id"]}";
        }

        // Campaigns whose latest occurrence is due whenever the tests run: yesterday at midnight, monthly.
        foreach (var campaign in document["campaigns"]!.AsArray())
        {
            campaign!["startsOn"] = campaignsStartOn;
            campaign["every"] = "P1M";
            campaign["sendAt"] = "00:00";
        }

        var path = Path.Combine(Path.GetTempPath(), $"hub-config.e2e.{Guid.NewGuid():N}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    /// <summary>
    /// Waits for the notification of <paramref name="type"/> delivered to a party's callback that
    /// <paramref name="matches"/>, and answers it; the receiver has checked its signature.
    /// </summary>
    public Task<ReceivedCallback> DeliveredAsync(string kind, string partyId, string type, Func<ReceivedCallback, bool> matches) =>
        Poll.ForAsync(
            () => Task.FromResult(Callbacks.ReceivedAt($"/{kind}/{partyId}").FirstOrDefault(r => r.Type == type && matches(r))),
            TimeSpan.FromSeconds(30),
            $"{type} delivered to {kind} {partyId}");

    /// <summary>
    /// A signal to cjg recorded in the instroom as routing would have two days ago, due two seconds from
    /// now; answers once it is due, so whichever deadlines fire runs next (a test's or the schedule's) finds it.
    /// </summary>
    public async Task<(string MeldingId, string ReferralId)> RecordReferralFallingDueAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var meldingId = $"mld_{Guid.NewGuid():N}";
        var referralId = ReferralIds.For(meldingId, "cjg");
        var respondBefore = now.AddSeconds(2);
        var referral = new ReferralRecord(referralId, meldingId, "cjg", ReferralKinds.Signal, ConsentBases.None, now.AddDays(-2), respondBefore, DispatchState.Sent);
        await Services.GetRequiredService<IInstroomLog>().RecordAsync(
            new RoutedMelding(meldingId, Melding.SchoolPartner, Feeds.School, now.AddDays(-2), GemeenteCalendar.Of("Europe/Amsterdam").MonthOf(now.AddDays(-2)), 9, null, ["wellbeing"], Urgencies.Normal, null, false, now.AddDays(-2), [referral]),
            CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > respondBefore), TimeSpan.FromSeconds(30), "the referral's promise to pass");
        return (meldingId, referralId);
    }

    /// <summary>
    /// Moves a match's follow-up deadline (<c>matchFollowUpDays</c> after routing found it) to two seconds
    /// from now, as if the days had passed, and answers once it is due: whichever deadlines fire runs next
    /// (a test's or the schedule's) finds it. Like <see cref="RecordReferralFallingDueAsync"/>, the test puts
    /// in storage what time would have; here by rewriting the follow-up's two rows (the adapter's keys), as
    /// the hub's clock is the real one and the port has no operation that moves a deadline.
    /// </summary>
    public async Task<DateTimeOffset> BringFollowUpDueAsync(string matchId)
    {
        var table = Tables.MatchFollowUps;
        var match = (await table.GetEntityAsync<TableEntity>(matchId, TableMatchFollowUps.MatchRow)).Value;
        var due = (await table.GetEntityAsync<TableEntity>(TableMatchFollowUps.DuePartition(match.GetDateTimeOffset("DueAt")!.Value), matchId)).Value;
        var dueAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var moved = new TableEntity(TableMatchFollowUps.DuePartition(dueAt), matchId);
        foreach (var (name, value) in due.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
        {
            moved[name] = value;
        }

        moved["DueAt"] = dueAt;
        await table.AddEntityAsync(moved);
        await table.DeleteEntityAsync(due.PartitionKey, due.RowKey);
        match["DueAt"] = dueAt;
        await table.UpdateEntityAsync(match, match.ETag, TableUpdateMode.Replace);
        await Poll.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > dueAt), TimeSpan.FromSeconds(30), "the follow-up's deadline to pass");
        return dueAt;
    }

    /// <summary>Posts a body to a feed as a partner, signed with that partner's secret from the hub's settings.</summary>
    public Task<HttpResponseMessage> PostMeldingAsync(string feed, string partnerId, string body, string? webhookId = null, string? secret = null) =>
        Http.SendAsync(SignedMelding(feed, partnerId, body, webhookId, secret));

    /// <summary>A signed intake request, for tests that then change one thing about it.</summary>
    public HttpRequestMessage SignedMelding(
        string feed, string partnerId, string body, string? webhookId = null, string? secret = null, DateTimeOffset? timestamp = null) =>
        Signed(HttpMethod.Post, $"/api/feeds/{feed}/meldingen", "X-Partner-Id", partnerId, body, webhookId, secret, timestamp);

    /// <summary>A JSON body signed by a party (header <c>X-Partner-Id</c> or <c>X-Provider-Id</c>) and posted to a path.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, string partyHeader, string partyId, string body, string? webhookId = null) =>
        Http.SendAsync(Signed(HttpMethod.Post, path, partyHeader, partyId, body, webhookId));

    /// <summary>A GET signed by a partner over the empty body, as a partner reads a melding's status.</summary>
    public Task<HttpResponseMessage> GetSignedAsync(string path, string partnerId) =>
        Http.SendAsync(Signed(HttpMethod.Get, path, "X-Partner-Id", partnerId, body: null));

    /// <summary>A request signed with Standard Webhooks by a party, with its secret from the hub's settings unless another is given.</summary>
    private HttpRequestMessage Signed(
        HttpMethod method, string path, string partyHeader, string partyId, string? body,
        string? webhookId = null, string? secret = null, DateTimeOffset? timestamp = null)
    {
        webhookId ??= NewWebhookId();
        var at = timestamp ?? DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Add(partyHeader, partyId);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", Sign(secret ?? SecretOf(partyId), webhookId, at, body ?? ""));
        return request;
    }

    /// <summary>A request with the function key, as the gemeente's tools send it.</summary>
    public Task<HttpResponseMessage> SendWithKeyAsync(HttpMethod method, string path, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("x-functions-key", FunctionKey);
        return Http.SendAsync(request);
    }

    /// <summary>
    /// The feed's partner (by default the school) reports the child and the melding is routed (the
    /// school's to cjg): from then on that partner and the providers know the child, and may state
    /// consent for it. Answers the melding id.
    /// </summary>
    public async Task<string> ReportChildAsync(string bsn, string feed = "school")
    {
        var body = feed == "school" ? Melding.School($"KNOWN-{Guid.NewGuid():N}", bsn) : Melding.Body(feed, $"KNOWN-{Guid.NewGuid():N}", bsn).ToJsonString();
        var response = await PostMeldingAsync(feed, Melding.PartnerFor(feed), body);
        var answer = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The {feed} melding answered {(int)response.StatusCode}: {answer}");
        }

        var meldingId = System.Text.Json.JsonDocument.Parse(answer).RootElement.GetProperty("meldingId").GetString()!;
        await RoutedAsync(meldingId);
        return meldingId;
    }

    /// <summary>Waits (up to a deadline) until the melding is routed: in the instroom, every referral in its inbox.</summary>
    public Task RoutedAsync(string meldingId) =>
        Poll.UntilAsync(
            async () => await Services.GetRequiredService<FunctionsHub.Core.Intake.IMeldingStore>().FindAsync(meldingId, CancellationToken.None) is { } melding
                && await Services.GetRequiredService<FunctionsHub.Core.Instroom.IInstroomLog>().FindAsync(meldingId, melding.ReceivedAt, CancellationToken.None) is not null,
            TimeSpan.FromSeconds(30),
            $"melding {meldingId} routed");

    /// <summary>
    /// Raw bytes posted as a party, signed over exactly those bytes (computed here, since the
    /// StandardWebhooks package signs strings and cannot sign bytes that are not UTF-8).
    /// </summary>
    public HttpRequestMessage SignedBytes(string path, string partyHeader, string partyId, byte[] body, string contentType = "application/json", string? webhookId = null)
    {
        webhookId ??= NewWebhookId();
        var at = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(partyHeader, partyId);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", SignBytes(SecretOf(partyId), webhookId, at, body));
        return request;
    }

    /// <summary>Raw bytes with the function key, as the gemeente's tools send them.</summary>
    public Task<HttpResponseMessage> SendBytesWithKeyAsync(string path, byte[] body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("x-functions-key", FunctionKey);
        return Http.SendAsync(request);
    }

    public string SecretOf(string partyId) => Configuration[$"Hub:Secrets:{partyId}"]!;

    /// <summary>Standard Webhooks v1 over raw bytes: base64(HMAC-SHA256(key, "{id}.{timestamp}." + body)).</summary>
    public static string SignBytes(string secret, string webhookId, DateTimeOffset timestamp, byte[] body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        byte[] content = [.. Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToUnixTimeSeconds()}."), .. body];
        return "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, content));
    }

    public static string Sign(string secret, string webhookId, DateTimeOffset timestamp, string body) =>
        new StandardWebhook(secret).Sign(webhookId, timestamp, body);

    public static string NewWebhookId() => $"msg_{Guid.NewGuid():N}";

    /// <summary>
    /// Every message that has arrived on a queue the hub writes for others (<c>inbox-*</c>) since the
    /// tests began (notifications are delivered by the hub itself: see <see cref="DeliveredAsync"/>). Reads as the receiver would, taking the
    /// messages off the queue and keeping them here, so none is missed however many accumulate.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReceivedAsync(string queueName)
    {
        await _receiving.WaitAsync();
        try
        {
            var received = _received.GetOrAdd(queueName, _ => []);
            var queue = Queues.GetQueueClient(queueName);
            if (await queue.ExistsAsync())
            {
                while ((await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
                {
                    foreach (var message in batch)
                    {
                        received.Add(message.Body.ToString());
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    }
                }
            }

            return received.ToArray();
        }
        finally
        {
            _receiving.Release();
        }
    }

    /// <summary>
    /// Deletes the messages whose raw text is <paramref name="text"/> from a queue and answers how many;
    /// the others it saw are made visible again at once.
    /// </summary>
    public async Task<int> DeleteRawAsync(string queueName, string text)
    {
        var queue = RawQueues.GetQueueClient(queueName);
        if (!await queue.ExistsAsync())
        {
            return 0;
        }

        var deleted = 0;
        var others = new List<QueueMessage>();
        while ((await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromSeconds(30))).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                if (message.MessageText == text)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    deleted++;
                }
                else
                {
                    others.Add(message);
                }
            }
        }

        foreach (var message in others)
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        return deleted;
    }

    /// <summary>
    /// The texts of the messages waiting in a queue (at most 32), read without removing them: decoded
    /// from base64 as the hub writes them, or <paramref name="raw"/> as they are on the queue.
    /// </summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string queueName, bool raw = false)
    {
        var queue = (raw ? RawQueues : Queues).GetQueueClient(queueName);
        if (!await queue.ExistsAsync())
        {
            return [];
        }

        var messages = await queue.PeekMessagesAsync(maxMessages: 32);
        return messages.Value.Select(m => m.Body.ToString()).ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "hub";
}
