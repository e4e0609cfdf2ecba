using System.Collections.Concurrent;
using Azure.Storage.Queues;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Queue clients by name, each created in the account once, in the encoding of the service client.
/// The hub's clients encode base64, the queue trigger's default: a plain-text message would be
/// poisoned at once. Only <see cref="PoisonQueue"/> has raw ones, to move messages as they are.
/// </summary>
public sealed class StorageQueues(QueueServiceClient service)
{
    private readonly ConcurrentDictionary<string, QueueClient> _ready = new();

    /// <summary>
    /// Sends a JSON message (the hub's client base64-encodes it) to a queue, creating the queue on first
    /// use; invisible for <paramref name="delay"/> when given (a retry scheduled for later).
    /// </summary>
    public async Task SendAsync(string name, byte[] json, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        var queue = await GetAsync(name, cancellationToken);
        await queue.SendMessageAsync(new BinaryData(json), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }

    public async Task<QueueClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        if (_ready.TryGetValue(name, out var ready))
        {
            return ready;
        }

        // Two first callers may both create the queue; that is harmless, and a failure is retried next call.
        var client = service.GetQueueClient(name);
        await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return _ready.GetOrAdd(name, client);
    }
}
