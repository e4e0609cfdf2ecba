using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Referrals with their dispatch state: PartitionKey = referral id, so feedback finds one in a single
/// read. Inserted as <c>sending</c> under a lease: on the first run the insert is the claim, so the
/// claim costs no extra transaction.
/// </summary>
public sealed class TableReferralStore(HubTables tables) : IReferralStore
{
    private static readonly ClaimStates Dispatch = new("Dispatch", Claimed: DispatchState.Sending.Name(), Done: DispatchState.Sent.Name(), Released: DispatchState.Pending.Name());

    public async Task<ReferralClaim> ClaimSendAsync(ReferralRecord wanted, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(wanted.ReferralId, "")
        {
            ["MeldingId"] = wanted.MeldingId,
            ["ProviderId"] = wanted.ProviderId,
            ["Kind"] = wanted.Kind,
            ["ConsentBasis"] = wanted.ConsentBasis,
            ["ChildPseudonym"] = wanted.ChildPseudonym,
            ["CreatedAt"] = wanted.CreatedAt,
            ["RespondBefore"] = wanted.RespondBefore,
        };
        var (claim, existing) = await tables.Referrals.ClaimAsync(entity, Dispatch, now, lease, cancellationToken);
        return new ReferralClaim(claim.State, existing is null ? wanted with { Dispatch = DispatchState.Sending } : Read(existing), claim.Token);
    }

    public Task ReleaseSendAsync(string referralId, string token, CancellationToken cancellationToken) =>
        tables.Referrals.ReleaseAsync(referralId, "", Dispatch, token, cancellationToken);

    public async Task MarkSentAsync(string referralId, string kind, string consentBasis, CancellationToken cancellationToken) =>
        await tables.Referrals.UpdateEntityAsync(
            new TableEntity(referralId, "") { ["Dispatch"] = DispatchState.Sent.Name(), [TableClaims.LeaseUntil] = null, ["Kind"] = kind, ["ConsentBasis"] = consentBasis },
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

        return Read(response.Value!);
    }

    private static ReferralRecord Read(TableEntity e) =>
        new(
            e.PartitionKey,
            e.GetString("MeldingId"),
            e.GetString("ProviderId"),
            e.GetString("Kind"),
            e.GetString("ConsentBasis"),
            e.GetString("ChildPseudonym"),
            e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetDateTimeOffset("RespondBefore")!.Value,
            DispatchStates.Parse(e.GetString("Dispatch")));
}
