using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StandardWebhooks;

namespace Samples.Provider;

/// <summary>
/// <c>POST /api/referrals/{referralId}/status</c> as the provider, signed with Standard Webhooks using the
/// provider's own secret and <c>X-Provider-Id</c>. The referrer hears of it (<c>referral.status-changed</c>).
/// </summary>
public sealed class StatusReporter(HttpClient http, Uri hub, string providerId, string secret)
{
    private readonly StandardWebhook _webhook = new(secret);

    /// <summary>
    /// Reports <paramref name="status"/> for a referral. The webhook-id is derived from (referral, status), so
    /// reporting the same status again after a lost answer cannot count twice: the hub answers the same 202
    /// for the same body, and 409 <c>webhook-id-reused</c> when an earlier run already sent it with another
    /// occurredAt. Both mean the hub has it. 409 <c>invalid-transition</c> means the referral is already past
    /// this status (someone reported further). Anything else throws, and the message is handled again later.
    /// </summary>
    public async Task<StatusOutcome> ReportAsync(string referralId, string status, DateTimeOffset referralCreatedAt, CancellationToken cancellationToken)
    {
        // occurredAt may not lie before the referral was created (422): a clock a little behind the hub's must not make it so.
        var now = DateTimeOffset.UtcNow;
        var occurredAt = now > referralCreatedAt ? now : referralCreatedAt;
        var body = JsonSerializer.Serialize(new { status, occurredAt = occurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture) });
        var webhookId = $"sts_{referralId}_{status}";
        var timestamp = DateTimeOffset.UtcNow;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub, $"api/referrals/{Uri.EscapeDataString(referralId)}/status"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Provider-Id", providerId);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", _webhook.Sign(webhookId, timestamp, body));

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return StatusOutcome.Reported;
        }

        var problem = response.StatusCode == HttpStatusCode.Conflict ? ProblemType(await response.Content.ReadAsStringAsync(cancellationToken)) : null;
        return problem switch
        {
            "urn:functionshub:problem:webhook-id-reused" => StatusOutcome.AlreadyReported,
            "urn:functionshub:problem:invalid-transition" => StatusOutcome.AlreadyFurther,
            _ => throw new HttpRequestException($"The hub answered {(int)response.StatusCode} to a status report.", null, response.StatusCode),
        };
    }

    private static string? ProblemType(string json)
    {
        try
        {
            using var problem = JsonDocument.Parse(json);
            return problem.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public enum StatusOutcome
{
    Reported,
    AlreadyReported,
    AlreadyFurther,
}
