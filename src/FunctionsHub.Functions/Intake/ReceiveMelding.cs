using System.Text;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Intake;

/// <summary><c>POST /api/feeds/{feed}/meldingen</c>: a partner's zorgmelding, signed with its own secret.</summary>
public sealed partial class ReceiveMelding(
    HubDocument document,
    PartnerSignatures signatures,
    MeldingIntake intake,
    TimeProvider time,
    ILogger<ReceiveMelding> logger)
{
    public const int MaxBodyBytes = 32 * 1024;

    [Function(nameof(ReceiveMelding))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{feed}/meldingen")] HttpRequest request,
        string feed,
        CancellationToken cancellationToken)
    {
        if (!Feeds.IsKnown(feed))
        {
            return JsonAnswer.Problem(404, "unknown-feed", "Unknown feed", $"Feeds are: {string.Join(", ", Feeds.All)}.");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return JsonAnswer.Problem(413, "body-too-large", "Body too large", $"A melding is at most {MaxBodyBytes} bytes.");
        }

        var partnerId = request.Headers["X-Partner-Id"].ToString();
        var partner = document.FindPartner(partnerId);
        if (partner is null || !signatures.IsAuthentic(partnerId, Encoding.UTF8.GetString(body), request.Headers))
        {
            LogRejected(feed, 401);
            return JsonAnswer.Problem(401, "unauthenticated", "Unauthenticated",
                "X-Partner-Id must name a registered partner, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.");
        }

        if (!partner.Enabled || partner.Feed != feed)
        {
            LogRejected(feed, 403);
            return JsonAnswer.Problem(403, "forbidden-feed", "Not allowed on this feed",
                partner.Enabled ? $"Partner '{partner.Id}' is registered for the '{partner.Feed}' feed." : $"Partner '{partner.Id}' is disabled.");
        }

        if (!IsJsonContentType(request.ContentType) || !TryParseJson(body, out var json))
        {
            return JsonAnswer.Problem(415, "not-json", "Not JSON", "Send Content-Type: application/json and a JSON body.");
        }

        using (json)
        {
            var webhookId = request.Headers["webhook-id"].ToString();
            var meldingId = Identifiers.MeldingId(partnerId, webhookId);
            switch (MeldingParser.Parse(json.RootElement, feed, partnerId, meldingId, time.GetUtcNow(), document))
            {
                case ParseOutcome.Invalid invalid:
                    LogRejected(feed, 400);
                    return JsonAnswer.Problem(400, "invalid-melding", "Invalid melding", "See errors: every problem, by JSON path.", invalid.Errors);
                case ParseOutcome.OutsideTargetGroup outside:
                    LogRejected(feed, 422);
                    return JsonAnswer.Problem(422, "outside-target-group", "Outside the target group",
                        $"The hub takes meldingen about children up to {outside.MaxAge} years old at reportedAt.");
                case ParseOutcome.Parsed parsed:
                    return await AcceptAsync(parsed.Melding, body, cancellationToken);
                default:
                    throw new InvalidOperationException("Unknown parse outcome.");
            }
        }
    }

    private async Task<IActionResult> AcceptAsync(Zorgmelding melding, byte[] body, CancellationToken cancellationToken)
    {
        switch (await intake.AcceptAsync(melding, body, cancellationToken))
        {
            case IntakeOutcome.Accepted accepted:
                LogAccepted(accepted.MeldingId, melding.Feed, melding.PartnerId);
                return JsonAnswer.Of(202, new AcceptedMelding(accepted.MeldingId), HubJson.Default.AcceptedMelding, $"/api/meldingen/{accepted.MeldingId}");
            case IntakeOutcome.Conflict:
                LogRejected(melding.Feed, 409);
                return JsonAnswer.Problem(409, "webhook-id-reused", "webhook-id reused",
                    "This webhook-id was delivered before with a different body. Use a new webhook-id for a new melding.");
            default:
                throw new InvalidOperationException("Unknown intake outcome.");
        }
    }

    /// <summary>The body, or null when it exceeds <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static bool IsJsonContentType(string? contentType) =>
        contentType is not null
        && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool TryParseJson(byte[] body, out JsonDocument json)
    {
        try
        {
            json = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            json = null!;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted melding {MeldingId} on feed {Feed} from partner {PartnerId}")]
    private partial void LogAccepted(string meldingId, string feed, string partnerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a melding on feed {Feed} with {Status}")]
    private partial void LogRejected(string feed, int status);
}
