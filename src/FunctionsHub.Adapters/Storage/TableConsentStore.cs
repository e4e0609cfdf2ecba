using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The consent registry: PartitionKey = child pseudonym, RowKey = consent id. No BSN.
/// </summary>
public sealed class TableConsentStore(HubTables tables) : IConsentStore
{
    public async Task RecordAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(childPseudonym, record.ConsentId)
        {
            ["Status"] = record.Status,
            ["Scope"] = string.Join(',', record.Scope),
            ["GivenBy"] = record.GivenBy,
            ["RecordedAt"] = record.RecordedAt,
            ["Source"] = record.Source,
            ["ReceivedAt"] = record.ReceivedAt,
        };
        await tables.Consents.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<ConsentRecord>> ForChildAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        var records = new List<ConsentRecord>();
        await foreach (var e in tables.Consents.QueryAsync<TableEntity>(e => e.PartitionKey == childPseudonym, cancellationToken: cancellationToken))
        {
            records.Add(new ConsentRecord(
                e.RowKey,
                e.GetString("Status"),
                e.GetString("Scope").Split(',', StringSplitOptions.RemoveEmptyEntries),
                e.GetString("GivenBy"),
                e.GetDateTimeOffset("RecordedAt")!.Value,
                e.GetString("Source"),
                e.GetDateTimeOffset("ReceivedAt")));
        }

        return records;
    }
}
