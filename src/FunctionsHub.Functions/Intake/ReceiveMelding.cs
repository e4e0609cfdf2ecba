using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Intake;

/// <summary><c>POST /api/feeds/{feed}/meldingen</c>: a partner's zorgmelding, signed with its own secret.</summary>
public sealed partial class ReceiveMelding(
    IHubDocumentSource documents,
    SignedRequestGate gate,
    MeldingIntake intake,
    TimeProvider time,
    ILogger<ReceiveMelding> logger)
{
    private HubDocument Document => documents.Current;

    [Function(nameof(ReceiveMelding))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{feed}/meldingen")] HttpRequest request,
        string feed,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReceiveAsync(request, feed, cancellationToken));

    private async Task<IActionResult> ReceiveAsync(HttpRequest request, string feed, CancellationToken cancellationToken)
    {
        // Before the gate: the route itself is wrong, whoever sends it.
        if (!Feeds.IsKnown(feed))
        {
            return JsonAnswer.Problem(404, "unknown-feed", "Unknown feed", $"Feeds are: {string.Join(", ", Feeds.All)}.");
        }

        return await gate.AnswerJsonAsync(
            request, SignedParties.Partner, party => ForbiddenOnFeed(party, feed), status => LogRejected(feed, status), signed => ParseAndAcceptAsync(signed, feed, cancellationToken), cancellationToken);
    }

    /// <summary>A disabled partner files nothing, and a partner files only on its own feed.</summary>
    private static JsonAnswer? ForbiddenOnFeed(SignedParty party, string feed) => party.Partner switch
    {
        { Enabled: false } partner => JsonAnswer.Problem(403, "forbidden-feed", "Not allowed on this feed", $"Partner '{partner.Id}' is disabled."),
        { } partner when partner.Feed != feed =>
            JsonAnswer.Problem(403, "forbidden-feed", "Not allowed on this feed", $"Partner '{partner.Id}' is registered for the '{partner.Feed}' feed."),
        _ => null,
    };

    private async Task<IActionResult> ParseAndAcceptAsync(SignedRequest signed, string feed, CancellationToken cancellationToken)
    {
        var partnerId = signed.Party.Id;
        var outcome = MeldingParser.Parse(signed.Json!.RootElement, feed, partnerId, Identifiers.MeldingId(partnerId, signed.WebhookId), time.GetUtcNow(), Document);
        if (outcome is not ParseOutcome.Parsed parsed)
        {
            var refusal = JsonAnswer.Refusal(outcome);
            LogRejected(feed, refusal.Status);
            return refusal;
        }

        return await AcceptAsync(parsed.Melding, signed.Body, cancellationToken);
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
