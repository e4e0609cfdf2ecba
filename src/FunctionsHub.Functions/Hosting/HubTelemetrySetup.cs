using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using FunctionsHub.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FunctionsHub.Functions.Hosting;

/// <summary>
/// The worker's telemetry through OpenTelemetry: the hub's own traces and metrics (<see cref="HubTelemetry"/>:
/// storage and Service Bus calls, meldingen accepted, routed and failed, deliveries, overdue referrals),
/// and, in Azure (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set), the Functions worker's own with its logs,
/// exported to Application Insights with the app's identity (<c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
/// = <c>Authorization=AAD;ClientId={client id}</c>; the resource has local authentication off). Azure SDK and
/// HTTP client traces are not collected: their addresses hold entity keys and message ids.
/// </summary>
public static class HubTelemetrySetup
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(HubTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(HubTelemetry.Name));
        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            telemetry.UseFunctionsWorkerDefaults();
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = Credential(configuration[AuthenticationSetting]);
            });
        }

        return services;
    }

    /// <summary>The identity <c>Authorization=AAD;ClientId=...</c> names: a user-assigned one by client id, else the default chain; none without <c>Authorization=AAD</c>.</summary>
    public static TokenCredential? Credential(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
    }
}
