namespace FunctionsHub.Core.Notifications;

public interface INotificationOutbox
{
    Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken);
}
