using System.Security.Cryptography;
using System.Text;

namespace FunctionsHub.Core;

/// <summary>
/// Keys derived from <c>Hub:PseudonymKey</c>, one per purpose (HMAC-SHA256 of the purpose under the
/// pseudonym key): the hub keeps one secret, and the pseudonym key itself serves only pseudonyms.
/// </summary>
public static class DerivedKeys
{
    /// <summary>The least length of the pseudonym key, in bytes.</summary>
    public const int MinimumKeyBytes = 32;

    /// <param name="pseudonymKey">The hub's <c>Hub:PseudonymKey</c>, at least <see cref="MinimumKeyBytes"/> bytes.</param>
    /// <param name="purpose">What the key is for, e.g. <c>functionshub:referral-id</c>; a purpose of its own per use.</param>
    public static byte[] For(byte[] pseudonymKey, string purpose)
    {
        ArgumentNullException.ThrowIfNull(pseudonymKey);
        if (pseudonymKey.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The pseudonym key must be at least {MinimumKeyBytes} bytes.", nameof(pseudonymKey));
        }

        return HMACSHA256.HashData(pseudonymKey, Encoding.UTF8.GetBytes(purpose));
    }
}
