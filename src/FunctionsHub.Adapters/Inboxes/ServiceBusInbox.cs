using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;

namespace FunctionsHub.Adapters.Inboxes;

/// <summary>
/// Transport <c>ServiceBus</c>: queue <c>inbox-{providerId}</c> with duplicate detection on, so the
/// message id (referralId, noticeId) lets the broker drop a retried send by itself.
/// </summary>
public sealed class ServiceBusInbox(ServiceBusClient client) : IProviderInbox, IAsyncDisposable
{
    private const string JsonContentType = "application/json";

    // Lazy so that two first sends to one queue racing through GetOrAdd still create one sender.
    private readonly ConcurrentDictionary<string, Lazy<ServiceBusSender>> _senders = new(StringComparer.Ordinal);

    public Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken)
    {
        var message = new ServiceBusMessage(JsonSerializer.SerializeToUtf8Bytes(referral, HubJson.Default.ReferralMessage))
        {
            MessageId = referral.ReferralId,
            CorrelationId = referral.MeldingId,
            Subject = referral.Kind,
            ContentType = JsonContentType,
        };

        // Content-free properties only: a provider can filter and route without opening the body.
        message.ApplicationProperties["schema"] = referral.Schema;
        message.ApplicationProperties["provider"] = referral.Provider;
        message.ApplicationProperties["feed"] = referral.Feed;
        message.ApplicationProperties["consentBasis"] = referral.ConsentBasis;
        message.ApplicationProperties["urgency"] = referral.Urgency;
        return SendTracedAsync(referral.Provider, message, cancellationToken);
    }

    public Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken) =>
        SendNoticeAsync(JsonSerializer.SerializeToUtf8Bytes(notice, HubJson.Default.ConsentWithdrawnMessage), notice.NoticeId, correlationId: null, notice.Kind, notice.Schema, notice.Provider, cancellationToken);

    public Task SendAsync(ReferralRetractedMessage notice, CancellationToken cancellationToken) =>
        SendNoticeAsync(JsonSerializer.SerializeToUtf8Bytes(notice, HubJson.Default.ReferralRetractedMessage), notice.NoticeId, notice.MeldingId, notice.Kind, notice.Schema, notice.Provider, cancellationToken);

    /// <summary>A notice about referrals already sent: its id for duplicate detection, and only its kind, schema and provider as properties.</summary>
    private Task SendNoticeAsync(byte[] body, string noticeId, string? correlationId, string kind, string schema, string providerId, CancellationToken cancellationToken)
    {
        var message = new ServiceBusMessage(body)
        {
            MessageId = noticeId,
            CorrelationId = correlationId,
            Subject = kind,
            ContentType = JsonContentType,
        };

        message.ApplicationProperties["schema"] = schema;
        message.ApplicationProperties["provider"] = providerId;
        return SendTracedAsync(providerId, message, cancellationToken);
    }

    /// <summary>One send, traced as the queue and the message's kind: never its id or anything in it.</summary>
    private async Task SendTracedAsync(string providerId, ServiceBusMessage message, CancellationToken cancellationToken)
    {
        var queue = QueueNames.Inbox(providerId);
        using var activity = HubTelemetry.Source.StartActivity($"send {queue}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "servicebus");
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", queue);
        activity?.SetTag("hub.inbox.kind", message.Subject);
        try
        {
            await Sender(providerId).SendMessageAsync(message, cancellationToken);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    /// <summary>Closes the senders this inbox opened; the client belongs to the container and stays open.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values.Where(s => s.IsValueCreated))
        {
            await sender.Value.DisposeAsync();
        }

        _senders.Clear();
    }

    private ServiceBusSender Sender(string providerId)
    {
        var queue = QueueNames.Inbox(providerId);
        var sender = _senders.GetOrAdd(queue, name => new Lazy<ServiceBusSender>(() => client.CreateSender(name)));
        try
        {
            return sender.Value;
        }
        catch
        {
            // A Lazy keeps its exception for good; drop it so the next send to this queue tries afresh.
            _senders.TryRemove(new KeyValuePair<string, Lazy<ServiceBusSender>>(queue, sender));
            throw;
        }
    }
}
