using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.OpenApi;

/// <summary><c>GET /api/openapi.json</c>: the OpenAPI 3 document of the partner endpoints, for partner developers.</summary>
public sealed class ServeOpenApi(ILogger<ServeOpenApi> logger)
{
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(ServeOpenApi).Assembly.GetManifestResourceStream("FunctionsHub.Functions.OpenApi.partner-api.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });

    [Function(nameof(ServeOpenApi))]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        HttpGuard.RunAsync(logger, () => Task.FromResult<IActionResult>(new JsonAnswer(200, Document.Value, "application/json")));
}
