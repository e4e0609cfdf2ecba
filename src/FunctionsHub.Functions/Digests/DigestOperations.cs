using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Digests;

/// <summary>
/// The gemeente's digest operations (function key): compile a month on demand, list the months stored.
/// Neither answers figures: a month's digest is read, with small counts protected, at its links.
/// </summary>
public sealed class DigestOperations(DigestCompilation compilation, ILogger<DigestOperations> logger)
{
    /// <summary>
    /// <c>POST /api/digests/{month}/compile</c>: compiles and stores the month again (any month up to the
    /// current one); not announced to the subscribers. <c>400 invalid-month</c> for anything not <c>yyyy-MM</c>
    /// from 2000 on, <c>422 future-month</c> for a month that has not begun in the gemeente.
    /// </summary>
    [Function("CompileDigestOnDemand")]
    public Task<IActionResult> Compile(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "digests/{month}/compile")] HttpRequest request,
        string month,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () => await compilation.CompileOnDemandAsync(month, cancellationToken) switch
        {
            DigestCompileOutcome.Compiled { Digest: var digest } => JsonAnswer.Of(200,
                new CompiledDigestAnswer(digest.Month, digest.CompiledAt, DigestLinks.For(digest.Month)), HubJson.Default.CompiledDigestAnswer,
                DigestLinks.For(digest.Month).Json),
            DigestCompileOutcome.FutureMonth => JsonAnswer.Problem(422, "future-month", "Month not begun",
                "A digest covers a month that has begun in the gemeente's time zone."),
            _ => JsonAnswer.Problem(400, "invalid-month", "Invalid month", "The month is yyyy-MM, from 2000-01 on."),
        });

    /// <summary><c>GET /api/digests</c>: the months stored, newest first, each with when it was compiled and its links.</summary>
    [Function("ListDigests")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "digests")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () =>
        {
            var stored = await compilation.ListAsync(cancellationToken);
            var listing = new DigestListing(stored.Select(d => new DigestListingItem(d.Month, d.CompiledAt, DigestLinks.For(d.Month))).ToArray());
            return (IActionResult)JsonAnswer.Of(200, listing, HubJson.Default.DigestListing);
        });
}
