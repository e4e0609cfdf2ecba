using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsHub.Core;

/// <summary>
/// Deterministic ids: the same partner delivery always names the same melding, the same consent
/// delivery the same consent, so a retry can never create a second one. Referral ids are keyed and
/// made by <see cref="ReferralIds"/>; their shape is read here.
/// </summary>
public static partial class Identifiers
{
    public static string MeldingId(string partnerId, string webhookId) => "mld_" + Digest(partnerId, webhookId);

    /// <summary>Whether a value has the shape of a melding id (and so is safe as a table key).</summary>
    public static bool IsMeldingId(string? value) =>
        value is { Length: 36 } && value.StartsWith("mld_", StringComparison.Ordinal) && value[4..].All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// Whether a value has the shape of an id in the configuration document (a partner, provider,
    /// provider kind, wijk, rule or campaign), which consent scopes name too: lowercase letters,
    /// digits and single hyphens.
    /// </summary>
    public static bool IsDocumentId(string id) => DocumentIdPattern().IsMatch(id);

    /// <summary>The melding a referral id (<see cref="ReferralIds"/>) names, or null when the value is not shaped like a referral id.</summary>
    public static string? MeldingIdOfReferral(string? referralId) =>
        referralId is { Length: 52 } && referralId.StartsWith("ref_", StringComparison.Ordinal) && referralId[4..].All(char.IsAsciiHexDigitLower)
            ? "mld_" + referralId[4..36]
            : null;

    /// <summary>A consent record: from a melding (source = melding id) or from a signed consent delivery (party, webhook-id).</summary>
    public static string ConsentId(string source, string deliveryId) => "cns_" + Digest(source, deliveryId);

    /// <summary>A status delivery from a provider (provider, webhook-id): the key its once-ledger record is kept under.</summary>
    public static string StatusDeliveryId(string providerId, string webhookId) => "sts_" + Digest(providerId, webhookId);

    /// <summary>A notification on <c>notifications-out</c>, e.g. (melding, "match.found:" + other melding).</summary>
    public static string NotificationId(string subject, string what) => "ntf_" + Digest(subject, what);

    /// <summary>Whether a value has the shape of a notification id (and so is safe to show).</summary>
    public static bool IsNotificationId(string? value) =>
        value is { Length: 36 } && value.StartsWith("ntf_", StringComparison.Ordinal) && value[4..].All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// A match: the pair of meldingen about one child from two partners, whichever of the two was
    /// routed first (the lower melding id goes first, as in the pair key the once-ledger claims), so
    /// both referrers and every retry name the same match.
    /// </summary>
    public static string MatchId(string meldingId, string otherMeldingId) =>
        string.CompareOrdinal(meldingId, otherMeldingId) < 0 ? "mtc_" + Digest(meldingId, otherMeldingId) : "mtc_" + Digest(otherMeldingId, meldingId);

    /// <summary>Whether a value has the shape of a match id (and so is safe as a table key).</summary>
    public static bool IsMatchId(string? value) =>
        value is { Length: 36 } && value.StartsWith("mtc_", StringComparison.Ordinal) && value[4..].All(char.IsAsciiHexDigitLower);

    /// <summary>A consent-withdrawn notice to one provider.</summary>
    public static string NoticeId(string consentId, string providerId) => "ntc_" + Digest(consentId, providerId);

    private static string Digest(string a, string b)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{a}\n{b}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    // Ids become queue names (inbox-{id}): 3-63 characters in total, so at most 57 here.
    // \z, not $: $ also matches before a final newline, so "cjg\n" would pass as an id.
    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9]|-(?!-)){0,55}[a-z0-9]\z|^[a-z0-9]\z")]
    private static partial Regex DocumentIdPattern();
}
