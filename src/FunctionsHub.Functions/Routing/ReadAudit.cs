using FunctionsHub.Core;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Routing;

/// <summary><c>GET /api/meldingen/{meldingId}/audit</c> for the gemeente: every decision about a melding with its reasons.</summary>
public sealed class ReadAudit(AuditReports reports, ILogger<ReadAudit> logger)
{
    [Function(nameof(ReadAudit))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "meldingen/{meldingId}/audit")] HttpRequest request,
        string meldingId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReadAsync(meldingId, cancellationToken));

    private async Task<IActionResult> ReadAsync(string meldingId, CancellationToken cancellationToken) =>
        Identifiers.IsMeldingId(meldingId) && await reports.ReadAsync(meldingId, cancellationToken) is { } report
            ? JsonAnswer.Of(200, report, HubJson.Default.AuditReport)
            : JsonAnswer.Problem(404, "unknown-melding", "Unknown melding");
}
