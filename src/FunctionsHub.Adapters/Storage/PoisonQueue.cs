using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsHub.Core;
using FunctionsHub.Core.Operations;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Lists and replays <c>{queue}-poison</c> over queue clients that neither decode nor encode, so a
/// replayed message is the identical text and reaches the queue trigger exactly as the original did,
/// also one that is not base64 (the trigger parks that on poison again at once). A storage queue
/// deletes a message only with the pop receipt of a receive: a replay receives with a short lease,
/// sends the identical text to <c>{queue}</c>, then deletes it; messages it receives but does not
/// replay are made visible again as soon as it is done.
/// </summary>
public sealed class PoisonQueue(IConfiguration configuration, TimeProvider time, StorageClientSetup? setup = null) : IPoisonQueue
{
    // Long enough to send and delete a batch; short, so that a crashed replay hides nothing for long.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // Raw: the hub's base64 clients throw on a message they cannot decode, and would re-encode what they send.
    private readonly StorageQueues _queues = new(StorageAccount.QueueService(configuration, encoding: QueueMessageEncoding.None, setup: setup));

    public async Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, CancellationToken cancellationToken)
    {
        var poison = await _queues.GetAsync(QueueNames.Poison(queue), cancellationToken);
        var messages = (await poison.PeekMessagesAsync(IPoisonQueue.ListLimit, cancellationToken)).Value;
        return messages.Select(m => Described(m.MessageId, m.InsertedOn, m.MessageText)).ToArray();
    }

    public Task<int> ReplayAllAsync(string queue, CancellationToken cancellationToken)
    {
        // A replayed message that fails again comes back as a new poison message; leaving those for
        // the next call keeps one call from chasing its own tail.
        var startedAt = time.GetUtcNow();
        return ReplayWhereAsync(queue, m => m.InsertedOn is not { } insertedOn || insertedOn <= startedAt, firstOnly: false, cancellationToken);
    }

    public async Task<bool> ReplayAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        await ReplayWhereAsync(queue, m => m.MessageId == messageId, firstOnly: true, cancellationToken) > 0;

    private async Task<int> ReplayWhereAsync(string queue, Func<QueueMessage, bool> chosen, bool firstOnly, CancellationToken cancellationToken)
    {
        var source = await _queues.GetAsync(queue, cancellationToken);
        var poison = await _queues.GetAsync(QueueNames.Poison(queue), cancellationToken);
        var held = new Dictionary<string, string>(); // message id → latest pop receipt, released at the end
        var replayed = 0;
        try
        {
            while (true)
            {
                var batch = (await poison.ReceiveMessagesAsync(IPoisonQueue.ListLimit, Lease, cancellationToken)).Value;
                // Empty, or only messages whose lease ran out while this call was still looking: all seen.
                if (batch.Length == 0 || batch.All(m => held.ContainsKey(m.MessageId)))
                {
                    foreach (var message in batch)
                    {
                        held[message.MessageId] = message.PopReceipt;
                    }

                    return replayed;
                }

                var toReplay = new List<QueueMessage>();
                foreach (var message in batch)
                {
                    if (!held.ContainsKey(message.MessageId) && chosen(message) && !(firstOnly && toReplay.Count > 0))
                    {
                        toReplay.Add(message);
                    }
                    else
                    {
                        held[message.MessageId] = message.PopReceipt;
                    }
                }

                foreach (var message in toReplay)
                {
                    await source.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                    await DeleteAsync(poison, message);
                    replayed++;
                }

                if (firstOnly && replayed > 0)
                {
                    return replayed;
                }
            }
        }
        finally
        {
            await ReleaseAsync(poison, held);
        }
    }

    private static async Task DeleteAsync(QueueClient poison, QueueMessage message)
    {
        try
        {
            // Not cancellable: the copy is sent, and a poison message left behind would be replayed twice.
            await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (RequestFailedException e) when (IsGone(e))
        {
            // The lease ran out and someone else took or deleted it: the copy is sent either way.
        }
    }

    private static async Task ReleaseAsync(QueueClient poison, Dictionary<string, string> held)
    {
        foreach (var (messageId, popReceipt) in held)
        {
            try
            {
                await poison.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException e) when (IsGone(e))
            {
                // Its lease ran out and it was taken again (by this call or another): nothing to release.
            }
        }
    }

    /// <summary>A stale pop receipt: the message's lease ran out and it was received again, or deleted.</summary>
    private static bool IsGone(RequestFailedException e) =>
        e.Status == 404 || e.ErrorCode == QueueErrorCode.PopReceiptMismatch;

    /// <summary>
    /// The message with the ids it names when it decodes (base64 JSON, as the hub writes it), parses
    /// and holds them in the hub's id shapes: the <c>meldingId</c> of an intake message, the
    /// <c>notification.id</c> of a notification. Anything else is left out, so a malformed message can
    /// never put its content into an answer.
    /// </summary>
    private static PoisonMessage Described(string messageId, DateTimeOffset? insertedOn, string text)
    {
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(text));
            var root = json.RootElement;
            return new PoisonMessage(messageId, insertedOn,
                StringAt(root, "meldingId") is { } meldingId && Identifiers.IsMeldingId(meldingId) ? meldingId : null,
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty("notification", out var notification)
                    && StringAt(notification, "id") is { } notificationId && Identifiers.IsNotificationId(notificationId) ? notificationId : null);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return new PoisonMessage(messageId, insertedOn, null);
        }
    }

    private static string? StringAt(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
