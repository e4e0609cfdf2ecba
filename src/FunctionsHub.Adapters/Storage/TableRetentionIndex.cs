using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.DataRetention;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Table <c>retention</c>: an entry per melding under PartitionKey = the gemeente month it was
/// reported in (<c>yyyy-MM</c>), RowKey = the melding id. Months sort as their keys do, so the months
/// past their term are one key range of partitions (<c>PartitionKey le '{lastMonth}'</c>): the purge
/// never reads a month that is not due, however long the hub has been running. Ids, codes and times only.
/// </summary>
public sealed class TableRetentionIndex(HubTables tables) : IRetentionIndex
{
    private TableClient Table => tables.Retention;

    public async Task NoteAsync(RetentionEntry entry, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(Entity(entry), TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<RetentionEntry>> ThroughAsync(string lastMonth, CancellationToken cancellationToken)
    {
        var entries = new List<RetentionEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey le {lastMonth}"), cancellationToken: cancellationToken))
        {
            entries.Add(Read(e));
        }

        // The service answers in key order; sorted here as well, so the order is the contract's and not the emulator's.
        return entries.OrderBy(e => e.Month, StringComparer.Ordinal).ThenBy(e => e.MeldingId, StringComparer.Ordinal).ToArray();
    }

    // A delete of an entity that is not there (404) is answered without an exception by the SDK: gone is gone.
    public async Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(entry.Month, entry.MeldingId, ETag.All, cancellationToken);

    private static TableEntity Entity(RetentionEntry entry) => new(entry.Month, entry.MeldingId)
    {
        ["ChildPseudonym"] = entry.ChildPseudonym,
        ["ReportedAt"] = entry.ReportedAt,
        ["ReceivedAt"] = entry.ReceivedAt,
        ["PartnerId"] = entry.PartnerId,
        ["Feed"] = entry.Feed,
    };

    private static RetentionEntry Read(TableEntity e) =>
        new(
            e.PartitionKey,
            e.RowKey,
            e.GetString("ChildPseudonym"),
            e.GetDateTimeOffset("ReportedAt")!.Value,
            e.GetDateTimeOffset("ReceivedAt")!.Value,
            e.GetString("PartnerId"),
            e.GetString("Feed"));
}
