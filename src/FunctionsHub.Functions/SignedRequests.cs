using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace FunctionsHub.Functions;

/// <summary>Reading the body of a signed JSON request: bounded in size, parsed once.</summary>
public static class SignedRequests
{
    public const int MaxBodyBytes = 32 * 1024;

    /// <summary>How deep a body may nest; a melding needs 3 levels, the rest is room for unknown fields.</summary>
    public const int MaxDepth = 64;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

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

    /// <summary>
    /// The parsed body, or the refusal: <c>415</c> when the request does not say
    /// <c>application/json</c>, <c>400 malformed-json</c> when it does but the bytes are not JSON
    /// the hub reads. Null answer means <paramref name="json"/> is set (and the caller disposes it).
    /// </summary>
    public static JsonAnswer? ReadJson(HttpRequest request, byte[] body, out JsonDocument? json)
    {
        json = null;
        var contentType = request.ContentType;
        if (contentType is null || !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return UnsupportedMediaType();
        }

        if (MalformedBecause(body) is { } reason)
        {
            return Malformed(reason);
        }

        try
        {
            json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return null;
        }
        catch (JsonException e)
        {
            // The reader's message can quote a byte of the body; the position is enough to find it.
            return Malformed(NestingDepth(body) > MaxDepth
                ? $"The body nests deeper than {MaxDepth} levels."
                : $"The body is not well-formed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    /// <summary>What System.Text.Json would accept but the hub must not, or would reject without saying why.</summary>
    private static string? MalformedBecause(byte[] body) =>
        body.Length == 0 ? "The body is empty."
        : body.AsSpan().StartsWith(Utf8Bom) ? "The body starts with a UTF-8 byte order mark; send UTF-8 without one."
        // JsonDocument accepts invalid UTF-8 inside strings and fails only when one is read.
        : !Utf8.IsValid(body) ? "The body is not valid UTF-8."
        : null;

    /// <summary>The deepest nesting of objects and arrays outside strings, to name that as the reason a parse failed.</summary>
    private static int NestingDepth(ReadOnlySpan<byte> body)
    {
        int depth = 0, deepest = 0;
        bool inString = false, escaped = false;
        foreach (var b in body)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    break;
            }
        }

        return deepest;
    }

    public static JsonAnswer TooLarge() =>
        JsonAnswer.Problem(413, "body-too-large", "Body too large", $"A request body is at most {MaxBodyBytes} bytes.");

    public static JsonAnswer UnsupportedMediaType() =>
        JsonAnswer.Problem(415, "not-json", "Not JSON", "Send Content-Type: application/json.");

    public static JsonAnswer Malformed(string reason) =>
        JsonAnswer.Problem(400, "malformed-json", "Malformed JSON", reason);

    public static JsonAnswer Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        JsonAnswer.Problem(400, "invalid-request", "Invalid request", "See errors: every problem, by JSON path.", errors);
}
