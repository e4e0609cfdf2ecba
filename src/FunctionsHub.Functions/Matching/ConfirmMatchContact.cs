using System.Text.Json;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Matching;

/// <summary>
/// <c>POST /api/matches/{matchId}/contact</c>: a referrer of a match (the <c>matchId</c> of its
/// <c>match.found</c>) confirms that it got in touch with the other, signed like intake with
/// <c>X-Partner-Id</c> and its own secret, over a JSON object (<c>{}</c>: the hub needs nothing from
/// the body). Answers, in this order: the gate's (413, 401, 415, malformed-json), a body that is not
/// an object 400, 404 for a match the partner is not a referrer of (the same as an unknown id), and
/// 200 with when it first confirmed: again the same 200, nothing recorded twice.
/// </summary>
public sealed partial class ConfirmMatchContact(SignedRequestGate gate, MatchFollowUps followUps, ILogger<ConfirmMatchContact> logger)
{
    [Function(nameof(ConfirmMatchContact))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "matches/{matchId}/contact")] HttpRequest request,
        string matchId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => gate.AnswerJsonAsync(
            request, SignedParties.Partner, authorize: null, LogRejected, signed => ConfirmAsync(signed, matchId, cancellationToken), cancellationToken));

    private async Task<IActionResult> ConfirmAsync(SignedRequest signed, string matchId, CancellationToken cancellationToken)
    {
        if (signed.Json!.RootElement.ValueKind != JsonValueKind.Object)
        {
            LogRejected(400);
            return SignedRequests.Invalid(new Dictionary<string, string[]> { ["$"] = ["Send a JSON object ({} will do)."] });
        }

        if (await followUps.ConfirmAsync(signed.Party.Id, matchId, cancellationToken) is not { } confirmed)
        {
            // A fixed text: the same whether the match is unknown or another partner's.
            LogRejected(404);
            return JsonAnswer.Problem(404, "unknown-match", "Unknown match", "No match with this id was found for this partner.");
        }

        return JsonAnswer.Of(200, confirmed, HubJson.Default.ContactConfirmedAnswer);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a match contact confirmation with {Status}")]
    private partial void LogRejected(int status);
}
