using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Routing;

/// <summary>
/// <c>POST /api/routing/explain?partner={partnerId}</c> (or <c>?feed=</c>): the decision routing would
/// make for a melding body now, with the consent registry as it stands, storing and sending nothing.
/// For the gemeente to test its rules. Matches and consent ids are left out of the answer.
/// </summary>
public sealed class ExplainRouting(IHubDocumentSource documents, MeldingRouting routing, TimeProvider time, ILogger<ExplainRouting> logger)
{
    private HubDocument Document => documents.Current;

    [Function(nameof(ExplainRouting))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "routing/explain")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ExplainAsync(request, cancellationToken));

    private async Task<IActionResult> ExplainAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var partnerId = request.Query["partner"].ToString();
        var feed = Document.FindPartner(partnerId)?.Feed ?? request.Query["feed"].ToString();
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

        if (SignedRequests.ReadJson(request, body, out var parsedJson) is { } notJson)
        {
            return notJson;
        }

        using var json = parsedJson!;

        var outcome = MeldingParser.Parse(json.RootElement, feed, partnerId.Length > 0 ? partnerId : "explain", "explain", time.GetUtcNow(), Document);
        if (outcome is not ParseOutcome.Parsed parsed)
        {
            return JsonAnswer.Refusal(outcome);
        }

        // Which partners reported a child, and which consent records exist for it, are not for a
        // rules test to reveal about any BSN typed in: the answer keeps providers, kinds and reasons.
        var decision = await routing.ExplainAsync(parsed.Melding, cancellationToken);
        var answer = decision with { Match = [], Providers = decision.Providers.Select(p => p with { ConsentId = null }).ToArray() };
        return JsonAnswer.Of(200, answer, HubJson.Default.RoutingDecision);
    }
}
