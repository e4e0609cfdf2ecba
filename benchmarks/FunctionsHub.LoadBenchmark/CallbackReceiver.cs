using FunctionsHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.LoadBenchmark;

/// <summary>
/// Every partner's and provider's callback during a run: the benchmark points the demo callback URLs
/// here, so <c>DeliverNotification</c> delivers as it does in production (a signed POST, answered
/// <c>204</c>) and <c>notifications-out</c> stays as short as a deployed hub's. A queue left to grow
/// would measure the emulator instead: Azurite looks through every message of the account on each
/// receive and delete, whatever the queue.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private CallbackReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        app.MapPost("/{**path}", () =>
        {
            Interlocked.Increment(ref _received);
            return Results.NoContent();
        });
    }

    /// <summary>Where the callbacks point, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>Notifications received so far (each attempt counts).</summary>
    public int Received => Volatile.Read(ref _received);

    public static async Task<CallbackReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var receiver = new CallbackReceiver(builder.Build(), url);
        await receiver._app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
