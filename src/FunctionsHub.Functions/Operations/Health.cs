using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Operations;

/// <summary>
/// <c>GET /api/health</c> (anonymous, no data): whether the hub's storage answers, and which
/// configuration document is in force (a version derived from its content, so two instances can be
/// compared). 200 when storage answers, 503 when it does not.
/// </summary>
public sealed class Health(StorageProbe storage, IHubDocumentSource documents, ILogger<Health> logger)
{
    [Function(nameof(Health))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, async () =>
        {
            var reachable = await storage.ReachableAsync(cancellationToken);
            var answer = new HealthAnswer(
                reachable ? "healthy" : "unhealthy",
                reachable ? "reachable" : "unreachable",
                new ConfigurationHealth(Loaded: true, Version(documents.Current)));
            return JsonAnswer.Of(reachable ? 200 : 503, answer, HealthJson.Default.HealthAnswer);
        });

    /// <summary>The first 12 hex digits of SHA-256 over the document as the hub reads it: the same document, the same version.</summary>
    public static string Version(HubDocument document) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document, HubJson.Default.HubDocument)))[..12];
}

/// <summary>
/// Whether the hub's storage answers: a read of the intake queue's and of the meldingen table's
/// properties, which the app has data rights to (no account-level call a managed identity may lack),
/// both within <see cref="ProbeTimeout"/>. A result
/// is reused for a few seconds, so an anonymous caller of the health endpoint cannot make the hub
/// hammer its storage. One per hub (a singleton): function classes live for one invocation.
/// </summary>
public sealed partial class StorageProbe(QueueServiceClient queues, HubTables tables, TimeProvider time, ILogger<StorageProbe> logger)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan ProbeReuse = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private (DateTimeOffset At, bool Reachable)? _last;

    public async Task<bool> ReachableAsync(CancellationToken cancellationToken)
    {
        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < ProbeReuse)
            {
                return last.Reachable;
            }

            var reachable = await ProbeAsync(cancellationToken);
            _last = (time.GetUtcNow(), reachable);
            return reachable;
        }
        finally
        {
            _probing.Release();
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await queues.GetQueueClient(QueueNames.MeldingenIntake).ExistsAsync(timeout.Token);
            await tables.ProbeAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(e.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: storage did not answer ({ExceptionType})")]
    private partial void LogUnreachable(string exceptionType);
}

public sealed record HealthAnswer(string Status, string Storage, ConfigurationHealth Configuration);

public sealed record ConfigurationHealth(bool Loaded, string Version);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthAnswer))]
internal sealed partial class HealthJson : JsonSerializerContext;
