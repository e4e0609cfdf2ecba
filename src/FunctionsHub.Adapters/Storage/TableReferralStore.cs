using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Referrals with their dispatch state: PartitionKey = referral id, so feedback finds one in a single read.</summary>
public sealed class TableReferralStore(HubTables tables) : IReferralStore
{
    public async Task<ReferralRecord?> TryAddAsync(ReferralRecord record, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(record.ReferralId, "")
        {
            ["MeldingId"] = record.MeldingId,
            ["ProviderId"] = record.ProviderId,
            ["Kind"] = record.Kind,
            ["ConsentBasis"] = record.ConsentBasis,
            ["ChildPseudonym"] = record.ChildPseudonym,
            ["CreatedAt"] = record.CreatedAt,
            ["RespondBefore"] = record.RespondBefore,
            ["Dispatch"] = record.Dispatch,
        };
        return await tables.Referrals.AddOrGetExistingAsync(entity, () => FindAsync(record.ReferralId, cancellationToken), cancellationToken);
    }

    public async Task MarkSentAsync(string referralId, string kind, string consentBasis, CancellationToken cancellationToken) =>
        await tables.Referrals.UpdateEntityAsync(
            new TableEntity(referralId, "") { ["Dispatch"] = DispatchStates.Sent, ["Kind"] = kind, ["ConsentBasis"] = consentBasis },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    public async Task<ReferralRecord?> FindAsync(string referralId, CancellationToken cancellationToken)
    {
        var response = await tables.Referrals.GetEntityIfExistsAsync<TableEntity>(referralId, "", cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var e = response.Value!;
        return new ReferralRecord(
            e.PartitionKey,
            e.GetString("MeldingId"),
            e.GetString("ProviderId"),
            e.GetString("Kind"),
            e.GetString("ConsentBasis"),
            e.GetString("ChildPseudonym"),
            e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetDateTimeOffset("RespondBefore")!.Value,
            e.GetString("Dispatch"));
    }
}
