using System.Security.Cryptography;
using System.Text;

namespace FunctionsHub.Core.Campaigns;

/// <summary>
/// A referrer as the directory keeps them: a partner's professional contact, learnt from the
/// <c>referrer</c> of its accepted meldingen. Never anything about a child or a melding but when the
/// last one came.
/// </summary>
/// <param name="Key">The address's keyed hash (<see cref="ReferrerKeys.Of"/>): the same address has the same key under every partner.</param>
/// <param name="LastMeldingAt">When the referrer's latest melding was received: the directory keeps them <c>retention.referrerMonths</c> after it.</param>
public sealed record DirectoryReferrer(string PartnerId, string Key, string Name, string Email, DateTimeOffset LastMeldingAt);

/// <summary>The directory's term: a referrer goes <c>retention.referrerMonths</c> after their last melding.</summary>
public static class ReferrerRetention
{
    public static bool IsOver(DirectoryReferrer referrer, DateTimeOffset now, int referrerMonths) => referrer.LastMeldingAt < now.AddMonths(-referrerMonths);
}

/// <summary>
/// How long a partner has been quiet, for the silent-partner reminder: since its latest melding, or,
/// for a partner that has sent none since the hub began keeping this, since the hub first looked.
/// </summary>
/// <param name="EverSent">Whether <paramref name="QuietSince"/> is a melding's receipt (true) or when the hub first looked (false).</param>
public sealed record PartnerActivity(string PartnerId, DateTimeOffset QuietSince, bool EverSent);

/// <summary>
/// The referrer directory (table <c>referrers</c>): who campaign mail goes to, who asked for none, and
/// when each partner last sent a melding.
/// </summary>
public interface IReferrerDirectory
{
    /// <summary>
    /// Records a routed melding of the partner: its receipt as the partner's latest melding and, when
    /// given, its referrer (added, or their name and last melding updated). One write, whatever was there.
    /// </summary>
    /// <param name="referrer">The melding's referrer, when they gave an e-mail address; of <paramref name="partnerId"/>.</param>
    Task RecordMeldingAsync(string partnerId, DateTimeOffset receivedAt, DirectoryReferrer? referrer, CancellationToken cancellationToken);

    /// <summary>
    /// The partner's activity. A partner with no record yet is recorded as first seen at
    /// <paramref name="now"/>, so that the silence of a partner that never sends counts from then.
    /// </summary>
    Task<PartnerActivity> ActivityAsync(string partnerId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The partner's referrers, in key order.</summary>
    Task<IReadOnlyList<DirectoryReferrer>> OfPartnerAsync(string partnerId, CancellationToken cancellationToken);

    /// <summary>Removes the referrer from the partner's list (retention); a referrer already gone is no error.</summary>
    Task RemoveAsync(DirectoryReferrer referrer, CancellationToken cancellationToken);

    /// <summary>Records that the address with this key wants no campaign mail, under any partner; again is no error.</summary>
    Task UnsubscribeAsync(string key, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The keys of every address that unsubscribed.</summary>
    Task<IReadOnlySet<string>> UnsubscribedAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Keys and unsubscribe tokens for referrer addresses. The key is HMAC-SHA256 over the address in
/// lower case, so the directory's keys and the unsubscribe list name an address without holding it;
/// the token is the key with a signature of its own, so that only a link the hub sent unsubscribes,
/// and it needs no login. Both keys are derived from <c>Hub:PseudonymKey</c> for these purposes only,
/// like <see cref="ReferralIds"/>.
/// </summary>
public sealed class ReferrerKeys
{
    private readonly byte[] _addressKey;
    private readonly byte[] _tokenKey;

    /// <param name="pseudonymKey">The hub's <c>Hub:PseudonymKey</c>, at least 32 bytes.</param>
    public ReferrerKeys(byte[] pseudonymKey)
    {
        _addressKey = DerivedKeys.For(pseudonymKey, "functionshub:referrer-address");
        _tokenKey = DerivedKeys.For(pseudonymKey, "functionshub:unsubscribe-token");
    }

    /// <summary>The key of an e-mail address: 32 hex digits, the same for any capitalisation and surrounding space.</summary>
    public string Of(string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_addressKey, Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())).AsSpan(0, 16));

    /// <summary>The unsubscribe token of a key: <c>{key}.{signature}</c>, URL-safe.</summary>
    public string TokenFor(string key) => $"{key}.{Signature(key)}";

    /// <summary>The key a token unsubscribes, or null when the token is not one the hub made.</summary>
    public string? KeyOf(string? token)
    {
        if (token is not { Length: 65 } || token[32] != '.')
        {
            return null;
        }

        var key = token[..32];
        var given = Encoding.ASCII.GetBytes(token[33..]);
        var expected = Encoding.ASCII.GetBytes(Signature(key));
        return key.All(char.IsAsciiHexDigitLower) && CryptographicOperations.FixedTimeEquals(given, expected) ? key : null;
    }

    private string Signature(string key) => Convert.ToHexStringLower(HMACSHA256.HashData(_tokenKey, Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
}
