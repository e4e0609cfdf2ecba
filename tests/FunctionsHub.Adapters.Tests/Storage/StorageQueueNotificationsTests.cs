using System.Text.Json;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// Notifications-out over the real storage protocol. (The routing tables it once tested beside it are
/// held to their contracts in Contracts/TableContractTests.cs.)
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueNotificationsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task Notifications_go_to_notifications_out_as_base64_json()
    {
        var data = JsonSerializer.SerializeToElement(new MatchFoundData("mld_1", new PartnerRef("p", "P"), new Referrer("R", null, "r@x.example", null), "mtc_1", DateTimeOffset.UnixEpoch), HubJson.Default.MatchFoundData);
        var notification = new OutboundNotification(new NotificationRecipient("partner", "p"), new NotificationEnvelope("match.found", $"ntf_{Guid.NewGuid():N}", At, data));

        await new StorageQueueNotifications(azurite.Queues()).EnqueueAsync(notification, CancellationToken.None);

        var queue = azurite.Queue(QueueNames.NotificationsOut, Azure.Storage.Queues.QueueMessageEncoding.Base64);
        var messages = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString());
        var mine = Assert.Single(messages, m => m.Contains(notification.Notification.Id));
        var read = JsonSerializer.Deserialize(mine, HubJson.Default.OutboundNotification)!;
        Assert.Equal("match.found", read.Notification.Type);
        Assert.Equal("mld_1", read.Notification.Data.GetProperty("meldingId").GetString());
    }

    [Fact]
    public async Task A_retry_is_put_back_on_notifications_out_invisible_until_its_delay()
    {
        var notification = Notification();
        var queue = azurite.Queue(QueueNames.NotificationsOut, Azure.Storage.Queues.QueueMessageEncoding.Base64);

        await new StorageQueueNotifications(azurite.Queues()).RetryLaterAsync(notification, TimeSpan.FromHours(1), CancellationToken.None);

        Assert.DoesNotContain((await queue.PeekMessagesAsync(32)).Value, m => m.Body.ToString().Contains(notification.Notification.Id));
        Assert.True((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount >= 1, "the delayed message is on the queue");
    }

    [Fact]
    public async Task A_notification_given_up_is_parked_on_the_poison_queue_as_it_was()
    {
        var notification = Notification();

        await new StorageQueueNotifications(azurite.Queues()).ParkAsync(notification, CancellationToken.None);

        var poison = azurite.Queue(QueueNames.Poison(QueueNames.NotificationsOut), Azure.Storage.Queues.QueueMessageEncoding.Base64);
        var parked = (await poison.PeekMessagesAsync(32)).Value.Select(m => JsonSerializer.Deserialize(m.Body.ToString(), HubJson.Default.OutboundNotification)!);
        Assert.Equal(notification, Assert.Single(parked, p => p.Notification.Id == notification.Notification.Id), NotificationComparer.Instance);
    }

    private static OutboundNotification Notification()
    {
        var data = JsonSerializer.SerializeToElement(new MatchFoundData("mld_1", new PartnerRef("p", "P"), new Referrer("R", null, "r@x.example", null), "mtc_1", DateTimeOffset.UnixEpoch), HubJson.Default.MatchFoundData);
        return new OutboundNotification(new NotificationRecipient("partner", "p"), new NotificationEnvelope("match.found", $"ntf_{Guid.NewGuid():N}", At, data));
    }

    /// <summary>Equal when they serialise alike (a JsonElement has no value equality).</summary>
    private sealed class NotificationComparer : IEqualityComparer<OutboundNotification>
    {
        public static readonly NotificationComparer Instance = new();

        public bool Equals(OutboundNotification? x, OutboundNotification? y) =>
            JsonSerializer.Serialize(x, HubJson.Default.OutboundNotification!) == JsonSerializer.Serialize(y, HubJson.Default.OutboundNotification!);

        public int GetHashCode(OutboundNotification obj) => obj.Notification.Id.GetHashCode(StringComparison.Ordinal);
    }
}
