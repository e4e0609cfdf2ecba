using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;

namespace FunctionsHub.Testing;

/// <summary>
/// Counts every request the hub's Table and Queue clients send, by client, service, method,
/// resource and kind of operation. The policy sits per retry, so a retried request counts each
/// time it is sent, as storage bills it. Register <see cref="Setup"/> in the container before
/// <c>AddFunctionsHub</c> (DevHostApp.Create's configure runs first).
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly ConcurrentDictionary<StorageRequest, int> _counts = new();
    private readonly ConcurrentQueue<Uri> _uris = new();
    private volatile bool _counting = true;
    private volatile bool _keepingUris;

    /// <summary>Off, requests pass uncounted and unexamined: a benchmark's load phases should not pay for counting.</summary>
    public bool Counting
    {
        get => _counting;
        set => _counting = value;
    }

    /// <summary>
    /// On, every counted request's URI is kept too (<see cref="Uris"/>), for a test that reads what a
    /// query asked for (its <c>$filter</c>); off by default, as a load run would pile them up.
    /// </summary>
    public bool KeepingUris
    {
        get => _keepingUris;
        set => _keepingUris = value;
    }

    /// <summary>The URIs of the requests counted while <see cref="KeepingUris"/> was on, in the order they completed.</summary>
    public IReadOnlyList<Uri> Uris => _uris.ToArray();

    public StorageClientSetup Setup => new((options, client) => options.AddPolicy(
        new CountingPolicy(this, client, options is TableClientOptions ? "table" : "queue"), HttpPipelinePosition.PerRetry));

    public void Reset()
    {
        _counts.Clear();
        _uris.Clear();
    }

    public StorageCounts Snapshot() => new(_counts.ToArray().Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value));

    private void Record(HttpMessage message, string client, string service)
    {
        _counts.AddOrUpdate(StorageRequest.Describe(message, client, service), 1, (_, n) => n + 1);
        if (_keepingUris)
        {
            _uris.Enqueue(message.Request.Uri.ToUri());
        }
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, string client, string service) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (!counter.Counting)
            {
                ProcessNext(message, pipeline);
                return;
            }

            try
            {
                ProcessNext(message, pipeline);
            }
            finally
            {
                counter.Record(message, client, service);
            }
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (!counter.Counting)
            {
                await ProcessNextAsync(message, pipeline);
                return;
            }

            try
            {
                await ProcessNextAsync(message, pipeline);
            }
            finally
            {
                counter.Record(message, client, service);
            }
        }
    }
}

/// <summary>One kind of storage request: who sent it (<see cref="StorageClientSetup"/>'s client name), to what, doing what.</summary>
public readonly record struct StorageRequest(string Client, string Service, string Method, string Resource, string Kind)
{
    /// <summary>
    /// The DevHost trigger polling: its create-if-not-exists before every receive (the Functions
    /// host does not do that) and its receives that found no message. Neither depends on the
    /// meldingen sent, only on how long one waits, so a scenario's count leaves them out.
    /// </summary>
    public bool IsIdlePolling => Client == StorageClientSetup.Trigger && Kind is "create queue" or "dequeue (empty)";

    /// <summary>
    /// The delivery of a notification (<c>DeliverNotification</c>'s dequeue and delete on
    /// <c>notifications-out</c>, its delivery record): the notification's own work, which may overlap a
    /// melding's count when delivery runs. The enqueue that routing does stays in the melding's count.
    /// </summary>
    public bool IsDelivery =>
        (Client == StorageClientSetup.Trigger && Resource == QueueNames.NotificationsOut + "/messages")
        || (Service == "table" && Resource.EndsWith("deliveries", StringComparison.Ordinal));

    /// <summary>Left out of a scenario's count: idle polling and notification delivery.</summary>
    public bool IsLeftOut => IsIdlePolling || IsDelivery;

    public override string ToString() => $"{Client} {Service} {Method} {Resource} ({Kind})";

    public static StorageRequest Describe(HttpMessage message, string client, string service)
    {
        var uri = message.Request.Uri.ToUri();
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();

        // Azurite and the emulator address the account in the path, Azure in the host name.
        if (segments.Count > 0 && (IPAddress.TryParse(uri.Host, out _) || uri.Host == "localhost"))
        {
            segments.RemoveAt(0);
        }

        var method = message.Request.Method.ToString();
        return service == "table"
            ? Table(client, method, segments, message)
            : Queue(client, method, segments, uri.Query, message);
    }

    private static StorageRequest Table(string client, string method, List<string> segments, HttpMessage message)
    {
        var first = segments.FirstOrDefault() ?? "";
        var paren = first.IndexOf('(');
        var name = paren < 0 ? first : first[..paren];
        var keys = paren < 0 ? "" : first[(paren + 1)..].TrimEnd(')');
        var conditional = message.Request.Headers.TryGetValue("If-Match", out _);
        var kind = (name, method, keys.Length > 0) switch
        {
            ("Tables", "POST", _) => "create table",
            ("Tables", "DELETE", _) => "delete table",
            ("Tables", _, _) => "list tables",
            ("$batch", _, _) => "batch",
            (_, "GET", true) => "read",
            (_, "GET", false) => "query",
            (_, "POST", _) => "insert",
            (_, "PUT", _) => conditional ? "update (replace)" : "upsert (replace)",
            (_, "PATCH" or "MERGE", _) => conditional ? "update (merge)" : "upsert (merge)",
            (_, "DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new StorageRequest(client, "table", method, name, kind);
    }

    private static StorageRequest Queue(string client, string method, List<string> segments, string query, HttpMessage message)
    {
        var name = segments.FirstOrDefault() ?? "(account)";
        var kind = (segments.Count, method) switch
        {
            (0, _) => "account",
            (1, "PUT") => "create queue",
            (1, "DELETE") => "delete queue",
            (1, _) => "queue properties",
            (2, "POST") => "enqueue",
            (2, "GET") when query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase) => "peek",
            (2, "GET") => IsEmptyReceive(message) ? "dequeue (empty)" : "dequeue",
            (2, "DELETE") => "clear",
            (3, "DELETE") => "delete message",
            (3, "PUT") => "update message",
            _ => method.ToLowerInvariant(),
        };
        return new StorageRequest(client, "queue", method, segments.Count > 1 ? name + "/messages" : name, kind);
    }

    private static bool IsEmptyReceive(HttpMessage message)
    {
        if (!message.HasResponse || message.Response.Status != 200)
        {
            return false;
        }

        try
        {
            return !Encoding.UTF8.GetString(message.Response.Content.ToMemory().Span).Contains("<QueueMessage>", StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return false; // not buffered: cannot tell, so it counts
        }
    }
}

/// <summary>A snapshot of counted requests, with the scenario's count leaving out idle polling and notification delivery.</summary>
public sealed class StorageCounts(IReadOnlyDictionary<StorageRequest, int> counts)
{
    public IReadOnlyDictionary<StorageRequest, int> All => counts;

    /// <summary>Every request except the trigger's idle polling and notification delivery: what the scenario cost.</summary>
    public int Transactions => counts.Where(c => !c.Key.IsLeftOut).Sum(c => c.Value);

    public int IdlePolling => counts.Where(c => c.Key.IsIdlePolling).Sum(c => c.Value);

    public int Count(Func<StorageRequest, bool> where) => counts.Where(c => where(c.Key)).Sum(c => c.Value);

    /// <summary>One line per kind of request (what is left out last, marked), for a test's output or a report.</summary>
    public string Describe()
    {
        var lines = counts
            .OrderBy(c => c.Key.IsLeftOut)
            .ThenBy(c => c.Key.Client, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Service, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Resource, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Kind, StringComparer.Ordinal)
            .Select(c => $"  {c.Value,3} x {c.Key.Client,-7} {c.Key.Service,-5} {c.Key.Method,-6} {c.Key.Resource,-28} {c.Key.Kind}{(c.Key.IsIdlePolling ? "   [idle polling, not counted]" : c.Key.IsDelivery ? "   [delivery, not counted]" : "")}");
        return string.Join(Environment.NewLine, lines);
    }
}
