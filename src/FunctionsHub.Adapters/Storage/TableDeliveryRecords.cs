using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Notifications;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Table <c>deliveries</c>: each notification's record under PartitionKey = its id (a point read per
/// attempt), and a copy of each record that needs attention under PartitionKey = <c>state-{state}</c>,
/// so the gemeente's listing reads one partition. A record that leaves such a state (a replay
/// delivered it) leaves the listing.
/// </summary>
public sealed class TableDeliveryRecords(HubTables tables) : IDeliveryRecords
{
    private const string RecordRow = "record";

    public async Task<DeliveryRecord?> FindAsync(string notificationId, CancellationToken cancellationToken) =>
        await tables.Deliveries.GetEntityIfExistsAsync<TableEntity>(notificationId, RecordRow, cancellationToken: cancellationToken) is { HasValue: true } found
            ? Read(found.Value!)
            : null;

    public async Task SaveAsync(DeliveryRecord record, DeliveryState? previous, CancellationToken cancellationToken)
    {
        await tables.Deliveries.UpsertEntityAsync(Entity(record, record.NotificationId, RecordRow), TableUpdateMode.Replace, cancellationToken);
        if (DeliveryStates.NeedingAttention.Contains(record.State))
        {
            await tables.Deliveries.UpsertEntityAsync(Entity(record, Listing(record.State), record.NotificationId), TableUpdateMode.Replace, cancellationToken);
        }

        if (previous is { } before && before != record.State && DeliveryStates.NeedingAttention.Contains(before))
        {
            await tables.Deliveries.DeleteEntityAsync(Listing(before), record.NotificationId, ETag.All, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(DeliveryState state, int limit, CancellationToken cancellationToken)
    {
        var found = new List<DeliveryRecord>();
        await foreach (var entity in tables.Deliveries.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Listing(state)}"), cancellationToken: cancellationToken))
        {
            found.Add(Read(entity));
        }

        return found.OrderByDescending(r => r.LastAttemptAt).Take(limit).ToArray();
    }

    /// <summary>
    /// The copies in the listings first, the record last, so a removal interrupted in between leaves
    /// no copy without its record. A copy is looked for in every listing, not only the record's
    /// state's: a save interrupted before it took the copy of the state before away left one there.
    /// A row not there (404) is no error to the SDK.
    /// </summary>
    public async Task RemoveAsync(string notificationId, CancellationToken cancellationToken)
    {
        // One point read first: most ids the purge asks about were never sent (a status never
        // reported, an overdue that never fell due). The record goes last, so a record that is gone
        // has no listing copy left either.
        if (!(await tables.Deliveries.GetEntityIfExistsAsync<TableEntity>(notificationId, RecordRow, select: ["State"], cancellationToken: cancellationToken)).HasValue)
        {
            return;
        }

        foreach (var state in DeliveryStates.NeedingAttention)
        {
            await tables.Deliveries.DeleteEntityAsync(Listing(state), notificationId, ETag.All, cancellationToken);
        }

        await tables.Deliveries.DeleteEntityAsync(notificationId, RecordRow, ETag.All, cancellationToken);
    }

    private static string Listing(DeliveryState state) => "state-" + state.Name();

    private static TableEntity Entity(DeliveryRecord record, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["NotificationId"] = record.NotificationId,
        ["Type"] = record.Type,
        ["RecipientKind"] = record.Recipient.Kind,
        ["RecipientId"] = record.Recipient.Id,
        ["State"] = record.State.Name(),
        ["Attempts"] = record.Attempts,
        ["FirstAttemptAt"] = record.FirstAttemptAt,
        ["LastAttemptAt"] = record.LastAttemptAt,
        ["LastStatus"] = record.LastStatus,
        ["Reason"] = record.Reason,
    };

    private static DeliveryRecord Read(TableEntity entity) => new(
        entity.GetString("NotificationId"),
        entity.GetString("Type"),
        new NotificationRecipient(entity.GetString("RecipientKind"), entity.GetString("RecipientId")),
        DeliveryStates.Parse(entity.GetString("State")) ?? throw new FormatException($"Delivery {entity.PartitionKey}/{entity.RowKey} has no known state."),
        entity.GetInt32("Attempts") ?? 0,
        entity.GetDateTimeOffset("FirstAttemptAt")!.Value,
        entity.GetDateTimeOffset("LastAttemptAt")!.Value,
        entity.GetInt32("LastStatus"),
        entity.GetString("Reason"));
}
