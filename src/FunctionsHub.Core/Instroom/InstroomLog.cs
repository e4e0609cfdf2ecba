using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Instroom;

/// <summary>
/// A routed melding as the instroom keeps it: codes and times for the digest, and each referral as
/// it was sent, for the partner's status and the first-contact deadlines. No child data, no content.
/// <see cref="Month"/> is the gemeente month it was received in (<c>yyyy-MM</c>, by the calendar at
/// routing): the month whose tally counts it.
/// </summary>
public sealed record RoutedMelding(
    string MeldingId,
    string PartnerId,
    string Feed,
    DateTimeOffset ReceivedAt,
    string Month,
    int AgeYears,
    string? Wijk,
    IReadOnlyList<string> Categories,
    string Urgency,
    string? AcuteReason,
    bool Matched,
    DateTimeOffset RoutedAt,
    IReadOnlyList<ReferralRecord> Referrals)
{
    /// <summary>Set once its partner took it back: then it is no longer instroom (the digest counts it as retracted).</summary>
    public MeldingRetraction? Retraction { get; init; }

    /// <summary>
    /// The melding taken back by its partner at <paramref name="at"/>: each referral not ended yet ends
    /// <c>withdrawn</c> with reason <c>entered-in-error</c>; one that ended before keeps its end.
    /// </summary>
    public RoutedMelding RetractedAt(DateTimeOffset at, string reason) => this with
    {
        Retraction = new MeldingRetraction(reason, at),
        Referrals = Referrals.Select(r => r.Status is { } s && ReferralLifecycle.IsEnd(s) ? r : r.MovedTo(ReferralStatus.Withdrawn, at, Retractions.EnteredInError)).ToArray(),
    };
}

/// <summary>A partner's retraction of a melding it sent: its reason code and when.</summary>
public sealed record MeldingRetraction(string Reason, DateTimeOffset At);

/// <summary>The reason codes a partner retracts a melding with (and the referral's ending reason).</summary>
public static class Retractions
{
    public const string EnteredInError = "entered-in-error";

    /// <summary>The audit event's type.</summary>
    public const string Event = "retracted";

    public static readonly IReadOnlyList<string> Reasons = [EnteredInError, "wrong-child", "duplicate", "other"];
}

/// <summary>
/// A referral as the instroom holds it, with its melding's receipt (which names its day), the version
/// its status is moved from, and every referral of its melding as read at that version (this one
/// among them): a store that keeps a melding's referrals together writes them back together.
/// <paramref name="Month"/> is its melding's (<see cref="RoutedMelding.Month"/>): the tally a move changes.
/// </summary>
public sealed record StoredReferral(ReferralRecord Referral, DateTimeOffset MeldingReceivedAt, string Month, string Version, IReadOnlyList<ReferralRecord> MeldingReferrals);

/// <summary>
/// The instroom: every routed melding with its referrals, under the (UTC) day it was received, so
/// that a month (the digest) or the days a referral can still be due from (the deadlines) are read
/// partition by partition, never by scanning everything. A melding is in it once all its referrals
/// are in their inboxes: being here is what <c>routed</c> means.
/// </summary>
public interface IInstroomLog
{
    /// <summary>
    /// The melding and its referrals, in one write with its counts in its month's tally
    /// (<see cref="MonthTally.Recorded"/>); once recorded, recording it again changes nothing (not the
    /// statuses its providers reported since, not the tally).
    /// </summary>
    Task RecordAsync(RoutedMelding routed, CancellationToken cancellationToken);

    /// <summary>
    /// The referral with its version, or null when its melding is not routed (yet);
    /// <paramref name="receivedAt"/> (its melding's) names its day.
    /// </summary>
    Task<StoredReferral?> FindReferralAsync(string referralId, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the referral's status to <paramref name="to"/> at <paramref name="at"/>, with the reason code
    /// of an ending status, if it is still at the version read (compare-and-set); false when it changed
    /// since: read it again and decide again. The row becomes <see cref="ReferralRecord.MovedTo"/>: the
    /// first move to <c>contacted</c> or later also records <see cref="ReferralRecord.ContactedAt"/>.
    /// The month's tally changes with it, in the same write (<see cref="MonthTally.Moved"/>).
    /// </summary>
    Task<bool> TryMoveStatusAsync(StoredReferral stored, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken);

    /// <summary>The routed melding, or null when it is not routed (yet); <paramref name="receivedAt"/> names its day.</summary>
    Task<RoutedMelding?> FindAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The meldingen received in [<paramref name="from"/>, <paramref name="until"/>), each with its
    /// referrals as they stand now, ordered by receipt: the digest's month. Reads only the (UTC) days
    /// in between, one partition at a time, never the whole instroom.
    /// </summary>
    Task<IReadOnlyList<RoutedMelding>> ReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// The tally of the gemeente month <paramref name="month"/>, which runs [<paramref name="from"/>,
    /// <paramref name="until"/>): the counts of the meldingen recorded with that month as they stand
    /// now, read from the month's counts, not from its meldingen (the digest).
    /// </summary>
    Task<MonthTally> TallyAsync(string month, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the routed melding retracted (<see cref="RoutedMelding.RetractedAt"/>), its month's tally
    /// changed with it in the same write, and returns it as it now stands; null when it is not routed
    /// (yet). A melding retracted before is returned as it stands, unchanged (not its reason, not its time).
    /// </summary>
    Task<RoutedMelding?> RetractAsync(string meldingId, DateTimeOffset receivedAt, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Referrals still awaiting first contact (<see cref="ReferralRecord.AwaitsContact"/>) whose
    /// respondBefore falls in [<paramref name="dueFrom"/>, <paramref name="dueBefore"/>), of meldingen
    /// received on the (UTC) days from <paramref name="receivedFrom"/> up to <paramref name="dueBefore"/>,
    /// reading only those days: the deadline search. Both due bounds are applied by the store, so a
    /// fire reads only what became due since the last one (its watermark) and what still awaits contact.
    /// </summary>
    Task<IReadOnlyList<ReferralRecord>> DueAsync(DateTimeOffset receivedFrom, DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the routed melding with its referrals (retention); one not there is no error. Its
    /// month's tally keeps counting it: counts are aggregates, and digests compiled from them stay as published.
    /// </summary>
    Task RemoveAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
