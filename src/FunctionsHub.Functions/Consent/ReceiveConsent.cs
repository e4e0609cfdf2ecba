using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Consent;

/// <summary>
/// <c>POST /api/consents</c>: consent given, refused or withdrawn, signed by a partner
/// (<c>X-Partner-Id</c>) or a provider (<c>X-Provider-Id</c>) with its own secret.
/// </summary>
public sealed partial class ReceiveConsent(
    SignedRequestGate gate,
    ConsentRecording recording,
    ChildPseudonym pseudonyms,
    TimeProvider time,
    ILogger<ReceiveConsent> logger)
{
    [Function(nameof(ReceiveConsent))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "consents")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => gate.AnswerJsonAsync(
            request, SignedParties.PartnerOrProvider, Disabled, LogRejected, signed => RecordAsync(signed, cancellationToken), cancellationToken));

    /// <summary>A disabled partner (contract ended) states no consent; providers have no such switch.</summary>
    private static JsonAnswer? Disabled(SignedParty party) =>
        party.Partner is { Enabled: false } partner
            ? JsonAnswer.Problem(403, "partner-disabled", "Partner disabled", $"Partner '{partner.Id}' is disabled.")
            : null;

    private async Task<IActionResult> RecordAsync(SignedRequest signed, CancellationToken cancellationToken)
    {
        var (statement, errors) = ConsentParser.Parse(signed.Json!.RootElement, time.GetUtcNow());
        if (statement is null)
        {
            LogRejected(400);
            return SignedRequests.Invalid(errors);
        }

        var party = new ConsentParty(signed.Party.Kind == SignedParties.Partner ? ConsentPartyKind.Partner : ConsentPartyKind.Provider, signed.Party.Id);
        switch (await recording.RecordAsync(party, signed.WebhookId, statement, pseudonyms.Fingerprint(signed.Body), cancellationToken))
        {
            case ConsentOutcome.Recorded recorded:
                return JsonAnswer.Of(202, new RecordedConsentAnswer(recorded.ConsentId), HubJson.Default.RecordedConsentAnswer);
            case ConsentOutcome.NotRelated:
                LogRejected(403);
                return JsonAnswer.Problem(403, "not-related", "Not related to this child",
                    "Consent for a child is accepted from a partner that reported the child, or a provider that received a referral about the child.");
            default:
                LogRejected(409);
                return JsonAnswer.Problem(409, "webhook-id-reused", "webhook-id reused",
                    "This webhook-id was delivered before with a different body. Use a new webhook-id for a new consent statement.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a consent with {Status}")]
    private partial void LogRejected(int status);
}
