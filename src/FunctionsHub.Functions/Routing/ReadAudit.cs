using FunctionsHub.Core;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Routing;

/// <summary>
/// <c>GET /api/meldingen/{meldingId}/audit</c> for the gemeente: every decision about a melding with its
/// reasons; for a melding the retention purge removed, <c>410</c> with its tombstone (month, feed, purge date).
/// </summary>
public sealed class ReadAudit(AuditReports reports, ILogger<ReadAudit> logger)
{
    [Function(nameof(ReadAudit))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meldingen/{meldingId}/audit")] HttpRequest request,
        string meldingId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReadAsync(meldingId, cancellationToken));

    private async Task<IActionResult> ReadAsync(string meldingId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsMeldingId(meldingId))
        {
            return JsonAnswer.Problem(404, "unknown-melding", "Unknown melding");
        }

        if (await reports.ReadAsync(meldingId, cancellationToken) is { } report)
        {
            return JsonAnswer.Of(200, report, HubJson.Default.AuditReport);
        }

        // The summary is the purge's own: the melding's month and feed and the purge date, nothing else.
        return await reports.TombstoneAsync(meldingId, cancellationToken) is { } tombstone
            ? JsonAnswer.Problem(410, "melding-purged", "Melding purged", tombstone.Summary)
            : JsonAnswer.Problem(404, "unknown-melding", "Unknown melding");
    }
}
