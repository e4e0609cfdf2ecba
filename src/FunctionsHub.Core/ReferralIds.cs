using System.Security.Cryptography;
using System.Text;

namespace FunctionsHub.Core;

/// <summary>
/// Referral ids: <c>ref_</c>, the 32 hex digits of the melding id, and 16 hex digits of an
/// HMAC-SHA256 over (melding, provider). Deterministic for the pair, so a retry sends and records
/// the same referral, and naming its melding, so that a referral is found from its id alone
/// (<see cref="Identifiers.MeldingIdOfReferral"/>). Keyed, so that a provider that knows a melding
/// id cannot compute the referral id another provider has for it (and learn from the status
/// endpoint's <c>403</c> against <c>404</c> that the melding went there too).
/// </summary>
/// <remarks>
/// The key is derived from <c>Hub:PseudonymKey</c>, HMAC-SHA256(pseudonym key, "functionshub:referral-id"),
/// so the hub keeps one secret and the pseudonym key itself is used for one purpose only.
/// </remarks>
public sealed class ReferralIds
{
    private readonly byte[] _key;

    /// <param name="pseudonymKey">The hub's <c>Hub:PseudonymKey</c>, at least 32 bytes.</param>
    public ReferralIds(byte[] pseudonymKey) => _key = DerivedKeys.For(pseudonymKey, "functionshub:referral-id");

    /// <summary>The id of the referral a melding makes for a provider.</summary>
    public string For(string meldingId, string providerId)
    {
        var suffix = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{meldingId}\n{providerId}"));
        return "ref_" + (meldingId.StartsWith("mld_", StringComparison.Ordinal) ? meldingId[4..] : meldingId) + Convert.ToHexStringLower(suffix.AsSpan(0, 8));
    }
}
