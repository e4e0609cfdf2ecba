using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>
/// Delivers one notification from <c>notifications-out</c>: one signed POST to the recipient's
/// callback per queue message, then done, the next attempt scheduled on the queue, or the
/// notification parked for an operator (<see cref="DeliveryPolicy"/>). The <c>webhook-id</c> is the
/// notification id on every attempt, so a receiver drops a repeat. A record per notification says
/// where it stands, without its content. A notification that was delivered is not sent again; one
/// that failed, was gone or undeliverable and comes back (an operator replayed it) starts a new round
/// with a new retry window.
/// </summary>
public sealed partial class NotificationDelivery(
    IHubDocumentSource documents,
    PartySecrets secrets,
    CallbackRules rules,
    IWebhookSender sender,
    IDeliveryRecords records,
    IDeliveryQueue queue,
    TimeProvider time,
    ILogger<NotificationDelivery> logger)
{
    public async Task<DeliveryRecord> DeliverAsync(OutboundNotification notification, CancellationToken cancellationToken)
    {
        var (recipient, envelope) = (notification.Recipient, notification.Notification);
        var previous = await records.FindAsync(envelope.Id, cancellationToken);
        if (previous is { State: DeliveryState.Delivered })
        {
            LogAlreadyDelivered(envelope.Id);
            return previous;
        }

        var now = time.GetUtcNow();
        var round = previous is { State: DeliveryState.Retrying } ? previous : null;
        var attempts = previous?.Attempts ?? 0;
        var record = new DeliveryRecord(envelope.Id, envelope.Type, recipient, DeliveryState.Undeliverable, attempts, round?.FirstAttemptAt ?? now, now, null, null);

        if (CallbackOf(recipient) is not { } callback)
        {
            return await SettleAsync(notification, record with { Reason = "no-callback" }, previous, cancellationToken);
        }

        if (secrets.Find(recipient.Id) is not { } secret)
        {
            return await SettleAsync(notification, record with { Reason = "no-secret" }, previous, cancellationToken);
        }

        var uri = Uri.TryCreate(callback, UriKind.Absolute, out var parsed) ? parsed : null;
        if ((uri is null ? "invalid-callback" : rules.RefusedScheme(uri)) is { } refused)
        {
            return await SettleAsync(notification, record with { State = DeliveryState.Failed, Reason = refused }, previous, cancellationToken);
        }

        var answer = await sender.PostAsync(uri!, secret, envelope.Id, JsonSerializer.SerializeToUtf8Bytes(envelope, HubJson.Default.NotificationEnvelope), cancellationToken);
        var verdict = DeliveryPolicy.Judge(answer, attempts + 1, record.FirstAttemptAt, now, Random.Shared.NextDouble());
        record = record with { State = verdict.State, Attempts = attempts + 1, LastStatus = answer.Status, Reason = verdict.Reason };
        return await SettleAsync(notification, record, previous, cancellationToken, (verdict as DeliveryVerdict.TryAgain)?.Delay);
    }

    /// <summary>
    /// Records where the delivery stands, then acts on it: the record first, so that a failure to
    /// schedule or park leaves the queue message to be tried again, never a notification lost.
    /// </summary>
    private async Task<DeliveryRecord> SettleAsync(
        OutboundNotification notification, DeliveryRecord record, DeliveryRecord? previous, CancellationToken cancellationToken, TimeSpan? retryIn = null)
    {
        await records.SaveAsync(record, previous?.State, cancellationToken);
        HubTelemetry.DeliverySettled(record.Type, record.State.Name());
        switch (record.State)
        {
            case DeliveryState.Retrying:
                await queue.RetryLaterAsync(notification, retryIn!.Value, cancellationToken);
                LogRetrying(record.NotificationId, record.Recipient.Id, record.Attempts, record.Reason, (int)retryIn.Value.TotalSeconds);
                break;
            case DeliveryState.Failed or DeliveryState.Gone:
                await queue.ParkAsync(notification, cancellationToken);
                LogParked(record.NotificationId, record.Type, record.Recipient.Id, record.State.Name(), record.Reason);
                break;
            case DeliveryState.Undeliverable:
                LogUndeliverable(record.NotificationId, record.Type, record.Recipient.Id, record.Reason);
                break;
            default:
                LogDelivered(record.NotificationId, record.Type, record.Recipient.Id, record.Attempts);
                break;
        }

        return record;
    }

    private string? CallbackOf(NotificationRecipient recipient)
    {
        var document = documents.Current;
        return recipient.Kind switch
        {
            RecipientKinds.Partner => document.FindPartner(recipient.Id)?.CallbackUrl,
            RecipientKinds.Provider => document.FindProvider(recipient.Id)?.CallbackUrl,
            RecipientKinds.Subscriber => document.Gemeente.Subscribers.FirstOrDefault(s => s.Id == recipient.Id)?.CallbackUrl,
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered notification {NotificationId} ({Type}) to {RecipientId} on attempt {Attempts}")]
    private partial void LogDelivered(string notificationId, string type, string recipientId, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} was delivered before; not sending it again")]
    private partial void LogAlreadyDelivered(string notificationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering notification {NotificationId} to {RecipientId} failed on attempt {Attempts} ({Reason}); next attempt in {DelaySeconds} s")]
    private partial void LogRetrying(string notificationId, string recipientId, int attempts, string? reason, int delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {NotificationId} ({Type}) to {RecipientId} is {State} ({Reason}); parked on notifications-out-poison")]
    private partial void LogParked(string notificationId, string type, string recipientId, string state, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} ({Type}) to {RecipientId} is undeliverable ({Reason})")]
    private partial void LogUndeliverable(string notificationId, string type, string recipientId, string? reason);
}
