namespace FunctionsHub.Core.Notifications;

/// <summary>Where the delivery of one notification to its recipient's callback stands.</summary>
public enum DeliveryState
{
    /// <summary>Tried and failed in a way worth trying again; the next attempt is scheduled on the queue.</summary>
    Retrying,

    /// <summary>The callback answered 2xx.</summary>
    Delivered,

    /// <summary>Given up (another 4xx, a refused address, or 24 h of failures): parked on <c>notifications-out-poison</c>.</summary>
    Failed,

    /// <summary>The callback answered <c>410 Gone</c>: the endpoint is gone; parked on the poison queue for a replay once it is back.</summary>
    Gone,

    /// <summary>The recipient has no callback (or no secret to sign with): not tried, not retried.</summary>
    Undeliverable,
}

public static class DeliveryStates
{
    /// <summary>The states the gemeente is shown, because someone has to act on them.</summary>
    public static readonly IReadOnlyList<DeliveryState> NeedingAttention = [DeliveryState.Failed, DeliveryState.Gone, DeliveryState.Undeliverable];

    public static string Name(this DeliveryState state) => state switch
    {
        DeliveryState.Retrying => "retrying",
        DeliveryState.Delivered => "delivered",
        DeliveryState.Failed => "failed",
        DeliveryState.Gone => "gone",
        DeliveryState.Undeliverable => "undeliverable",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a delivery state."),
    };

    public static DeliveryState? Parse(string? name) =>
        Enum.GetValues<DeliveryState>().Cast<DeliveryState?>().FirstOrDefault(s => s!.Value.Name() == name);
}

/// <summary>
/// What the hub keeps about delivering one notification: whom, what type, how often tried, the last
/// answer and where it stands. Content-free: never the notification's data, never a response body.
/// </summary>
/// <param name="LastStatus">The HTTP status of the last attempt; null when none came (timeout, connection failure, refused address).</param>
/// <param name="Reason">Why it stands where it does, as a short code (<c>http-503</c>, <c>timeout</c>, <c>address-refused</c>, ...).</param>
public sealed record DeliveryRecord(
    string NotificationId,
    string Type,
    NotificationRecipient Recipient,
    DeliveryState State,
    int Attempts,
    DateTimeOffset FirstAttemptAt,
    DateTimeOffset LastAttemptAt,
    int? LastStatus,
    string? Reason);

/// <summary>The delivery records (table <c>deliveries</c>): one per notification, found by its id; those needing attention found by state.</summary>
public interface IDeliveryRecords
{
    Task<DeliveryRecord?> FindAsync(string notificationId, CancellationToken cancellationToken);

    /// <summary>Stores the record; <paramref name="previous"/> is the state it was read in (null when new), so the listing by state stays right.</summary>
    Task SaveAsync(DeliveryRecord record, DeliveryState? previous, CancellationToken cancellationToken);

    /// <summary>Records in one of <see cref="DeliveryStates.NeedingAttention"/>, most recent attempt first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListAsync(DeliveryState state, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the notification's record, from the listing too (retention); one not there is no error.</summary>
    Task RemoveAsync(string notificationId, CancellationToken cancellationToken);
}

/// <summary>The queue side of delivery: the next attempt later, or the notification parked for an operator.</summary>
public interface IDeliveryQueue
{
    /// <summary>Puts the notification back on <c>notifications-out</c>, invisible for <paramref name="delay"/>: a retry scheduled, not slept.</summary>
    Task RetryLaterAsync(OutboundNotification notification, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Parks the notification on <c>notifications-out-poison</c>, where an operator can list and replay it.</summary>
    Task ParkAsync(OutboundNotification notification, CancellationToken cancellationToken);
}

/// <summary>Posts a signed notification to a callback.</summary>
public interface IWebhookSender
{
    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="callback"/>, signed with Standard Webhooks using
    /// <paramref name="secret"/> (the recipient's) and <paramref name="webhookId"/>; never follows a
    /// redirect and never connects to an address <see cref="CallbackRules"/> refuses. Answers what came
    /// back, or how it failed; throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task<CallbackAnswer> PostAsync(Uri callback, string secret, string webhookId, byte[] body, CancellationToken cancellationToken);
}

public enum CallbackFailure
{
    /// <summary>No answer within the delivery timeout (10 s).</summary>
    Timeout,

    /// <summary>The host could not be resolved or reached, or the connection broke.</summary>
    ConnectionFailed,

    /// <summary>The host resolves to an address the hub never calls (private, link-local, metadata, ...).</summary>
    AddressRefused,
}

/// <summary>What an attempt got: an HTTP status (with <c>Retry-After</c> if given), or a failure before any answer.</summary>
public sealed record CallbackAnswer(int? Status, TimeSpan? RetryAfter = null, CallbackFailure? Failure = null)
{
    public static CallbackAnswer Answered(int status, TimeSpan? retryAfter = null) => new(status, retryAfter);

    public static CallbackAnswer Failed(CallbackFailure failure) => new(null, null, failure);

    /// <summary>The short, content-free code a record and a log line carry.</summary>
    public string Code => Failure switch
    {
        CallbackFailure.Timeout => "timeout",
        CallbackFailure.ConnectionFailed => "connection-failed",
        CallbackFailure.AddressRefused => "address-refused",
        _ => $"http-{Status}",
    };
}
