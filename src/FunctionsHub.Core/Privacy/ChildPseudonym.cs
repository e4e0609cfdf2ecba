using System.Security.Cryptography;
using System.Text;

namespace FunctionsHub.Core.Privacy;

/// <summary>
/// The only form in which a child is named outside the intake and inbox queues:
/// HMAC-SHA256 keyed with <c>Hub:PseudonymKey</c>. Keyed, so the 10^9 possible BSNs cannot be
/// tried one by one without the key.
/// </summary>
public sealed class ChildPseudonym(byte[] key)
{
    private readonly byte[] _key = key.Length >= 32
        ? key
        : throw new ArgumentException("The pseudonym key must be at least 32 bytes.", nameof(key));

    public string Of(string bsn) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(bsn)));

    /// <summary>A keyed fingerprint of a request body, to recognise a repeated delivery without storing it.</summary>
    public string Fingerprint(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, body));
}
