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
    [Function(nameof(ReceiveMelding))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{feed}/meldingen")] HttpRequest request,
        string feed,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReceiveAsync(request, feed, cancellationToken));

    private async Task<IActionResult> ReceiveAsync(HttpRequest request, string feed, CancellationToken cancellationToken)
    {
        if (!Feeds.IsKnown(feed))
        {
            return JsonAnswer.Problem(404, "unknown-feed", "Unknown feed", $"Feeds are: {string.Join(", ", Feeds.All)}.");
        }

        var body = await SignedRequests.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return SignedRequests.TooLarge();
        }

        var partnerId = request.Headers["X-Partner-Id"].ToString();
        var partner = document.FindPartner(partnerId);
        if (partner is null || !signatures.IsAuthentic(partnerId, body, request.Headers))
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

        if (SignedRequests.ReadJson(request, body, out var parsedJson) is { } notJson)
        {
            LogRejected(feed, notJson.Status);
            return notJson;
        }

        using var json = parsedJson!;
        var webhookId = request.Headers["webhook-id"].ToString();
        var outcome = MeldingParser.Parse(json.RootElement, feed, partnerId, Identifiers.MeldingId(partnerId, webhookId), time.GetUtcNow(), document);
        if (outcome is not ParseOutcome.Parsed parsed)
        {
            var refusal = JsonAnswer.Refusal(outcome);
            LogRejected(feed, refusal.Status);
            return refusal;
        }

        return await AcceptAsync(parsed.Melding, body, cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted melding {MeldingId} on feed {Feed} from partner {PartnerId}")]
    private partial void LogAccepted(string meldingId, string feed, string partnerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a melding on feed {Feed} with {Status}")]
    private partial void LogRejected(string feed, int status);
}
