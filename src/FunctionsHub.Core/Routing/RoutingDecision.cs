namespace FunctionsHub.Core.Routing;

/// <summary>Which providers a melding goes to, as what, and why. Content-free: it may be stored and shown.</summary>
public sealed record RoutingDecision(
    IReadOnlyList<ProviderDecision> Providers,
    IReadOnlyList<string> MatchedRules,
    string? AcuteReason);

/// <param name="Kind"><c>referral</c> (content shared) or <c>signal</c> (identity and referrer contact only).</param>
/// <param name="Reasons">Rule ids, <c>default-provider</c> or <c>acute-provider</c>: why this provider was chosen.</param>
public sealed record ProviderDecision(string ProviderId, string Kind, string ConsentBasis, IReadOnlyList<string> Reasons);

public static class ReferralKinds
{
    public const string Referral = "referral";
    public const string Signal = "signal";
    public const string ConsentWithdrawn = "consent-withdrawn";
}

public static class ConsentBases
{
    public const string ParentalConsent = "parental-consent";
    public const string AcuteSafety = "acute-safety";
    public const string None = "none";
}
