using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Consent;

/// <summary>
/// One statement about parental consent for a child, kept in the consent registry under the child's
/// pseudonym. <see cref="Scope"/> holds <c>all</c>, provider ids or provider kinds.
/// </summary>
public sealed record ConsentRecord(
    string ConsentId,
    string Status,
    IReadOnlyList<string> Scope,
    string? GivenBy,
    DateTimeOffset RecordedAt,
    string Source)
{
    /// <summary>The scope that covers every provider.</summary>
    public const string AllProviders = "all";

    public bool Covers(Provider provider) => Scope.Any(s => s == AllProviders || s == provider.Id || s == provider.Kind);

    /// <summary>The consent a melding carries, as a registry record; <c>not-asked</c> says nothing and records nothing.</summary>
    public static ConsentRecord? FromMelding(Zorgmelding melding) => melding.Consent is { Status: ConsentStatuses.Given or ConsentStatuses.Refused } consent
        ? new ConsentRecord(
            Identifiers.ConsentId(melding.MeldingId, "melding"),
            consent.Status,
            consent.Scope.Count == 0 ? [AllProviders] : consent.Scope,
            consent.GivenBy,
            consent.RecordedAt ?? melding.ReportedAt,
            melding.MeldingId)
        : null;
}

public static class ConsentStatuses
{
    public const string Given = "given";
    public const string Refused = "refused";
    public const string Withdrawn = "withdrawn";
    public const string NotAsked = "not-asked";
}

/// <summary>How the registry answers "may this provider receive content?".</summary>
public static class ConsentRules
{
    /// <summary>
    /// The latest record whose scope covers the provider decides. At the same instant a refusal or
    /// withdrawal outweighs a consent: when in doubt, share less.
    /// </summary>
    public static ConsentRecord? Deciding(IEnumerable<ConsentRecord> records, Provider provider) =>
        records
            .Where(r => r.Status != ConsentStatuses.NotAsked && r.Covers(provider))
            .OrderByDescending(r => r.RecordedAt)
            .ThenBy(r => r.Status == ConsentStatuses.Given ? 1 : 0)
            .FirstOrDefault();
}
