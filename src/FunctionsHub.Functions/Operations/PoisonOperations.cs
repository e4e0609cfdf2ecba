using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsHub.Core;
using FunctionsHub.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Operations;

/// <summary>
/// Operator endpoints (function key) over the poison queue of a queue function: list what is parked
/// on <c>{queue}-poison</c> and move it back onto <c>{queue}</c>. <c>{queue}</c> is the source
/// queue's name. Answers and logs name messages by id only: intake messages hold a child's identity
/// and free text.
/// </summary>
public sealed partial class PoisonOperations(IPoisonQueue poison, ILogger<PoisonOperations> logger)
{
    // Replaying is safe only where the receiving function is idempotent: routing is, per referral;
    // delivery sends a notification under its own id, which receivers deduplicate on.
    private static readonly string[] ReplayableQueues = [QueueNames.MeldingenIntake, QueueNames.ConsentWithdrawals, QueueNames.NotificationsOut];

    /// <summary>
    /// <c>GET /api/operations/poison/{queue}</c>: the first <see cref="IPoisonQueue.ListLimit"/> (32,
    /// the storage peek limit) messages on the poison queue, oldest first; there is no paging beyond.
    /// </summary>
    [Function(nameof(ListPoisonMessages))]
    public Task<IActionResult> ListPoisonMessages(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "operations/poison/{queue}")] HttpRequest request,
        string queue,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ListAsync(queue, cancellationToken));

    private async Task<IActionResult> ListAsync(string queue, CancellationToken cancellationToken)
    {
        if (!ReplayableQueues.Contains(queue))
        {
            return UnknownQueue();
        }

        var messages = await poison.ListAsync(queue, cancellationToken);
        return JsonAnswer.Of(200, new PoisonListing(QueueNames.Poison(queue), messages), OperationsJson.Default.PoisonListing);
    }

    /// <summary><c>POST /api/operations/poison/{queue}/replay</c>: every message on the poison queue back onto <c>{queue}</c>.</summary>
    [Function(nameof(ReplayPoisonMessages))]
    public Task<IActionResult> ReplayPoisonMessages(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "operations/poison/{queue}/replay")] HttpRequest request,
        string queue,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReplayAllAsync(queue, cancellationToken));

    private async Task<IActionResult> ReplayAllAsync(string queue, CancellationToken cancellationToken)
    {
        if (!ReplayableQueues.Contains(queue))
        {
            return UnknownQueue();
        }

        var replayed = await poison.ReplayAllAsync(queue, cancellationToken);
        LogReplayedAll(replayed, queue);
        return JsonAnswer.Of(200, new ReplayResult(replayed), OperationsJson.Default.ReplayResult);
    }

    /// <summary><c>POST /api/operations/poison/{queue}/{messageId}/replay</c>: one message back onto <c>{queue}</c>; 404 once it is gone.</summary>
    [Function(nameof(ReplayPoisonMessage))]
    public Task<IActionResult> ReplayPoisonMessage(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "operations/poison/{queue}/{messageId}/replay")] HttpRequest request,
        string queue,
        string messageId,
        CancellationToken cancellationToken) =>
        HttpGuard.RunAsync(logger, () => ReplayOneAsync(queue, messageId, cancellationToken));

    private async Task<IActionResult> ReplayOneAsync(string queue, string messageId, CancellationToken cancellationToken)
    {
        if (!ReplayableQueues.Contains(queue))
        {
            return UnknownQueue();
        }

        if (!await poison.ReplayAsync(queue, messageId, cancellationToken))
        {
            return JsonAnswer.Problem(404, "poison-message-not-found", "Not on the poison queue",
                $"There is no message with this id on {QueueNames.Poison(queue)}: it was replayed already, or never there.");
        }

        LogReplayed(messageId, queue);
        return JsonAnswer.Of(200, new ReplayResult(1), OperationsJson.Default.ReplayResult);
    }

    private static JsonAnswer UnknownQueue() =>
        JsonAnswer.Problem(404, "unknown-queue", "Unknown queue",
            $"Poison queues can be listed and replayed for: {string.Join(", ", ReplayableQueues)}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} poison messages onto {Queue}")]
    private partial void LogReplayedAll(int count, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed poison message {MessageId} onto {Queue}")]
    private partial void LogReplayed(string messageId, string queue);
}

/// <summary>The answer of the listing: ids and times, never content.</summary>
public sealed record PoisonListing(string Queue, IReadOnlyList<PoisonMessage> Messages);

public sealed record ReplayResult(int Replayed);

// Nulls are written (a message that is no melding shows "meldingId": null), unlike the other answers.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PoisonListing))]
[JsonSerializable(typeof(ReplayResult))]
internal sealed partial class OperationsJson : JsonSerializerContext;
