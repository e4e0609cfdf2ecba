using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The hub's tables, each created once. <c>Hub:Storage:TablePrefix</c> (letters and digits) lets
/// tests and several hubs share one account; production leaves it empty.
/// </summary>
public sealed class HubTables(TableServiceClient service, string prefix)
{
    private readonly ConcurrentDictionary<string, TableClient> _ready = new();

    public TableClient Meldingen => Get("meldingen");

    public TableClient Digests => Get("digests");

    /// <summary>One entity per child (its partition, RowKey <c>file</c>): consent statements, meldingen with their decisions and send claims, as one JSON document.</summary>
    public TableClient ChildFiles => Get("childfiles");

    /// <summary>Routed meldingen, each with its referrals, one partition per UTC month of receipt.</summary>
    public TableClient Instroom => Get("instroom");

    public TableClient Audit => Get("audit");

    /// <summary>The once-ledger: work claimed and done once (notices, the match pair), deliveries recorded once.</summary>
    public TableClient Once => Get("once");

    /// <summary>Outbound deliveries: a record per notification, and those needing attention by state.</summary>
    public TableClient Deliveries => Get("deliveries");

    /// <summary>The referrer directory: referrers by partner, and the addresses that unsubscribed.</summary>
    public TableClient Referrers => Get("referrers");

    /// <summary>Campaign sends: one row per (campaign, occurrence, recipient), for the gemeente's view.</summary>
    public TableClient CampaignSends => Get("campaignsends");

    /// <summary>Match follow-ups: by day of their deadline (for the timer), and by match id (for a referrer's confirmation).</summary>
    public TableClient MatchFollowUps => Get("matchfollowups");

    /// <summary>The retention index: every melding under the month it was reported in, so the purge reads the months past their term as one key range.</summary>
    public TableClient Retention => Get("retention");

    /// <summary>Reads one entity of the meldingen table (if any), without creating it: whether table storage answers.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in service.GetTableClient(prefix + "meldingen").QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages())
            {
                break;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: storage answered.
        }
    }

    private TableClient Get(string name)
    {
        if (_ready.TryGetValue(name, out var ready))
        {
            return ready;
        }

        var client = service.GetTableClient(prefix + name);
        client.CreateIfNotExists();
        return _ready.GetOrAdd(name, client);
    }
}
