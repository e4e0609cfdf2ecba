using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Samples.Provider;

/// <summary>Where a provider's messages come from: its queue <c>inbox-{providerId}</c>, on either transport.</summary>
public interface IInbox
{
    /// <summary>Up to <paramref name="max"/> messages, each locked (invisible to other readers) until settled.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int max, CancellationToken cancellationToken);
}

/// <summary>A received message and the three ways to settle it.</summary>
public abstract class ReceivedMessage
{
    /// <summary>The transport's own message id (for log lines): not the referral id.</summary>
    public abstract string TransportId { get; }

    public abstract BinaryData Body { get; }

    /// <summary>Handled (or a repeat): remove it from the queue.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Handling failed: let it come back later.</summary>
    public abstract Task ReleaseAsync(CancellationToken cancellationToken);

    /// <summary>Not understood: take it out of the normal flow for a person to look at, where the transport can.</summary>
    public abstract Task RejectAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>
/// Transport <c>StorageQueue</c> (the hub's local default): an Azure Storage queue whose messages the hub
/// writes as base64-encoded JSON (the Functions queue trigger's encoding), so the client decodes base64.
/// </summary>
public sealed class StorageQueueInbox(QueueClient queue, TimeSpan? lockFor = null) : IInbox
{
    private static QueueClientOptions Options => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    private readonly TimeSpan _lockFor = lockFor ?? TimeSpan.FromMinutes(5);

    /// <summary>With a connection string (Azurite: <c>UseDevelopmentStorage=true</c>).</summary>
    public static StorageQueueInbox Connect(string connectionString, string providerId) =>
        new(new QueueClient(connectionString, $"inbox-{providerId}", Options));

    /// <summary>
    /// With an identity (e.g. <c>DefaultAzureCredential</c>) that has "Storage Queue Data Message Processor"
    /// on the queue. <paramref name="queueServiceUri"/>: <c>https://{account}.queue.core.windows.net</c>.
    /// </summary>
    public static StorageQueueInbox Connect(Uri queueServiceUri, TokenCredential credential, string providerId) =>
        new(new QueueClient(new Uri(queueServiceUri.ToString().TrimEnd('/') + $"/inbox-{providerId}"), credential, Options));

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int max, CancellationToken cancellationToken)
    {
        // Received messages stay invisible for _lockFor; one that is not deleted by then comes back.
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(Math.Min(max, 32), _lockFor, cancellationToken);
        return [.. messages.Select(m => new Message(queue, m))];
    }

    private sealed class Message(QueueClient queue, QueueMessage message) : ReceivedMessage
    {
        public override string TransportId => message.MessageId;

        public override BinaryData Body => message.Body;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

        // Nothing to do: the message becomes visible again when its invisibility runs out, a natural back-off.
        public override Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // A storage queue has no dead-letter queue: leave the message where it is (it returns after the
        // invisibility), and alert on the log line; an operator moves or deletes it.
        public override Task RejectAsync(string reason, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// Transport <c>ServiceBus</c> (production): queue <c>inbox-{providerId}</c>, peek-lock. The hub sets
/// MessageId = referralId or noticeId (the broker's duplicate detection drops a resend within its window),
/// Subject = the kind, and content-free application properties; the body is the same JSON as on a storage queue.
/// </summary>
public sealed class ServiceBusInbox(ServiceBusReceiver receiver, TimeSpan? maxWait = null) : IInbox
{
    private readonly TimeSpan _maxWait = maxWait ?? TimeSpan.FromSeconds(5);

    /// <summary>
    /// A receiver for the provider's queue. Make the client with
    /// <c>new ServiceBusClient("{namespace}.servicebus.windows.net", new DefaultAzureCredential())</c> (an identity with
    /// "Azure Service Bus Data Receiver" on the queue) or with a connection string.
    /// </summary>
    public static ServiceBusInbox Connect(ServiceBusClient client, string providerId) =>
        new(client.CreateReceiver($"inbox-{providerId}", new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock }));

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int max, CancellationToken cancellationToken)
    {
        var messages = await receiver.ReceiveMessagesAsync(max, _maxWait, cancellationToken);
        return [.. messages.Select(m => new Message(receiver, m))];
    }

    private sealed class Message(ServiceBusReceiver receiver, ServiceBusReceivedMessage message) : ReceivedMessage
    {
        public override string TransportId => message.MessageId;

        public override BinaryData Body => message.Body;

        public override Task CompleteAsync(CancellationToken cancellationToken) =>
            receiver.CompleteMessageAsync(message, cancellationToken);

        // The lock is released at once; after the queue's MaxDeliveryCount the broker dead-letters it.
        public override Task ReleaseAsync(CancellationToken cancellationToken) =>
            receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);

        public override Task RejectAsync(string reason, CancellationToken cancellationToken) =>
            receiver.DeadLetterMessageAsync(message, reason, "The inbox reader does not understand this message.", cancellationToken);
    }
}
