namespace FunctionsHub.Core.Routing;

/// <summary>
/// Tells a provider that the partner took back a melding it received a referral or signal of: the
/// referral ended (<c>withdrawn</c>, <c>entered-in-error</c>). It names the referral and the partner's
/// reason code, never the child: the provider finds the referral in its own records.
/// </summary>
public sealed record ReferralRetractedMessage
{
    public string Schema { get; init; } = ReferralMessage.SchemaName;
    public string Kind { get; init; } = ReferralKinds.ReferralRetracted;

    /// <summary>Deterministic for (melding, provider), so a retried retraction sends the same notice.</summary>
    public required string NoticeId { get; init; }
    public required string Provider { get; init; }
    public required string ReferralId { get; init; }
    public required string MeldingId { get; init; }

    /// <summary>The partner's reason code: <c>entered-in-error</c>, <c>wrong-child</c>, <c>duplicate</c> or <c>other</c>.</summary>
    public required string Reason { get; init; }
    public required DateTimeOffset RetractedAt { get; init; }
}
