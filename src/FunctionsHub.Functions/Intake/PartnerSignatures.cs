using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace FunctionsHub.Functions.Intake;

/// <summary>
/// Standard Webhooks verification with each party's own secret. The StandardWebhooks package
/// does the HMAC, the ±5 minute tolerance, several signatures per header (key rotation) and the
/// constant-time comparison; this class only picks the secret.
/// </summary>
public sealed class PartnerSignatures(IReadOnlyDictionary<string, string> secrets)
{
    public bool IsAuthentic(string partyId, string body, IHeaderDictionary headers)
    {
        if (!secrets.TryGetValue(partyId, out var secret))
        {
            return false;
        }

        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }
}
