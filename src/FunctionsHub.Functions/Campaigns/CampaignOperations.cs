using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Campaigns;

/// <summary>The gemeente's campaign operations (function key): what each campaign does next and did last, and a preview.</summary>
public sealed class CampaignOperations(CampaignOverview overview, ILogger<CampaignOperations> logger)
{
    /// <summary>
    /// <c>GET /api/campaigns</c>: each campaign with its next occurrence and its latest due one, with the
    /// counts of recipients sent, failed and unsubscribed (both channels). Counts only: no recipient.
    /// </summary>
    [Function("ListCampaigns")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "campaigns")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () =>
            (IActionResult)JsonAnswer.Of(200, await overview.ListAsync(cancellationToken), HubJson.Default.CampaignsView));

    /// <summary><c>POST /api/campaigns/{id}/preview</c>: the mail and the <c>campaign.message</c> as they would go out, sent to no one; <c>404</c> for an unknown campaign.</summary>
    [Function("PreviewCampaign")]
    public Task<IActionResult> Preview(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "campaigns/{id}/preview")] HttpRequest request,
        string id) =>
        HttpGuard.RunAsync(logger, () => Task.FromResult<IActionResult>(overview.Preview(id) is { } preview
            ? JsonAnswer.Of(200, preview, HubJson.Default.CampaignPreview)
            : JsonAnswer.Problem(404, "campaign-not-found", "No such campaign", "No campaign in the configuration has this id.")));
}
