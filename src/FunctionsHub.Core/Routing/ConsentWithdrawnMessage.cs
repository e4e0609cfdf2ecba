namespace FunctionsHub.Core.Routing;

/// <summary>
/// Tells a provider that parental consent for content it received was withdrawn. It names the
/// affected referrals, never the child: the provider looks them up in its own records.
/// </summary>
public sealed record ConsentWithdrawnMessage
{
    public string Schema { get; init; } = ReferralMessage.SchemaName;
    public string Kind { get; init; } = ReferralKinds.ConsentWithdrawn;

    /// <summary>Deterministic for (consent record, provider), so a retried withdrawal sends the same notice.</summary>
    public required string NoticeId { get; init; }
    public required string Provider { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset WithdrawnAt { get; init; }
    public required IReadOnlyList<string> ReferralIds { get; init; }
}
