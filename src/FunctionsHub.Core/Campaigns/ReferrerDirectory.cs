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

/// <summary>The referrer directory (table <c>referrers</c>): who campaign mail goes to, and who asked for none.</summary>
public interface IReferrerDirectory
{
    /// <summary>Adds the referrer or updates their name and last melding; one write, whatever was there.</summary>
    Task RecordAsync(DirectoryReferrer referrer, CancellationToken cancellationToken);

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
