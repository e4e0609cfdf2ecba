using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace FunctionsHub.Functions.Intake;

/// <summary>
/// Standard Webhooks verification with each party's own secret. The StandardWebhooks package does
/// the HMAC, the ±300 s tolerance and the constant-time comparison. Its loop over several
/// space-separated signatures compares the last one against the whole header (1.1.2), which would
/// break key rotation whenever the current key's signature comes last, so each signature is
/// offered to it on its own.
/// </summary>
public sealed class PartnerSignatures(IReadOnlyDictionary<string, string> secrets)
{
    public const string SignatureHeader = "webhook-signature";

    public bool IsAuthentic(string partyId, string body, IHeaderDictionary headers)
    {
        if (!secrets.TryGetValue(partyId, out var secret))
        {
            return false;
        }

        var webhook = new StandardWebhook(secret);
        var signatures = headers[SignatureHeader].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return signatures.Any(signature => Verifies(webhook, body, headers, signature));
    }

    private static bool Verifies(StandardWebhook webhook, string body, IHeaderDictionary headers, string signature)
    {
        var single = new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase))
        {
            [SignatureHeader] = signature,
        };
        try
        {
            webhook.Verify(body, single);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}
