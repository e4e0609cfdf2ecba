using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsHub.Core;

/// <summary>
/// Deterministic ids: the same partner delivery always names the same melding, and the same
/// (melding, provider) pair the same referral, so a retry can never create a second one.
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

    public static string ReferralId(string meldingId, string providerId) => "ref_" + Digest(meldingId, providerId);

    /// <summary>A consent record: from a melding (source = melding id) or from a signed consent delivery (party, webhook-id).</summary>
    public static string ConsentId(string source, string deliveryId) => "cns_" + Digest(source, deliveryId);

    /// <summary>A notification on <c>notifications-out</c>, e.g. (melding, "match.found:" + other melding).</summary>
    public static string NotificationId(string subject, string what) => "ntf_" + Digest(subject, what);

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
