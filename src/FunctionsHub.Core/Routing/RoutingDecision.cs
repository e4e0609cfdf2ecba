namespace FunctionsHub.Core.Routing;

/// <summary>
/// Which providers a melding goes to, as what, and why; stored in the audit trail the first time a
/// melding is routed and reused by every retry, so a retry sends exactly what the first try meant to.
/// </summary>
public sealed record RoutingDecision(
    IReadOnlyList<ProviderDecision> Providers,
    IReadOnlyList<string> MatchedRules,
    string? AcuteReason,
    IReadOnlyList<MatchedPartner> Match,
    DateTimeOffset DecidedAt)
{
    /// <summary>The decision without its match with <paramref name="meldingId"/> (retention: that melding was purged); itself when it has none.</summary>
    public RoutingDecision WithoutMatchOf(string meldingId) =>
        Match.Any(m => m.MeldingId == meldingId) ? this with { Match = Match.Where(m => m.MeldingId != meldingId).ToArray() } : this;
}

/// <param name="Kind"><c>referral</c> (content shared) or <c>signal</c> (identity and referrer contact only).</param>
/// <param name="Reasons">Rule ids, <c>default-provider</c> or <c>acute-provider</c>: why this provider was chosen.</param>
/// <param name="ConsentId">The consent record that decided the kind, if any.</param>
public sealed record ProviderDecision(string ProviderId, string Kind, string ConsentBasis, IReadOnlyList<string> Reasons, string? ConsentId = null);

public static class ReferralKinds
{
    public const string Referral = "referral";
    public const string Signal = "signal";
    public const string ConsentWithdrawn = "consent-withdrawn";
    public const string ReferralRetracted = "referral-retracted";
}

public static class ConsentBases
{
    public const string ParentalConsent = "parental-consent";
    public const string AcuteSafety = "acute-safety";
    public const string None = "none";
}
