using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsHub.Core.Telemetry;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Traces each call of the hub's storage clients (once per call, retries included) as the service, the
/// table, queue or container, the method and the status: never the rest of the address, which holds
/// entity keys (a child's pseudonym is a partition key), message ids and blob names.
/// </summary>
public sealed class StorageTelemetryPolicy(string service) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        using var activity = Start(message);
        try
        {
            ProcessNext(message, pipeline);
            Settle(activity, message);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        using var activity = Start(message);
        try
        {
            await ProcessNextAsync(message, pipeline);
            Settle(activity, message);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// The table, queue or container an address names: its first path segment up to <c>(</c> (a table's
    /// entity address), after the account name where the account is in the path (Azurite, path-style).
    /// </summary>
    public static string Resource(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var pathStyle = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback;
        var first = segments.ElementAtOrDefault(pathStyle ? 1 : 0) ?? "";
        var name = first.Split('(')[0];
        return name.Length == 0 ? "(account)" : name;
    }

    private Activity? Start(HttpMessage message)
    {
        var activity = HubTelemetry.Source.StartActivity($"{service} {message.Request.Method}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("hub.storage.service", service);
            activity.SetTag("hub.storage.resource", Resource(message.Request.Uri.ToUri()));
            activity.SetTag("http.request.method", message.Request.Method.ToString());
        }

        return activity;
    }

    private static void Settle(Activity? activity, HttpMessage message)
    {
        if (activity is null || !message.HasResponse)
        {
            return;
        }

        activity.SetTag("http.response.status_code", message.Response.Status);
        if (message.Response.Status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
