using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.DevHost;

/// <summary>
/// host.json as configuration under <c>AzureFunctionsJobHost</c>, the section name the Functions
/// host uses, so that <c>AzureFunctionsJobHost__extensions__queues__batchSize</c> in the
/// environment overrides host.json here as it does in Azure.
/// </summary>
public static class HostJson
{
    public const string Section = "AzureFunctionsJobHost";

    public static IEnumerable<KeyValuePair<string, string?>> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new List<KeyValuePair<string, string?>>();
        Flatten(document.RootElement, Section, values);
        return values;
    }

    private static void Flatten(JsonElement element, string prefix, List<KeyValuePair<string, string?>> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, $"{prefix}:{property.Name}", values);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{prefix}:{index++}", values);
                }

                break;
            default:
                values.Add(new(prefix, element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText()));
                break;
        }
    }
}

/// <summary>host.json <c>extensions.queues</c> with the Functions host's defaults.</summary>
/// <param name="NewBatchThreshold">A new batch is fetched once no more messages than this are still running.</param>
public sealed record QueueHostOptions(
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    bool Base64)
{
    public static QueueHostOptions From(IConfiguration configuration)
    {
        var queues = configuration.GetSection($"{HostJson.Section}:extensions:queues");
        var encoding = queues["messageEncoding"] ?? "base64";
        if (encoding is not ("base64" or "none"))
        {
            throw new InvalidOperationException($"host.json extensions.queues.messageEncoding must be 'base64' or 'none', not '{encoding}'.");
        }

        var batchSize = Math.Clamp(Int(queues["batchSize"], 16), 1, 32);
        return new QueueHostOptions(
            BatchSize: batchSize,
            // The Storage Queues extension's default: half a batch per processor.
            NewBatchThreshold: Math.Max(0, Int(queues["newBatchThreshold"], Environment.ProcessorCount * batchSize / 2)),
            MaxDequeueCount: Math.Max(1, Int(queues["maxDequeueCount"], 5)),
            VisibilityTimeout: Span(queues["visibilityTimeout"], TimeSpan.Zero),
            MaxPollingInterval: Span(queues["maxPollingInterval"], TimeSpan.FromMinutes(1)),
            Base64: encoding == "base64");
    }

    public static string RoutePrefix(IConfiguration configuration) =>
        configuration[$"{HostJson.Section}:extensions:http:routePrefix"] ?? "api";

    private static int Int(string? value, int fallback) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private static TimeSpan Span(string? value, TimeSpan fallback) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;
}
