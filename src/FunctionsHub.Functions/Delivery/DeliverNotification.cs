using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Functions.Delivery;

/// <summary>
/// Delivers each notification on <c>notifications-out</c> to its recipient's callback, one attempt per
/// message (retries are scheduled as new, delayed messages, never slept). A failure of the hub's own
/// storage throws: the queue retries the message and, after <c>maxDequeueCount</c> tries, parks it
/// on <c>notifications-out-poison</c>.
/// </summary>
public sealed class DeliverNotification(NotificationDelivery delivery)
{
    [Function(nameof(DeliverNotification))]
    public async Task Run([QueueTrigger(QueueNames.NotificationsOut)] string message, CancellationToken cancellationToken)
    {
        var notification = JsonSerializer.Deserialize(message, HubJson.Default.OutboundNotification)
            ?? throw new InvalidDataException("The notification message is empty.");
        await delivery.DeliverAsync(notification, cancellationToken);
    }
}
