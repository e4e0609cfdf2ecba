using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StandardWebhooks;

namespace Samples.Partner;

/// <summary>
/// Posts zorgmeldingen to the hub as one partner and reads their status: every request signed with
/// Standard Webhooks using the partner's own secret (<c>whsec_...</c>).
/// </summary>
/// <param name="http">Its <see cref="HttpClient.Timeout"/> should be longer than <see cref="MeldingClientOptions.AttemptTimeout"/>.</param>
/// <param name="hub">The hub's base address, e.g. <c>https://hub.voorbeeldstad.nl/</c>.</param>
/// <param name="partnerId">Your partner id, sent as <c>X-Partner-Id</c>.</param>
/// <param name="secret">Your secret, <c>whsec_</c> + base64. Keep it in a vault or an environment variable, never in code.</param>
public sealed class MeldingClient(HttpClient http, Uri hub, string partnerId, string secret, MeldingClientOptions? options = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StandardWebhook _webhook = new(secret);
    private readonly MeldingClientOptions _options = options ?? new MeldingClientOptions();

    /// <summary>
    /// A new webhook-id for a new melding. Store it WITH the melding in your own system before the first
    /// attempt: if your program stops mid-way, sending again with the same id cannot create a second melding.
    /// </summary>
    public static string NewWebhookId() => $"msg_{Guid.NewGuid():N}";

    /// <summary>
    /// Posts a melding body (JSON, as in the OpenAPI document) to <c>/api/feeds/{feed}/meldingen</c>.
    /// A timeout, a lost connection, 408, 429 or 5xx is retried with the SAME webhook-id and body: the hub
    /// keeps one melding per (partner, webhook-id), so a retry of a post that did arrive answers the same
    /// 202 and nothing is processed twice. Any other answer is final and returned as it is.
    /// </summary>
    public async Task<PostResult> PostMeldingAsync(string feed, string body, string? webhookId = null, CancellationToken cancellationToken = default)
    {
        webhookId ??= NewWebhookId();
        var uri = new Uri(hub, $"api/feeds/{Uri.EscapeDataString(feed)}/meldingen");
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.AttemptTimeout);
            try
            {
                // Signed afresh for each attempt: the hub accepts a webhook-timestamp within 5 minutes
                // of its clock, and a retry may come later than that. Same id, same body.
                using var request = Signed(HttpMethod.Post, uri, webhookId, body);
                using var response = await http.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!IsTransient(response.StatusCode) || attempt > _options.RetryDelays.Count)
                {
                    return Result(response, text, webhookId, attempt);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException
                && !cancellationToken.IsCancellationRequested && attempt <= _options.RetryDelays.Count)
            {
                // No answer (connection lost, or the attempt timed out): the hub may or may not have
                // the melding. Sending the same webhook-id again is exactly what makes that safe.
            }

            await Task.Delay(Max(retryAfter, _options.RetryDelays[attempt - 1]), cancellationToken);
        }
    }

    /// <summary>
    /// <c>GET</c> on the <c>Location</c> of an accepted melding, signed over an empty body. Null when the hub
    /// answers 404, which it does for every id that is not one of your own meldingen.
    /// </summary>
    public async Task<MeldingStatus?> ReadStatusAsync(Uri location, CancellationToken cancellationToken = default)
    {
        // A GET has no body; the signature covers "{id}.{timestamp}." and the empty string. Each read gets a new id.
        using var request = Signed(HttpMethod.Get, new Uri(hub, location), NewWebhookId(), body: "");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<MeldingStatus>(await response.Content.ReadAsStreamAsync(cancellationToken), Json, cancellationToken);
    }

    private HttpRequestMessage Signed(HttpMethod method, Uri uri, string webhookId, string body)
    {
        var timestamp = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(method, uri);
        if (method != HttpMethod.Get)
        {
            // The hub checks the signature over the exact bytes it receives: send the very string you signed
            // (UTF-8, no byte order mark), and do not re-serialise the JSON after signing.
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("X-Partner-Id", partnerId);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        // "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), key = base64-decoded secret after "whsec_".
        request.Headers.Add("webhook-signature", _webhook.Sign(webhookId, timestamp, body));
        return request;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static TimeSpan Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;

    private static PostResult Result(HttpResponseMessage response, string body, string webhookId, int attempts)
    {
        string? meldingId = null;
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            using var answer = JsonDocument.Parse(body);
            meldingId = answer.RootElement.GetProperty("meldingId").GetString();
        }

        return new PostResult(response.StatusCode, webhookId, meldingId, response.Headers.Location, body, attempts);
    }
}

/// <param name="AttemptTimeout">How long one attempt may take before it counts as failed and is retried.</param>
/// <param name="RetryDelays">The wait before each retry; their number is the number of retries.</param>
public sealed record MeldingClientOptions(TimeSpan AttemptTimeout, IReadOnlyList<TimeSpan> RetryDelays)
{
    public MeldingClientOptions()
        : this(TimeSpan.FromSeconds(30), [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)])
    {
    }
}

/// <summary>
/// The hub's answer to a post. <see cref="Body"/> is the hub's JSON: on 202 the melding id, otherwise a
/// problem (RFC 9457) that says what is wrong without quoting what you sent.
/// </summary>
public sealed record PostResult(HttpStatusCode Status, string WebhookId, string? MeldingId, Uri? Location, string Body, int Attempts)
{
    public bool Accepted => Status == HttpStatusCode.Accepted;
}

/// <summary><c>GET /api/meldingen/{meldingId}</c>: <c>accepted</c> (waiting), <c>routed</c> or <c>failed</c>.</summary>
public sealed record MeldingStatus(string MeldingId, string State, IReadOnlyList<ProviderStatus> Providers, bool Matched);

/// <summary>A provider the melding went to, as a full <c>referral</c> or a <c>signal</c>, and what it last reported.</summary>
public sealed record ProviderStatus(string Provider, string Kind, string Status, DateTimeOffset? StatusAt);
