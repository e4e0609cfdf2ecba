using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FunctionsHub.Functions;

/// <summary>Reading the body of a signed JSON request: bounded in size, parsed once.</summary>
public static class SignedRequests
{
    public const int MaxBodyBytes = 32 * 1024;

    /// <summary>The body, or null when it exceeds <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The parsed body when the request says <c>application/json</c> and the body is JSON.</summary>
    public static JsonDocument? ParseJson(HttpRequest request, byte[] body)
    {
        var contentType = request.ContentType;
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonAnswer TooLarge() =>
        JsonAnswer.Problem(413, "body-too-large", "Body too large", $"A request body is at most {MaxBodyBytes} bytes.");

    public static JsonAnswer NotJson() =>
        JsonAnswer.Problem(415, "not-json", "Not JSON", "Send Content-Type: application/json and a JSON body.");

    public static JsonAnswer Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        JsonAnswer.Problem(400, "invalid-request", "Invalid request", "See errors: every problem, by JSON path.", errors);
}
