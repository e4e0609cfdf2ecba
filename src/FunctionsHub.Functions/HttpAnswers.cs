using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsHub.Core.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsHub.Functions;

/// <summary>An RFC 9457 problem. <c>Detail</c> and <c>Errors</c> never quote submitted values.</summary>
/// <param name="TraceId">On an internal error only: what the caller quotes so the log line can be found.</param>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? TraceId = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
internal sealed partial class AnswerJson : JsonSerializerContext;

/// <summary>
/// HTTP answers written straight to the response, with source-generated JSON: no MVC formatter
/// is involved, so the worker and the DevHost answer byte for byte the same.
/// </summary>
public sealed class JsonAnswer(int status, byte[] json, string contentType, string? location = null) : IActionResult
{
    public int Status => status;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        await response.Body.WriteAsync(json);
    }

    public static JsonAnswer Of<T>(int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string? location = null) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(value, type), "application/json", location);

    public static JsonAnswer Problem(int status, string type, string title, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null, string? traceId = null) =>
        new(status,
            JsonSerializer.SerializeToUtf8Bytes(new Problem($"urn:functionshub:problem:{type}", title, status, detail, errors, traceId), AnswerJson.Default.Problem),
            "application/problem+json");

    /// <summary>The answer to a melding body that is not a valid melding for the target group (intake and explain).</summary>
    public static JsonAnswer Refusal(ParseOutcome outcome) => outcome switch
    {
        ParseOutcome.Invalid invalid => Problem(400, "invalid-melding", "Invalid melding", "See errors: every problem, by JSON path.", invalid.Errors),
        ParseOutcome.OutsideTargetGroup outside => Problem(422, "outside-target-group", "Outside the target group",
            $"The hub takes meldingen about children up to {outside.MaxAge} years old at reportedAt."),
        _ => throw new ArgumentException("Not a refusal.", nameof(outcome)),
    };
}
