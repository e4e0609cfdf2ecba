using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Functions.Intake;
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
    HubDocument document,
    PartnerSignatures signatures,
    ConsentRecording recording,
    ChildPseudonym pseudonyms,
    TimeProvider time,
    ILogger<ReceiveConsent> logger)
{
    [Function(nameof(ReceiveConsent))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "consents")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReceiveAsync(request, cancellationToken));

    private async Task<IActionResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await SignedRequests.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return SignedRequests.TooLarge();
        }

        var partnerId = request.Headers["X-Partner-Id"].ToString();
        var providerId = request.Headers["X-Provider-Id"].ToString();
        var partyId = partnerId.Length > 0 ? partnerId : providerId;
        var partner = document.FindPartner(partnerId);
        var known = partnerId.Length > 0 ? partner is not null : document.FindProvider(providerId) is not null;
        if (!known || (partnerId.Length > 0 && providerId.Length > 0) || !signatures.IsAuthentic(partyId, body, request.Headers))
        {
            LogRejected(401);
            return JsonAnswer.Problem(401, "unauthenticated", "Unauthenticated",
                "Send either X-Partner-Id or X-Provider-Id naming a registered party, and a valid, current Standard Webhooks signature with its secret.");
        }

        if (partner is { Enabled: false })
        {
            LogRejected(403);
            return JsonAnswer.Problem(403, "partner-disabled", "Partner disabled", $"Partner '{partner.Id}' is disabled.");
        }

        if (SignedRequests.ReadJson(request, body, out var parsedJson) is { } notJson)
        {
            LogRejected(notJson.Status);
            return notJson;
        }

        using var json = parsedJson!;

        var (statement, errors) = ConsentParser.Parse(json.RootElement, time.GetUtcNow());
        if (statement is null)
        {
            LogRejected(400);
            return SignedRequests.Invalid(errors);
        }

        var party = new ConsentParty(partnerId.Length > 0 ? ConsentPartyKind.Partner : ConsentPartyKind.Provider, partyId);
        switch (await recording.RecordAsync(party, request.Headers["webhook-id"].ToString(), statement, pseudonyms.Fingerprint(body), cancellationToken))
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
