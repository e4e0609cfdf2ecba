using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Consent;

/// <summary>
/// One statement about parental consent for a child, kept in the consent registry under the child's
/// pseudonym. <see cref="Scope"/> holds <c>all</c>, provider ids or provider kinds.
/// <see cref="RecordedAt"/> is when the party says it was stated; <see cref="ReceivedAt"/> when the hub
/// heard of it (null on records kept before the hub noted it).
/// </summary>
public sealed record ConsentRecord(
    string ConsentId,
    string Status,
    IReadOnlyList<string> Scope,
    string? GivenBy,
    DateTimeOffset RecordedAt,
    string Source,
    DateTimeOffset? ReceivedAt = null)
{
    /// <summary>The scope that covers every provider.</summary>
    public const string AllProviders = Provider.AllProviders;

    /// <summary>
    /// When the statement counts from: its <see cref="RecordedAt"/>, but never later than when the hub
    /// received it. A statement dated ahead (a fast clock, or a typo of 2030) cannot outrank a
    /// withdrawal the hub receives after it.
    /// </summary>
    public DateTimeOffset EffectiveAt => ReceivedAt is { } received && received < RecordedAt ? received : RecordedAt;

    public bool Covers(Provider provider) => ScopeCovers(Scope, provider);

    /// <summary>Whether a consent scope (<c>all</c>, provider ids, provider kinds) covers the provider.</summary>
    public static bool ScopeCovers(IEnumerable<string> scope, Provider provider) => scope.Any(s => s == AllProviders || s == provider.Id || s == provider.Kind);

    /// <summary>The consent a melding carries, as a registry record; <c>not-asked</c> says nothing and records nothing.</summary>
    public static ConsentRecord? FromMelding(Zorgmelding melding) => melding.Consent is { Status: ConsentStatuses.Given or ConsentStatuses.Refused } consent
        ? new ConsentRecord(
            Identifiers.ConsentId(melding.MeldingId, "melding"),
            consent.Status,
            consent.Scope.Count == 0 ? [AllProviders] : consent.Scope,
            consent.GivenBy,
            consent.RecordedAt ?? melding.ReportedAt,
            melding.MeldingId,
            melding.ReceivedAt)
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
    /// The latest record (by <see cref="ConsentRecord.EffectiveAt"/>) whose scope covers the provider
    /// decides. At the same instant a refusal or withdrawal outweighs a consent: when in doubt, share less.
    /// </summary>
    public static ConsentRecord? Deciding(IEnumerable<ConsentRecord> records, Provider provider) =>
        records
            .Where(r => r.Status != ConsentStatuses.NotAsked && r.Covers(provider))
            .OrderByDescending(r => r.EffectiveAt)
            .ThenBy(r => r.Status == ConsentStatuses.Given ? 1 : 0)
            .FirstOrDefault();
}
