using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core;

// The ports the core needs from storage and messaging; src/FunctionsHub.Adapters implements them.

public interface IMeldingStore
{
    /// <summary>Adds the record, or returns the one already stored under its id.</summary>
    Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken);

    Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the melding to <paramref name="to"/> when <see cref="MeldingLifecycle"/> allows it from the
    /// stored state, by compare-and-set on the row (re-read on a conflict), and answers the state it
    /// ends in: a late "accepted" leaves "routed" as it is, and two writers cannot both move it.
    /// </summary>
    Task<MeldingState> MoveAsync(string meldingId, MeldingState to, CancellationToken cancellationToken);

    Task<int> CountReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);
}

public interface IIntakeQueue
{
    Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken);
}

/// <summary>
/// The inbox of each provider, <c>inbox-{providerId}</c>, over the configured transport. A message
/// sent twice carries the same id both times (referralId, noticeId), so the receiver can drop the
/// second; Service Bus duplicate detection does that by itself.
/// </summary>
public interface IProviderInbox
{
    Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken);

    Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken);
}

public interface IDigestStore
{
    Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken);

    Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken);
}

/// <summary>
/// A message parked on a poison queue, described without its content: intake messages hold a
/// child's identity and free text, so operators see only ids and times.
/// </summary>
public sealed record PoisonMessage(string MessageId, DateTimeOffset? InsertedOn, string? MeldingId);

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

/// <summary>The consent registry, keyed by child pseudonym.</summary>
public interface IConsentStore
{
    /// <summary>Records (or re-records, idempotently by <c>ConsentId</c>) a statement about a child.</summary>
    Task RecordAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConsentRecord>> ForChildAsync(string childPseudonym, CancellationToken cancellationToken);

}

/// <summary>
/// Which meldingen there are about a child (by pseudonym), from which partner and to which providers:
/// for matching, for consent withdrawal, and for who may state consent for the child.
/// </summary>
public interface IChildIndex
{
    /// <summary>
    /// Adds the entry; adding it again (a retried routing run adds the same entry, built from the same
    /// melding) keeps the providers recorded for it. A merge, so a field set to null later is kept as it was.
    /// </summary>
    Task AddAsync(string childPseudonym, ChildMelding entry, CancellationToken cancellationToken);

    /// <summary>Records which providers the melding goes to (the stored decision's providers).</summary>
    Task RecordProvidersAsync(string childPseudonym, string meldingId, IReadOnlyList<string> providerIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChildMelding>> MeldingenAsync(string childPseudonym, CancellationToken cancellationToken);
}

/// <summary>
/// One record per referral with its dispatch state. Sending is claimed (compare-and-set on the row,
/// with a lease), so of two routing runs of one melding at the same moment only one sends each referral.
/// </summary>
public interface IReferralStore
{
    /// <summary>
    /// Adds <paramref name="wanted"/> as <c>sending</c> under a lease until now + <paramref name="lease"/>
    /// (claimed), or answers the stored record: <c>sent</c> is done; <c>sending</c> under a live lease is
    /// held by another run; <c>pending</c> or an expired lease is claimed by this call.
    /// </summary>
    Task<ReferralClaim> ClaimSendAsync(ReferralRecord wanted, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the referral sent, as what it was sent (consent withdrawn since the decision makes a signal of it).</summary>
    Task MarkSentAsync(string referralId, string kind, string consentBasis, CancellationToken cancellationToken);

    /// <summary>Back to <c>pending</c> after a failed send, unless another run has claimed it since (<paramref name="token"/>).</summary>
    Task ReleaseSendAsync(string referralId, string token, CancellationToken cancellationToken);

    Task<ReferralRecord?> FindAsync(string referralId, CancellationToken cancellationToken);
}

/// <summary>The audit trail per melding: the routing decision, then what was done. Only a record: "done once" is the once-ledger's.</summary>
public interface IAuditTrail
{
    Task<AuditRecord> ReadAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>Stores the decision unless one is stored already; returns the stored one.</summary>
    Task<RoutingDecision> AddDecisionAsync(string meldingId, RoutingDecision decision, CancellationToken cancellationToken);

    /// <summary>Records an event under its key (again: overwritten, not doubled).</summary>
    Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken);

}

public interface INotificationOutbox
{
    Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken);
}
