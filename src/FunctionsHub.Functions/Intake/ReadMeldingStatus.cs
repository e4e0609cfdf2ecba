using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Intake;

/// <summary>
/// <c>GET /api/meldingen/{meldingId}</c>, the <c>Location</c> of an accepted melding: its status for
/// the partner that sent it, signed like intake over an empty body. Every other caller gets the 404
/// of an unknown id, never 401 or 403, so the answer does not tell which ids exist.
/// </summary>
public sealed class ReadMeldingStatus(SignedRequestGate gate, MeldingStatuses statuses, ILogger<ReadMeldingStatus> logger)
{
    [Function(nameof(ReadMeldingStatus))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meldingen/{meldingId}")] HttpRequest request,
        string meldingId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReadAsync(request, meldingId, cancellationToken));

    private async Task<IActionResult> ReadAsync(HttpRequest request, string meldingId, CancellationToken cancellationToken)
    {
        // The gate's 401 is not passed on: a refused caller gets the same 404 as an unknown id.
        var status = gate.ReadBodiless(request, SignedParties.Partner) is SignedRequestOutcome.Admitted { Request.Party.Id: var partnerId }
            ? await statuses.ReadAsync(partnerId, meldingId, cancellationToken)
            : null;
        return status is null
            ? JsonAnswer.Problem(404, "unknown-melding", "Unknown melding")
            : JsonAnswer.Of(200, status, HubJson.Default.MeldingStatusView);
    }
}
