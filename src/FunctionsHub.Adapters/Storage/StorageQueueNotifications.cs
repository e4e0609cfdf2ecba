using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Puts notifications on <c>notifications-out</c> (base64 JSON) for the delivery function.</summary>
public sealed class StorageQueueNotifications(StorageQueues queues) : INotificationOutbox
{
    public Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.NotificationsOut, JsonSerializer.SerializeToUtf8Bytes(notification, HubJson.Default.OutboundNotification), cancellationToken);
}
