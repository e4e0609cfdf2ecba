using System.Globalization;
using FunctionsHub.Core.UseCases;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Digests;

/// <summary>
/// <c>GET /api/digests/{yyyy-MM}</c> for the gemeente (function key): the month's published digest as
/// JSON (default), CSV or HTML, chosen by <c>?format=json|csv|html</c> or else by <c>Accept</c>.
/// </summary>
public sealed partial class ReadDigest(DigestReading reading, ILogger<ReadDigest> logger)
{
    [Function(nameof(ReadDigest))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "digests/{month}")] HttpRequest request,
        string month,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReadAsync(request, month, cancellationToken));

    private async Task<IActionResult> ReadAsync(HttpRequest request, string month, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return JsonAnswer.Problem(400, "invalid-month", "Invalid month", "The month is written yyyy-MM, e.g. 2026-11.");
        }

        var format = request.Query.TryGetValue("format", out var given) ? given.ToString() : null;
        var (outcome, chosen) = DigestFormats.Negotiate(format, request.Headers.Accept.ToString());
        switch (outcome)
        {
            case Negotiation.UnknownFormat:
                return JsonAnswer.Problem(400, "unknown-format", "Unknown format", "format is json, csv or html.");
            case Negotiation.NotAcceptable:
                return JsonAnswer.Problem(406, "not-acceptable", "Not acceptable", "The digest is served as application/json, text/csv or text/html.");
        }

        if (await reading.FindAsync(month, cancellationToken) is not { } digest)
        {
            return JsonAnswer.Problem(404, "digest-not-found", "No digest for this month", "The digest of a month is compiled early in the month after.");
        }

        LogServed(month, chosen);
        return new DigestAnswer(DigestFormats.Render(digest, chosen), DigestFormats.ContentType(chosen),
            chosen == DigestFormat.Csv ? $"attachment; filename=\"digest-{month}.csv\"" : null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Served digest {Month} as {Format}")]
    private partial void LogServed(string month, DigestFormat format);
}

/// <summary>A rendered digest, with <c>Vary: Accept</c> (the format follows it) and, for CSV, a file name.</summary>
public sealed class DigestAnswer(byte[] body, string contentType, string? contentDisposition) : IActionResult
{
    public byte[] Body => body;

    public string ContentType => contentType;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.Headers.Vary = "Accept";
        response.Headers.XContentTypeOptions = "nosniff";
        if (contentDisposition is not null)
        {
            response.Headers.ContentDisposition = contentDisposition;
        }

        await response.Body.WriteAsync(body);
    }
}
