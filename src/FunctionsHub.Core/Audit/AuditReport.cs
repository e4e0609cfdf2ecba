using FunctionsHub.Core.Intake;
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

public sealed class AuditReports(IMeldingStore meldingen, IAuditTrail audit, IReferralStore referrals)
{
    public async Task<AuditReport?> ReadAsync(string meldingId, CancellationToken cancellationToken)
    {
        var melding = await meldingen.FindAsync(meldingId, cancellationToken);
        if (melding is null)
        {
            return null;
        }

        var record = await audit.ReadAsync(meldingId, cancellationToken);
        var views = new List<ReferralRecordView>();
        foreach (var provider in record.Decision?.Providers ?? [])
        {
            if (await referrals.FindAsync(Identifiers.ReferralId(meldingId, provider.ProviderId), cancellationToken) is { } r)
            {
                views.Add(new ReferralRecordView(r.ReferralId, r.ProviderId, r.Kind, r.ConsentBasis, r.Dispatch.Name(), r.CreatedAt, r.RespondBefore));
            }
        }

        return new AuditReport(melding.MeldingId, melding.PartnerId, melding.Feed, melding.State.Name(), melding.ReceivedAt, melding.Urgency,
            melding.AcuteReason, record.Decision, views, record.Events);
    }
}
