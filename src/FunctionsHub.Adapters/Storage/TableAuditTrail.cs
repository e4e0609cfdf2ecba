using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Audit;

namespace FunctionsHub.Adapters.Storage;

/// <summary>The audit trail's events: PartitionKey = melding id, RowKey = the event's deterministic key. One partition read gives them all.</summary>
public sealed class TableAuditTrail(HubTables tables) : IAuditTrail
{
    public async Task<IReadOnlyList<AuditEvent>> EventsAsync(string meldingId, CancellationToken cancellationToken)
    {
        var events = new List<AuditEvent>();
        await foreach (var e in tables.Audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {meldingId}"), cancellationToken: cancellationToken))
        {
            events.Add(new AuditEvent(e.RowKey, e.GetString("Type"), e.GetDateTimeOffset("At")!.Value, e.GetString("Summary")));
        }

        return events.OrderBy(e => e.At).ToArray();
    }

    public async Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(meldingId, auditEvent.Key)
        {
            ["Type"] = auditEvent.Type,
            ["At"] = auditEvent.At,
            ["Summary"] = auditEvent.Summary,
        };
        await tables.Audit.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// The tombstone first, then every other event of the partition, one delete each (an event already
    /// gone, 404, is no error to the SDK): interrupted, it leaves the tombstone and some events, and a
    /// repeat removes those.
    /// </summary>
    public async Task TombstoneAsync(string meldingId, AuditEvent tombstone, CancellationToken cancellationToken)
    {
        await AddEventAsync(meldingId, tombstone, cancellationToken);
        var others = new List<string>();
        await foreach (var e in tables.Audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {meldingId}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (e.RowKey != tombstone.Key)
            {
                others.Add(e.RowKey);
            }
        }

        foreach (var key in others)
        {
            await tables.Audit.DeleteEntityAsync(meldingId, key, ETag.All, cancellationToken);
        }
    }
}
