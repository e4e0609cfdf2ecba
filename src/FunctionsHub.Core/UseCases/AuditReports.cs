using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.UseCases;

/// <summary>The audit trail of a melding for the gemeente, from what intake, routing and the instroom stored.</summary>
public sealed class AuditReports(IHubDocumentSource documents, IMeldingStore meldingen, IChildFiles files, IInstroomLog instroom, IAuditTrail audit, ReferralIds referralIds)
{
    public async Task<AuditReport?> ReadAsync(string meldingId, CancellationToken cancellationToken)
    {
        var melding = await meldingen.FindAsync(meldingId, cancellationToken);
        if (melding is null)
        {
            return null;
        }

        var decided = (await files.ReadAsync(melding.ChildPseudonym, cancellationToken)).Find(meldingId);
        var routed = await instroom.FindAsync(meldingId, melding.ReceivedAt, cancellationToken);
        var referrals = routed?.Referrals ?? decided?.UnroutedReferrals(documents.Current, referralIds) ?? [];
        var views = referrals.Select(r => new ReferralRecordView(r.ReferralId, r.ProviderId, r.Kind, r.ConsentBasis, r.Dispatch.Name(), r.CreatedAt, r.RespondBefore)).ToArray();
        return new AuditReport(melding.MeldingId, melding.PartnerId, melding.Feed, (routed is null ? MeldingState.Accepted : MeldingState.Routed).Name(),
            melding.ReceivedAt, melding.Urgency, melding.AcuteReason, decided?.Decision, views, await audit.EventsAsync(meldingId, cancellationToken));
    }

    /// <summary>The tombstone of a melding the retention purge removed (its month, feed and purge date), or null when there is none.</summary>
    public Task<AuditEvent?> TombstoneAsync(string meldingId, CancellationToken cancellationToken) =>
        RetentionPurge.TombstoneOfAsync(audit, meldingId, cancellationToken);
}
