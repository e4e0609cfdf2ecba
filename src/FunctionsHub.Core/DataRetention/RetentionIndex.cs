using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.DataRetention;

/// <summary>
/// An entry of the retention index: what the daily purge needs to find a melding and what derives
/// from it once its term is over, without reading anything else first. Ids, codes and times only;
/// the child pseudonym and the receipt are there so that an interrupted purge can finish after the
/// melding's own record is gone.
/// </summary>
/// <param name="Month">The gemeente month (<c>yyyy-MM</c>) of <paramref name="ReportedAt"/>: the partition the purge reads.</param>
/// <param name="ReceivedAt">The melding's receipt: it names the instroom day the routed melding is kept under.</param>
public sealed record RetentionEntry(string Month, string MeldingId, string ChildPseudonym, DateTimeOffset ReportedAt, DateTimeOffset ReceivedAt, string PartnerId, string Feed)
{
    public static RetentionEntry Of(MeldingRecord record, GemeenteCalendar calendar) =>
        new(calendar.MonthOf(record.ReportedAt), record.MeldingId, record.ChildPseudonym, record.ReportedAt, record.ReceivedAt, record.PartnerId, record.Feed);
}

/// <summary>
/// The retention index (table <c>retention</c>): every accepted melding under the month it was
/// reported in, written by intake before the melding itself, so a melding the hub holds is always
/// in it, routed or not. The purge reads the months past their term as one key range and nothing else.
/// </summary>
public interface IRetentionIndex
{
    /// <summary>Adds the entry; an entry already there under its month and id is overwritten.</summary>
    Task NoteAsync(RetentionEntry entry, CancellationToken cancellationToken);

    /// <summary>The entries of every month up to and including <paramref name="lastMonth"/> (<c>yyyy-MM</c>), read as one key range, oldest month first.</summary>
    Task<IReadOnlyList<RetentionEntry>> ThroughAsync(string lastMonth, CancellationToken cancellationToken);

    /// <summary>Removes the entry; one already gone is no error.</summary>
    Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken);
}

/// <summary>
/// The terms of <c>retention</c>: a melding is kept <c>meldingMonths</c> from the day it was reported,
/// counted in the gemeente's calendar, and goes on the first purge on or after the day that many
/// months later.
/// </summary>
public sealed record RetentionTerm(int Months, DateOnly Today, GemeenteCalendar Calendar)
{
    /// <summary>
    /// How long after receipt a melding can still be (re)delivered by a queue: the intake queue's
    /// retries and the 7 days a message is kept on its poison queue, with a day to spare. A melding
    /// younger than this is left for the next purge, so routing can never write it again after the
    /// purge removed it (a melding reported years before it was sent can be past its term on arrival).
    /// </summary>
    public static readonly TimeSpan QueueLifetime = TimeSpan.FromDays(8);

    /// <summary>The last month that can hold an entry past its term: the month <see cref="Months"/> before today's.</summary>
    public string LastMonth => Today.AddMonths(-Months).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether what began at <paramref name="since"/> is past its term today.</summary>
    public bool IsOver(DateTimeOffset since) => Calendar.DateOf(since).AddMonths(Months) <= Today;
}
