using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Meldingen per child: PartitionKey = child pseudonym, RowKey = melding id, with the reporting
/// partner and its referrer's contact (for match.found) and the providers it went to (who may state
/// consent). No child data, no content.
/// </summary>
public sealed class TableChildIndex(HubTables tables) : IChildIndex
{
    public async Task AddAsync(string childPseudonym, ChildMelding entry, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(childPseudonym, entry.MeldingId)
        {
            ["PartnerId"] = entry.PartnerId,
            ["Feed"] = entry.Feed,
            ["ReportedAt"] = entry.ReportedAt,
            ["ReferrerName"] = entry.Referrer.Name,
            ["ReferrerRole"] = entry.Referrer.Role,
            ["ReferrerEmail"] = entry.Referrer.Email,
            ["ReferrerPhone"] = entry.Referrer.Phone,
        };
        // Merge: a retried routing run must not erase the providers its first run recorded.
        await tables.Children.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task RecordProvidersAsync(string childPseudonym, string meldingId, IReadOnlyList<string> providerIds, CancellationToken cancellationToken) =>
        await tables.Children.UpsertEntityAsync(
            new TableEntity(childPseudonym, meldingId) { ["Providers"] = string.Join(',', providerIds) },
            TableUpdateMode.Merge,
            cancellationToken);

    public async Task<IReadOnlyList<ChildMelding>> MeldingenAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        var entries = new List<ChildMelding>();
        await foreach (var e in tables.Children.QueryAsync<TableEntity>(e => e.PartitionKey == childPseudonym, cancellationToken: cancellationToken))
        {
            entries.Add(new ChildMelding(
                e.RowKey,
                e.GetString("PartnerId"),
                e.GetString("Feed"),
                e.GetDateTimeOffset("ReportedAt")!.Value,
                new Referrer(e.GetString("ReferrerName"), e.GetString("ReferrerRole"), e.GetString("ReferrerEmail"), e.GetString("ReferrerPhone")),
                e.GetString("Providers")?.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }

        return entries;
    }
}
