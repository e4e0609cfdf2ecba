using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;
using FunctionsHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Functions.Routing;

/// <summary>
/// <c>POST /api/routing/explain?partner={partnerId}</c> (or <c>?feed=</c>): the decision routing would
/// make for a melding body now, with the consent registry and matches as they stand, storing and
/// sending nothing. For the gemeente to test its rules.
/// </summary>
public sealed class ExplainRouting(HubDocument document, MeldingRouting routing, TimeProvider time)
{
    [Function(nameof(ExplainRouting))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "routing/explain")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var partnerId = request.Query["partner"].ToString();
        var feed = document.FindPartner(partnerId)?.Feed ?? request.Query["feed"].ToString();
        if (!Feeds.IsKnown(feed))
        {
            return JsonAnswer.Problem(400, "unknown-feed", "Name a partner or a feed",
                $"Add ?partner= with a partner id (which also lets matches count) or ?feed= with one of: {string.Join(", ", Feeds.All)}.");
        }

        var body = await SignedRequests.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return SignedRequests.TooLarge();
        }

        using var json = SignedRequests.ParseJson(request, body);
        if (json is null)
        {
            return SignedRequests.NotJson();
        }

        var outcome = MeldingParser.Parse(json.RootElement, feed, partnerId.Length > 0 ? partnerId : "explain", "explain", time.GetUtcNow(), document);
        if (outcome is not ParseOutcome.Parsed parsed)
        {
            return ReceiveMelding.Refusal(outcome);
        }

        return JsonAnswer.Of(200, await routing.ExplainAsync(parsed.Melding, cancellationToken), HubJson.Default.RoutingDecision);
    }
}
