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
