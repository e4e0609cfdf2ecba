namespace FunctionsHub.Core.Operations;

/// <summary>
/// A message parked on a poison queue, described without its content: intake messages hold a
/// child's identity and free text, so operators see only ids and times: the melding of an intake
/// message, the notification of a <c>notifications-out</c> message.
/// </summary>
public sealed record PoisonMessage(string MessageId, DateTimeOffset? InsertedOn, string? MeldingId, string? NotificationId = null);

/// <summary>
/// The poison queue <c>{queue}-poison</c> of a queue-triggered function, for operators: list what
/// is parked there and move it back onto <c>{queue}</c> to be processed again. A replayed message
/// is the identical body; the functions it reaches are idempotent, so a replay never duplicates.
/// </summary>
public interface IPoisonQueue
{
    /// <summary>At most <see cref="ListLimit"/> messages, oldest first, without removing them.</summary>
    Task<IReadOnlyList<PoisonMessage>> ListAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Moves every message that was on the poison queue when the call began; answers how many.</summary>
    Task<int> ReplayAllAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Moves one message; false when it is not (or no longer) on the poison queue.</summary>
    Task<bool> ReplayAsync(string queue, string messageId, CancellationToken cancellationToken);

    /// <summary>The most messages a listing shows: the storage queue's peek limit.</summary>
    public const int ListLimit = 32;
}
