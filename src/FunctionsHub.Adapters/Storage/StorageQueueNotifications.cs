using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// <c>notifications-out</c> (base64 JSON) for the delivery function: notifications put on it, the
/// next attempt put back on it with a visibility delay, and the ones given up parked on its poison
/// queue in the same form, so a replay moves them back unchanged.
/// </summary>
public sealed class StorageQueueNotifications(StorageQueues queues) : INotificationOutbox, IDeliveryQueue
{
    public Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.NotificationsOut, Json(notification), cancellationToken);

    public Task RetryLaterAsync(OutboundNotification notification, TimeSpan delay, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.NotificationsOut, Json(notification), cancellationToken, delay);

    public Task ParkAsync(OutboundNotification notification, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.Poison(QueueNames.NotificationsOut), Json(notification), cancellationToken);

    private static byte[] Json(OutboundNotification notification) => JsonSerializer.SerializeToUtf8Bytes(notification, HubJson.Default.OutboundNotification);
}
