using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Campaigns;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Table <c>referrers</c>: PartitionKey = partner id, RowKey = the address's key, with name, e-mail and
/// the last melding's receipt; in the same partition the partner's activity under RowKey <c>~activity</c>
/// (its last melding, or when the hub first looked), so a routed melding writes both in one transaction;
/// the unsubscribed addresses under PartitionKey <c>~unsubscribed</c> (no partner id can be it: ids are
/// lowercase letters, digits and hyphens), RowKey = key, with no address at all. Keys are lowercase hex,
/// so every referrer sorts before <c>~</c>. A campaign reads one partition per partner and the
/// unsubscribed one once.
/// </summary>
public sealed class TableReferrerDirectory(HubTables tables) : IReferrerDirectory
{
    private const string Unsubscribed = "~unsubscribed";

    private const string Activity = "~activity";

    private TableClient Table => tables.Referrers;

    public async Task RecordMeldingAsync(string partnerId, DateTimeOffset receivedAt, DirectoryReferrer? referrer, CancellationToken cancellationToken)
    {
        // Merge: a partner's first-seen time stays beside its last melding.
        var activity = new TableEntity(partnerId, Activity) { ["LastMeldingAt"] = receivedAt };
        if (referrer is null)
        {
            await Table.UpsertEntityAsync(activity, TableUpdateMode.Merge, cancellationToken);
            return;
        }

        if (referrer.PartnerId != partnerId)
        {
            throw new ArgumentException($"The referrer is of partner {referrer.PartnerId}, not of {partnerId}.", nameof(referrer));
        }

        await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertMerge, activity),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partnerId, referrer.Key)
                {
                    ["Name"] = referrer.Name,
                    ["Email"] = referrer.Email,
                    ["LastMeldingAt"] = referrer.LastMeldingAt,
                }),
            ],
            cancellationToken);
    }

    public async Task<PartnerActivity> ActivityAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = await Table.GetEntityIfExistsAsync<TableEntity>(partnerId, Activity, cancellationToken: cancellationToken);
            if (found.HasValue && found.Value is { } entity)
            {
                return entity.GetDateTimeOffset("LastMeldingAt") is { } last
                    ? new PartnerActivity(partnerId, last, EverSent: true)
                    : new PartnerActivity(partnerId, entity.GetDateTimeOffset("SeenSince")!.Value, EverSent: false);
            }

            try
            {
                await Table.AddEntityAsync(new TableEntity(partnerId, Activity) { ["SeenSince"] = now }, cancellationToken);
                return new PartnerActivity(partnerId, now, EverSent: false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // A melding or another fire recorded it in between: read what they wrote.
            }
        }
    }

    public async Task<IReadOnlyList<DirectoryReferrer>> OfPartnerAsync(string partnerId, CancellationToken cancellationToken)
    {
        var found = new List<DirectoryReferrer>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partnerId} and RowKey lt {Activity}"), cancellationToken: cancellationToken))
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
