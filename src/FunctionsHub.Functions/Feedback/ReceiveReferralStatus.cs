using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Feedback;

/// <summary>
/// <c>POST /api/referrals/{referralId}/status</c>: a provider reports the status of a referral it
/// received, signed like intake with <c>X-Provider-Id</c> and its own secret. Answers, in this order:
/// the gate's (413, 401, 415, malformed-json), field rules 400, unknown referral 404, another
/// provider's 403, 422 before the referral, 409 webhook-id reused, 409 invalid transition, 202.
/// </summary>
public sealed partial class ReceiveReferralStatus(
    SignedRequestGate gate,
    ReferralFeedback feedback,
    ChildPseudonym pseudonyms,
    TimeProvider time,
    ILogger<ReceiveReferralStatus> logger)
{
    [Function(nameof(ReceiveReferralStatus))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "referrals/{referralId}/status")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => gate.AnswerJsonAsync(
            request, SignedParties.Provider, authorize: null, LogRejected, signed => ReportAsync(signed, referralId, cancellationToken), cancellationToken));

    private async Task<IActionResult> ReportAsync(SignedRequest signed, string referralId, CancellationToken cancellationToken)
    {
        var (report, errors) = StatusReportParser.Parse(signed.Json!.RootElement, time.GetUtcNow());
        if (report is null)
        {
            LogRejected(400);
            return SignedRequests.Invalid(errors);
        }

        var outcome = await feedback.ReportAsync(signed.Party.Id, referralId, signed.WebhookId, report, pseudonyms.Fingerprint(signed.Body), cancellationToken);
        if (outcome is FeedbackOutcome.Accepted accepted)
        {
            return JsonAnswer.Of(202, new AcceptedStatusAnswer(accepted.ReferralId, accepted.Status.Name()), HubJson.Default.AcceptedStatusAnswer);
        }

        var refusal = Refusal(outcome);
        LogRejected(refusal.Status);
        return refusal;
    }

    /// <summary>Fixed texts: none quotes the request, and the 404 is the same whichever way the referral is unknown.</summary>
    private static JsonAnswer Refusal(FeedbackOutcome outcome) => outcome switch
    {
        FeedbackOutcome.UnknownReferral => JsonAnswer.Problem(404, "unknown-referral", "Unknown referral",
            "No referral with this id has been sent to a provider."),
        FeedbackOutcome.NotYours => JsonAnswer.Problem(403, "not-your-referral", "Not your referral",
            "A provider reports statuses only for referrals sent to it."),
        FeedbackOutcome.OccurredBeforeReferral => JsonAnswer.Problem(422, "occurred-before-referral", "Occurred before the referral",
            "occurredAt lies before the referral was created."),
        FeedbackOutcome.Conflict => JsonAnswer.Problem(409, "webhook-id-reused", "webhook-id reused",
            "This webhook-id was delivered before with a different body. Use a new webhook-id for a new status."),
        FeedbackOutcome.InvalidTransition invalid => JsonAnswer.Problem(409, "invalid-transition", "Invalid transition",
            $"The referral's status is {invalid.Current.Name()}: statuses move forward only, and nothing follows completed, declined, no-contact or withdrawn."),
        _ => throw new ArgumentException("Not a refusal.", nameof(outcome)),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a referral status with {Status}")]
    private partial void LogRejected(int status);
}
