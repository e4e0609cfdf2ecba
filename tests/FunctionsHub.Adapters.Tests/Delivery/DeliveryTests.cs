using System.Text.Json;
using FunctionsHub.Adapters.Delivery;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.UseCases;
using FunctionsHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Adapters.Tests.Delivery;

/// <summary>
/// Delivery of notifications as it runs: the real sender posting over HTTP to a real receiver that
/// verifies the signature with the recipient's secret, and the delivery records in Azurite. The
/// queue's next attempt is taken by calling the delivery again, as the trigger would when the
/// delayed message becomes visible; time moves on a <see cref="FakeTimeProvider"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string School = "obs-de-regenboog";
    private const string Subscriber = "gemeente-jeugd";
    private const string SchoolPath = "/partner/obs-de-regenboog";
    private const string SubscriberPath = "/subscriber/gemeente-jeugd";

    private static readonly Dictionary<string, string> Secrets = new()
    {
        [School] = "whsec_" + Convert.ToBase64String("test secret of obs-de-regenboog!"u8),
        [Subscriber] = "whsec_" + Convert.ToBase64String("test secret of gemeente-jeugd..."u8),
    };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private CallbackReceiver _receiver = null!;
    private HubTables _tables = null!;
    private TableDeliveryRecords _records = null!;
    private RecordingDeliveryQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _receiver = await CallbackReceiver.StartAsync(path => path.Split('/').Last() is var id && Secrets.TryGetValue(id, out var secret) ? secret : null);
        _tables = azurite.Tables();
        _records = new TableDeliveryRecords(_tables);
        _queue = new RecordingDeliveryQueue();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_503_is_tried_again_later_and_delivered_once_under_the_same_webhook_id()
    {
        _receiver.Answer(SchoolPath, 503);
        var notification = ToSchool();

        var first = await Delivery().DeliverAsync(notification, default);
        Assert.Equal(DeliveryState.Retrying, first.State);
        Assert.Equal("http-503", first.Reason);
        var delay = Assert.Single(_queue.Delays);
        Assert.InRange(delay, TimeSpan.FromSeconds(24), TimeSpan.FromSeconds(36));

        _time.Advance(delay);
        var second = await Delivery().DeliverAsync(notification, default);
        var again = await Delivery().DeliverAsync(notification, default);

        Assert.Equal(DeliveryState.Delivered, second.State);
        Assert.Equal(2, second.Attempts);
        Assert.Equal(DeliveryState.Delivered, again.State);
        var received = _receiver.ReceivedAt(SchoolPath);
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.True(r.SignatureValid, "signed with the school's own secret"));
        Assert.All(received, r => Assert.Equal(notification.Notification.Id, r.WebhookId));
        Assert.Equal(notification.Notification.Type, received[1].Type);
        Assert.Equal(notification.Notification.Id, received[1].Json.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Each_recipient_gets_it_signed_with_its_own_secret()
    {
        await Delivery().DeliverAsync(ToSchool(), default);
        await Delivery().DeliverAsync(Notification(RecipientKinds.Subscriber, Subscriber), default);

        Assert.True(Assert.Single(_receiver.ReceivedAt(SchoolPath)).SignatureValid);
        Assert.True(Assert.Single(_receiver.ReceivedAt(SubscriberPath)).SignatureValid);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_Retry_After_longer_than_the_backoff_is_honoured(int status)
    {
        _receiver.Answer(SchoolPath, response =>
        {
            response.StatusCode = status;
            response.Headers.RetryAfter = "600";
            return Task.CompletedTask;
        });

        var record = await Delivery().DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Retrying, record.State);
        Assert.Equal(TimeSpan.FromSeconds(600), Assert.Single(_queue.Delays));
    }

    [Fact]
    public async Task A_410_is_recorded_as_gone_parked_and_listed_for_the_gemeente()
    {
        _receiver.Answer(SchoolPath, 410);
        var notification = ToSchool();

        var record = await Delivery().DeliverAsync(notification, default);

        Assert.Equal(DeliveryState.Gone, record.State);
        Assert.Equal(410, record.LastStatus);
        Assert.Empty(_queue.Delays);
        Assert.Equal([notification.Notification.Id], _queue.Parked);
        Assert.Contains(await _records.ListAsync(DeliveryState.Gone, 100, default), r => r.NotificationId == notification.Notification.Id);
    }

    [Theory]
    [InlineData(400, "http-400")]
    [InlineData(401, "http-401")]
    [InlineData(404, "http-404")]
    [InlineData(422, "http-422")]
    public async Task Another_4xx_is_parked_at_once_with_its_reason(int status, string reason)
    {
        _receiver.Answer(SchoolPath, status);
        var notification = ToSchool();

        var record = await Delivery().DeliverAsync(notification, default);

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.Equal(reason, record.Reason);
        Assert.Equal(1, record.Attempts);
        Assert.Empty(_queue.Delays);
        Assert.Equal([notification.Notification.Id], _queue.Parked);
        var listed = Assert.Single(await _records.ListAsync(DeliveryState.Failed, 1000, default), r => r.NotificationId == notification.Notification.Id);
        Assert.Equal(reason, listed.Reason);
    }

    [Fact]
    public async Task An_endless_500_is_parked_once_the_24_hour_window_is_spent()
    {
        _receiver.AnswerAlways(SchoolPath, 500);
        var notification = ToSchool();
        var started = _time.GetUtcNow();

        var record = await Delivery().DeliverAsync(notification, default);
        while (record.State == DeliveryState.Retrying)
        {
            _time.Advance(_queue.Delays[^1]);
            record = await Delivery().DeliverAsync(notification, default);
        }

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.StartsWith("retry-window-exhausted", record.Reason);
        Assert.InRange(_time.GetUtcNow() - started, TimeSpan.FromHours(22), TimeSpan.FromHours(24));
        Assert.Equal(record.Attempts, _receiver.ReceivedAt(SchoolPath).Count);
        Assert.InRange(record.Attempts, 20, 40);
        Assert.All(_queue.Delays, d => Assert.True(d <= TimeSpan.FromHours(1.2), $"a delay of {d} is longer than the backoff's cap"));
        Assert.Equal([notification.Notification.Id], _queue.Parked);
    }

    [Theory]
    [InlineData("https://10.1.2.3/callback")]
    [InlineData("https://172.20.0.1/callback")]
    [InlineData("https://192.168.1.10/callback")]
    [InlineData("https://169.254.169.254/metadata/instance")]
    [InlineData("https://[fd00::1]/callback")]
    [InlineData("https://[fe80::1]/callback")]
    [InlineData("http://203.0.113.10/callback")]
    public async Task A_callback_into_a_private_or_metadata_network_is_refused(string callback)
    {
        var record = await Delivery(callback).DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.Contains(record.Reason, new[] { "address-refused", "http-not-allowed" });
        Assert.Null(record.LastStatus);
    }

    [Theory]
    [InlineData("https://localhost:{port}/partner/obs-de-regenboog")]
    [InlineData("https://127.0.0.1:{port}/partner/obs-de-regenboog")]
    [InlineData("https://[::ffff:127.0.0.1]:{port}/partner/obs-de-regenboog")]
    public async Task Loopback_is_refused_without_a_connection_attempt_unless_allowed(string callback)
    {
        var record = await Delivery(callback.Replace("{port}", _receiver.Port.ToString()), allowHttpLoopback: false).DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.Equal("address-refused", record.Reason);
        Assert.Equal(0, _receiver.Connections);
    }

    [Fact]
    public async Task Http_is_refused_when_loopback_is_not_allowed()
    {
        var record = await Delivery(_receiver.BaseUrl + SchoolPath, allowHttpLoopback: false).DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.Equal("http-not-allowed", record.Reason);
        Assert.Equal(0, _receiver.Connections);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        _receiver.Answer(SchoolPath, response =>
        {
            response.StatusCode = 307;
            response.Headers.Location = _receiver.BaseUrl + "/elsewhere";
            return Task.CompletedTask;
        });

        var record = await Delivery().DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Failed, record.State);
        Assert.Equal("redirect-not-followed (http-307)", record.Reason);
        Assert.Empty(_receiver.ReceivedAt("/elsewhere"));
    }

    [Fact]
    public async Task A_callback_that_refuses_connections_is_tried_again()
    {
        var closed = $"http://127.0.0.1:{Azurite.FreePort()}/partner/obs-de-regenboog";

        var record = await Delivery(closed).DeliverAsync(ToSchool(), default);

        Assert.Equal(DeliveryState.Retrying, record.State);
        Assert.Equal("connection-failed", record.Reason);
        Assert.Single(_queue.Delays);
    }

    [Fact]
    public async Task A_callback_that_does_not_answer_in_time_is_tried_again()
    {
        var answered = new TaskCompletionSource();
        _receiver.Answer(SchoolPath, async response =>
        {
            await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            response.StatusCode = 204;
        });

        var record = await Delivery(timeout: TimeSpan.FromMilliseconds(300)).DeliverAsync(ToSchool(), default);
        answered.SetResult();

        Assert.Equal(DeliveryState.Retrying, record.State);
        Assert.Equal("timeout", record.Reason);
        Assert.Null(record.LastStatus);
        Assert.Single(_queue.Delays);
    }

    [Fact]
    public async Task A_recipient_without_a_callback_is_recorded_as_undeliverable_and_not_retried()
    {
        var notification = ToSchool();

        var record = await Delivery(callback: null).DeliverAsync(notification, default);

        Assert.Equal(DeliveryState.Undeliverable, record.State);
        Assert.Equal("no-callback", record.Reason);
        Assert.Empty(_queue.Delays);
        Assert.Empty(_queue.Parked);
        Assert.Contains(await _records.ListAsync(DeliveryState.Undeliverable, 1000, default), r => r.NotificationId == notification.Notification.Id);
    }

    [Fact]
    public async Task A_replayed_notification_is_delivered_and_leaves_the_failed_listing()
    {
        _receiver.Answer(SchoolPath, 404);
        var notification = ToSchool();
        await Delivery().DeliverAsync(notification, default);

        var replayed = await Delivery().DeliverAsync(notification, default);

        Assert.Equal(DeliveryState.Delivered, replayed.State);
        Assert.Equal(2, replayed.Attempts);
        Assert.DoesNotContain(await _records.ListAsync(DeliveryState.Failed, 1000, default), r => r.NotificationId == notification.Notification.Id);
    }

    [Fact]
    public async Task The_record_holds_no_content_of_the_notification()
    {
        const string content = "Zorgen over thuissituatie, gesprek met moeder";
        var notification = ToSchool(note: content);

        await Delivery().DeliverAsync(notification, default);

        var rows = _tables.Deliveries.Query<Azure.Data.Tables.TableEntity>().ToArray();
        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, row => row.Any(kv => kv.Value?.ToString()?.Contains("moeder", StringComparison.Ordinal) == true));
    }

    private NotificationDelivery Delivery(string? callback = "", bool allowHttpLoopback = true, TimeSpan? timeout = null)
    {
        var schoolCallback = callback == "" ? _receiver.BaseUrl + SchoolPath : callback;
        var document = new HubDocument
        {
            Gemeente = new Gemeente { Subscribers = [new Subscriber(Subscriber, _receiver.BaseUrl + SubscriberPath)] },
            Partners = [new Partner(School, "school", "OBS De Regenboog", schoolCallback)],
        };
        var rules = new CallbackRules(allowHttpLoopback);
        return new NotificationDelivery(new FixedHubDocument(document), new PartySecrets(Secrets), rules, new HttpWebhookSender(rules, _time, timeout ?? HttpWebhookSender.Timeout),
            _records, _queue, _time, NullLogger<NotificationDelivery>.Instance);
    }

    private static OutboundNotification ToSchool(string? note = null) => Notification(RecipientKinds.Partner, School, note);

    private static OutboundNotification Notification(string kind, string id, string? note = null)
    {
        var data = JsonSerializer.SerializeToElement(
            new ReferralStatusChangedData("mld_" + Guid.NewGuid().ToString("N"), "ref_x", new ProviderRef("cjg", "CJG"), "contacted", DateTimeOffset.UtcNow, Note: note),
            FunctionsHub.Core.Serialization.HubJson.Default.ReferralStatusChangedData);
        return new OutboundNotification(new NotificationRecipient(kind, id),
            new NotificationEnvelope(NotificationTypes.ReferralStatusChanged, $"ntf_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, data));
    }

    /// <summary>
    /// What delivery asked of the queue (the storage-queue side is held to it in
    /// StorageQueueNotificationsTests): kept off the shared queues, whose delayed retries would
    /// otherwise surface in other tests long after this one ended.
    /// </summary>
    private sealed class RecordingDeliveryQueue : IDeliveryQueue
    {
        public List<TimeSpan> Delays { get; } = [];

        public List<string> Parked { get; } = [];

        public Task RetryLaterAsync(OutboundNotification notification, TimeSpan delay, CancellationToken cancellationToken)
        {
            Delays.Add(delay);
            return Task.CompletedTask;
        }

        public Task ParkAsync(OutboundNotification notification, CancellationToken cancellationToken)
        {
            Parked.Add(notification.Notification.Id);
            return Task.CompletedTask;
        }
    }
}
