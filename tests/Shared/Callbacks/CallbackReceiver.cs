using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace FunctionsHub.Testing;

/// <summary>A notification as a callback received it, and whether its signature held under the recipient's secret.</summary>
public sealed record ReceivedCallback(string Path, string WebhookId, string Body, bool SignatureValid, DateTimeOffset At)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>
/// A real HTTP receiver (Kestrel on loopback) playing the parties' callbacks, as a partner would run
/// one: it verifies each request's Standard Webhooks signature with the secret of the party its path
/// names, records it, and answers what the test scripted for that path (204 when nothing is). It
/// counts connections too, so a test can show the hub did not even connect.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<string, string?> _secretOfPath;
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpResponse, Task>>> _scripted = new();
    private readonly ConcurrentDictionary<string, int> _always = new();
    private readonly ConcurrentQueue<(Func<string, string, bool> Matches, int Status)> _rules = new();
    private int _connections;

    private CallbackReceiver(int port, Func<string, string?> secretOfPath)
    {
        Port = port;
        _secretOfPath = secretOfPath;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref _connections);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public int Port { get; }

    /// <summary>The base URL of this receiver: <c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<ReceivedCallback> Received => _received.ToArray();

    /// <param name="secretOfPath">The secret of the party a request path names; null for a path no party has.</param>
    public static async Task<CallbackReceiver> StartAsync(Func<string, string?> secretOfPath)
    {
        var receiver = new CallbackReceiver(Azurite.FreePort(), secretOfPath);
        await receiver._app.StartAsync();
        return receiver;
    }

    public IReadOnlyList<ReceivedCallback> ReceivedAt(string path) => Received.Where(r => r.Path == path).ToArray();

    /// <summary>The next requests to <paramref name="path"/> get these statuses, in order; after them, 204.</summary>
    public void Answer(string path, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            Answer(path, response =>
            {
                response.StatusCode = status;
                return Task.CompletedTask;
            });
        }
    }

    /// <summary>Every request to <paramref name="path"/> not scripted otherwise gets <paramref name="status"/>.</summary>
    public void AnswerAlways(string path, int status) => _always[path] = status;

    /// <summary>Every request whose (path, body) <paramref name="matches"/> gets <paramref name="status"/>, before any other script.</summary>
    public void AnswerWhere(Func<string, string, bool> matches, int status) => _rules.Enqueue((matches, status));

    /// <summary>The next request to <paramref name="path"/> is answered by <paramref name="respond"/>.</summary>
    public void Answer(string path, Func<HttpResponse, Task> respond) =>
        _scripted.GetOrAdd(path, _ => new ConcurrentQueue<Func<HttpResponse, Task>>()).Enqueue(respond);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        _received.Enqueue(new ReceivedCallback(path, context.Request.Headers["webhook-id"].ToString(), body, IsAuthentic(path, body, context.Request.Headers), DateTimeOffset.UtcNow));

        if (_rules.FirstOrDefault(r => r.Matches(path, body)) is { Matches: not null } rule)
        {
            context.Response.StatusCode = rule.Status;
            return;
        }

        if (_scripted.TryGetValue(path, out var script) && script.TryDequeue(out var respond))
        {
            await respond(context.Response);
            return;
        }

        context.Response.StatusCode = _always.TryGetValue(path, out var always) ? always : StatusCodes.Status204NoContent;
    }

    private bool IsAuthentic(string path, string body, IHeaderDictionary headers)
    {
        if (_secretOfPath(path) is not { } secret)
        {
            return false;
        }

        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }
}
