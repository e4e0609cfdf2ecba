using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsHub.Core;
using Microsoft.AspNetCore.Http;

namespace FunctionsHub.Functions.Intake;

/// <summary>
/// Standard Webhooks verification with each party's own secret, over the raw bytes of the body:
/// v1 = base64(HMAC-SHA256(secret, "{webhook-id}.{webhook-timestamp}." + body)). The
/// StandardWebhooks package verifies a string, so a body that is not valid UTF-8 would be checked
/// as its decoded (replaced) text and fail as 401 instead of being refused for what it is.
/// </summary>
public sealed class PartnerSignatures(PartySecrets secrets, TimeProvider time)
{
    public const string IdHeader = "webhook-id";

    public const string SignatureHeader = "webhook-signature";

    /// <summary>How far the webhook-timestamp may be from the hub's clock, either way (the Standard Webhooks default).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private const string SecretPrefix = "whsec_";

    public bool IsAuthentic(string partyId, ReadOnlySpan<byte> body, IHeaderDictionary headers)
    {
        if (secrets.Find(partyId) is not { } secret || Key(secret) is not { } key)
        {
            return false;
        }

        var webhookId = headers[IdHeader].ToString();
        if (webhookId.Length == 0
            || !long.TryParse(headers["webhook-timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        var expected = Hmac(key, webhookId, seconds, body);

        // Several space-separated signatures during key rotation: any one valid v1 signature will do.
        var valid = false;
        foreach (var signature in headers[SignatureHeader].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            valid |= signature.StartsWith("v1,", StringComparison.Ordinal) && Matches(expected, signature[3..]);
        }

        return valid;
    }

    private static byte[] Hmac(byte[] key, string webhookId, long seconds, ReadOnlySpan<byte> body)
    {
        // The timestamp as the signer wrote it in the header: canonical decimal, no leading zeros.
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{seconds.ToString(CultureInfo.InvariantCulture)}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool Matches(byte[] expected, string base64)
    {
        var given = new byte[expected.Length];
        return Convert.TryFromBase64String(base64, given, out var written)
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The key bytes of a <c>whsec_</c> + base64 secret (the start-up check ensures the shape).</summary>
    private static byte[]? Key(string secret)
    {
        var base64 = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
