using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Campaigns;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Table <c>referrers</c>: PartitionKey = partner id, RowKey = the address's key, with name, e-mail and
/// the last melding's receipt; the unsubscribed addresses under PartitionKey <c>~unsubscribed</c>
/// (no partner id can be it: ids are lowercase letters, digits and hyphens), RowKey = key, with no
/// address at all. A campaign reads one partition per partner and the unsubscribed one once.
/// </summary>
public sealed class TableReferrerDirectory(HubTables tables) : IReferrerDirectory
{
    private const string Unsubscribed = "~unsubscribed";

    private TableClient Table => tables.Referrers;

    public async Task RecordAsync(DirectoryReferrer referrer, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(
            new TableEntity(referrer.PartnerId, referrer.Key)
            {
                ["Name"] = referrer.Name,
                ["Email"] = referrer.Email,
                ["LastMeldingAt"] = referrer.LastMeldingAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    public async Task<IReadOnlyList<DirectoryReferrer>> OfPartnerAsync(string partnerId, CancellationToken cancellationToken)
    {
        var found = new List<DirectoryReferrer>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partnerId}"), cancellationToken: cancellationToken))
        {
            found.Add(new DirectoryReferrer(e.PartitionKey, e.RowKey, e.GetString("Name"), e.GetString("Email"), e.GetDateTimeOffset("LastMeldingAt")!.Value));
        }

        return found;
    }

    public async Task RemoveAsync(DirectoryReferrer referrer, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(referrer.PartnerId, referrer.Key, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed by another fire: gone is gone.
        }
    }

    public async Task UnsubscribeAsync(string key, DateTimeOffset at, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new TableEntity(Unsubscribed, key) { ["At"] = at }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlySet<string>> UnsubscribedAsync(CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Unsubscribed}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(e.RowKey);
        }

        return keys;
    }
}
