using System.Text.Json;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Intake;

/// <summary>
/// <c>POST /api/meldingen/{meldingId}/retract</c>: the partner that sent a melding takes it back,
/// signed like intake over <c>{ "reason": "entered-in-error" | "wrong-child" | "duplicate" | "other" }</c>.
/// Answers, in this order: the gate's (413, 401, 415, malformed-json), 404 for a melding that is unknown
/// or another partner's (the same answer), 400 for a reason not in the list, 409 <c>not-routed-yet</c>
/// while the melding is still on its way (seconds after its 202, or on the poison queue), and 200 with its status
/// (<c>retracted</c>): again the same 200, nothing done twice.
/// </summary>
public sealed partial class RetractMelding(SignedRequestGate gate, MeldingRetractions retractions, ILogger<RetractMelding> logger)
{
    [Function(nameof(RetractMelding))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meldingen/{meldingId}/retract")] HttpRequest request,
        string meldingId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => gate.AnswerJsonAsync(
            request, SignedParties.Partner, authorize: null, LogRejected, signed => RetractAsync(signed, meldingId, cancellationToken), cancellationToken));

    private async Task<IActionResult> RetractAsync(SignedRequest signed, string meldingId, CancellationToken cancellationToken)
    {
        var root = signed.Json!.RootElement;
        var reason = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var outcome = await retractions.RetractAsync(signed.Party.Id, meldingId, reason, cancellationToken);
        if (outcome is RetractionOutcome.Retracted retracted)
        {
            return JsonAnswer.Of(200, retracted.Status, HubJson.Default.MeldingStatusView);
        }

        // Fixed texts: none quotes the request, and the 404 is the same whichever way the melding is unknown.
        var refusal = outcome switch
        {
            RetractionOutcome.Unknown => JsonAnswer.Problem(404, "unknown-melding", "Unknown melding"),
            RetractionOutcome.InvalidReason => SignedRequests.Invalid(new Dictionary<string, string[]>
            {
                ["$.reason"] = [$"Must be one of: {string.Join(", ", Retractions.Reasons)}."],
            }),
            RetractionOutcome.NotRoutedYet => JsonAnswer.Problem(409, "not-routed-yet", "Not routed yet",
                "The melding is still on its way to its providers; retract it once it is routed (seconds after the 202, unless it failed: then ask the gemeente's operator)."),
            _ => throw new ArgumentException("Not a refusal.", nameof(outcome)),
        };
        LogRejected(refusal.Status);
        return refusal;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a retraction with {Status}")]
    private partial void LogRejected(int status);
}
