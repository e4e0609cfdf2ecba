using Azure.Data.Tables;
using FunctionsHub.Core.Campaigns;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Table <c>campaignsends</c>: PartitionKey = <c>{campaignId}_{occurrence}</c>, RowKey = <c>{channel}_{recipient}</c>; an occurrence is one partition.</summary>
public sealed class TableCampaignSends(HubTables tables) : ICampaignSends
{
    public async Task RecordAsync(CampaignSend send, CancellationToken cancellationToken) =>
        await tables.CampaignSends.UpsertEntityAsync(
            new TableEntity(Partition(send.CampaignId, send.Occurrence), $"{send.Channel}_{send.Recipient}")
            {
                ["CampaignId"] = send.CampaignId,
                ["Occurrence"] = send.Occurrence,
                ["Channel"] = send.Channel,
                ["Recipient"] = send.Recipient,
                ["Outcome"] = send.Outcome.ToString(),
                ["At"] = send.At,
                ["Reason"] = send.Reason,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    public async Task<IReadOnlyList<CampaignSend>> OfOccurrenceAsync(string campaignId, string occurrence, CancellationToken cancellationToken)
    {
        var found = new List<CampaignSend>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(campaignId, occurrence)}");
        await foreach (var e in tables.CampaignSends.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(new CampaignSend(
                e.GetString("CampaignId"), e.GetString("Occurrence"), e.GetString("Channel"), e.GetString("Recipient"),
                Enum.Parse<CampaignSendOutcome>(e.GetString("Outcome")), e.GetDateTimeOffset("At")!.Value, e.GetString("Reason")));
        }

        return found;
    }

    private static string Partition(string campaignId, string occurrence) => $"{campaignId}_{occurrence}";
}
