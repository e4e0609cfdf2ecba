using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Audit;

/// <summary>The audit trail of one melding as the gemeente reads it: why it went where, and what was done. Content-free.</summary>
public sealed record AuditReport(
    string MeldingId,
    string PartnerId,
    string Feed,
    string State,
    DateTimeOffset ReceivedAt,
    string Urgency,
    string? AcuteReason,
    RoutingDecision? Decision,
    IReadOnlyList<ReferralRecordView> Referrals,
    IReadOnlyList<AuditEvent> Events);

/// <summary>A referral in the audit: never the child pseudonym, which is for joining tables, not for reading.</summary>
public sealed record ReferralRecordView(string ReferralId, string Provider, string Kind, string ConsentBasis, string Dispatch, DateTimeOffset CreatedAt, DateTimeOffset RespondBefore);

public sealed class AuditReports(IHubDocumentSource documents, IMeldingStore meldingen, IChildFiles files, IInstroomLog instroom, IAuditTrail audit)
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
        var referrals = routed?.Referrals ?? ReferralRecords.OfUnrouted(decided, documents.Current);
        var views = referrals.Select(r => new ReferralRecordView(r.ReferralId, r.ProviderId, r.Kind, r.ConsentBasis, r.Dispatch.Name(), r.CreatedAt, r.RespondBefore)).ToArray();
        return new AuditReport(melding.MeldingId, melding.PartnerId, melding.Feed, (routed is null ? MeldingState.Accepted : MeldingState.Routed).Name(),
            melding.ReceivedAt, melding.Urgency, melding.AcuteReason, decided?.Decision, views, await audit.EventsAsync(meldingId, cancellationToken));
    }

}
