using System.Collections.Concurrent;
using FunctionsHub.Core.Notifications;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>Delivery records as their table keeps them: one per notification id, those needing attention listed by state.</summary>
public sealed class InMemoryDeliveryRecords : IDeliveryRecords
{
    private readonly ConcurrentDictionary<string, DeliveryRecord> _records = new();

    /// <summary>The notification ids of every record kept.</summary>
    public IReadOnlyCollection<string> Ids => _records.Keys.ToArray();

    public Task<DeliveryRecord?> FindAsync(string notificationId, CancellationToken cancellationToken) => Task.FromResult(_records.GetValueOrDefault(notificationId));

    public Task SaveAsync(DeliveryRecord record, DeliveryState? previous, CancellationToken cancellationToken)
    {
        _records[record.NotificationId] = record;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeliveryRecord>> ListAsync(DeliveryState state, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeliveryRecord>>(_records.Values.Where(r => r.State == state).OrderByDescending(r => r.LastAttemptAt).Take(limit).ToArray());

    public Task RemoveAsync(string notificationId, CancellationToken cancellationToken)
    {
        _records.TryRemove(notificationId, out _);
        return Task.CompletedTask;
    }

    /// <summary>A delivered record for each notification, as delivery would leave it.</summary>
    public void DeliveredAll(IEnumerable<OutboundNotification> notifications, DateTimeOffset at)
    {
        foreach (var n in notifications)
        {
            _records[n.Notification.Id] = new DeliveryRecord(n.Notification.Id, n.Notification.Type, n.Recipient, DeliveryState.Delivered, 1, at, at, 200, null);
        }
    }
}
