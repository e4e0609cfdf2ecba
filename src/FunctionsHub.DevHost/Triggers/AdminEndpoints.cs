using System.Text.Json;
using Azure.Storage.Queues.Models;
using FunctionsHub.DevHost.Discovery;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.DevHost.Triggers;

/// <summary>
/// <c>POST /admin/functions/{name}</c>, as the Functions host's admin API: runs a queue or timer
/// function now and answers <c>202</c>. A queue function gets <c>{"input": "..."}</c> as its
/// message. The run happens in the background and is logged like any invocation.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(WebApplication app, IReadOnlyList<FunctionDescriptor> functions)
    {
        app.MapPost("/admin/functions/{name}", async (HttpContext context, string name) =>
        {
            if (!HttpTriggerEndpoints.IsAuthorised(context, AuthorizationLevel.Admin))
            {
                return Results.Unauthorized();
            }

            var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (function is null)
            {
                return Results.NotFound();
            }

            if (function.Trigger == TriggerKind.Http)
            {
                return Results.BadRequest(new { error = $"'{function.Name}' is an HTTP function: call its route instead." });
            }

            var input = await ReadInputAsync(context.Request);
            var invoker = context.RequestServices.GetRequiredService<FunctionInvoker>();
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(async () =>
            {
                try
                {
                    await invoker.InvokeAsync(function, binding => Bind(binding, input, time, stopping), "admin");
                }
                catch (Exception)
                {
                    // Logged by the invoker: an admin run is not retried.
                }
            }, CancellationToken.None);
            return Results.Accepted();
        });
    }

    private static object? Bind(ParameterBinding binding, string input, TimeProvider time, CancellationToken stopping)
    {
        if (binding.Source == ParameterSource.TimerInfo)
        {
            var now = time.GetUtcNow().UtcDateTime;
            return TimerTriggerScheduler.Info(null, now, now);
        }

        var message = QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "admin", BinaryData.FromString(input), 1);
        return QueueTriggerListener.Bind(binding, message, stopping);
    }

    /// <summary>The <c>input</c> of a body such as <c>{"input": "..."}</c>; empty when there is none.</summary>
    private static async Task<string> ReadInputAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input", out var input)
                && input.ValueKind == JsonValueKind.String
                ? input.GetString()!
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
