using System.Globalization;
using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What one purge removed (and left for a later one), counts only.</summary>
/// <param name="Waiting">Meldingen past their term but received less than <see cref="RetentionTerm.QueueLifetime"/> ago: the next purges take them.</param>
public sealed record PurgeCounts(string ThroughMonth, int Meldingen, int Referrals, int Matches, int Children, int Referrers, int Waiting)
{
    public bool RemovedAny => Meldingen + Children + Referrers > 0;
}

/// <summary>
/// The retention purge (daily timer): removes every melding past <c>retention.meldingMonths</c>,
/// counted from its <c>reportedAt</c> in the gemeente's calendar, with everything derived from it that
/// names or leads to the child: its delivery records and once-ledger entries (<see cref="Traces"/>),
/// its matches' follow-ups, its audit events (a content-free tombstone stays: id, month, feed, purge
/// date), its routed record with its referrals, its row in the child's file and its own record; the
/// child's file as a whole (its consents with it) when it was the child's last melding; and referrers of the directory silent past <c>retention.referrerMonths</c>. It reads only the
/// retention index's months past their term (<see cref="IRetentionIndex.ThroughAsync"/>) and then by
/// key. Each melding is removed in an order that keeps what finds the rest until last (its index entry
/// is the very last), so a purge interrupted anywhere is finished by the next one, and a purge run
/// again removes nothing more. The counts go to the audit and, when anything was removed, to the
/// gemeente's subscribers (<c>retention.purged</c>). Counts already in the month tallies and published
/// digests stay: they are aggregates.
/// </summary>
public sealed partial class RetentionPurge(
    IHubDocumentSource documents,
    IRetentionIndex index,
    IMeldingStore meldingen,
    IInstroomLog instroom,
    IChildFiles files,
    IAuditTrail audit,
    IOnceLedger ledger,
    IDeliveryRecords deliveries,
    IMatchFollowUps followUps,
    IReferrerDirectory referrers,
    INotificationOutbox notifications,
    ReferralIds referralIds,
    TimeProvider time,
    ILogger<RetentionPurge> logger)
{
    /// <summary>The audit partition the purges' own reports are kept under (not a melding id, so never one of a melding's trail).</summary>
    public const string AuditPartition = "retention";

    /// <summary>The audit event type of a purged melding's tombstone.</summary>
    public const string TombstoneType = "purged";

    /// <summary>How often a child's file is read again when a melding or consent came in between the read and the removal.</summary>
    private const int MaxFileAttempts = 10;

    public async Task<PurgeCounts> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;
        var calendar = document.Gemeente.Calendar();
        var term = new RetentionTerm(document.Retention.MeldingMonths, calendar.DateOf(now), calendar);
        int purged = 0, referrals = 0, matches = 0, children = 0, waiting = 0, failed = 0;
        Exception? firstFailure = null;
        foreach (var noted in await index.ThroughAsync(term.LastMonth, cancellationToken))
        {
            if (!term.IsOver(noted.ReportedAt) || await EntryOfRecordAsync(noted, calendar, cancellationToken) is not var (entry, stored) || !term.IsOver(entry.ReportedAt))
            {
                continue;
            }

            if (now - entry.ReceivedAt < RetentionTerm.QueueLifetime)
            {
                waiting++;
                continue;
            }

            if (!stored && await TombstoneOfAsync(audit, entry.MeldingId, cancellationToken) is null)
            {
                // Noted by an intake that failed before it stored the melding, and never retried: nothing to purge, nothing to count.
                await index.RemoveAsync(entry, cancellationToken);
                continue;
            }

            try
            {
                var removed = await PurgeMeldingAsync(entry, term, document, now, cancellationToken);
                purged++;
                referrals += removed.Referrals;
                matches += removed.Matches;
                children += removed.ChildGone ? 1 : 0;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One melding that fails keeps none of the others: the next purge finishes it from its index entry.
                failed++;
                firstFailure ??= e;
                LogMeldingFailed(entry.MeldingId, e.GetType().Name);
            }
        }

        var gone = await ExpireReferrersAsync(document, now, cancellationToken);
        var counts = new PurgeCounts(term.LastMonth, purged, referrals, matches, children, gone, waiting);
        LogPurged(counts.ThroughMonth, purged, referrals, matches, children, gone, waiting);
        if (counts.RemovedAny)
        {
            await ReportAsync(counts, term, document, now, cancellationToken);
        }

        if (firstFailure is not null)
        {
            throw new IOException($"The purge of {failed} melding(en) failed; the next purge finishes them.", firstFailure);
        }

        return counts;
    }

    /// <summary>
    /// The entry as the melding's own record says (its report and receipt decide, not what a refused
    /// or repeated delivery noted), with <c>Stored</c> true; null when the entry is under another month
    /// than the record's, which is then put right, for a later purge. With no record, the entry as noted
    /// and <c>Stored</c> false: a purge interrupted after it removed the record (the tombstone tells),
    /// or an intake that failed before it stored the melding.
    /// </summary>
    private async Task<(RetentionEntry Entry, bool Stored)?> EntryOfRecordAsync(RetentionEntry noted, GemeenteCalendar calendar, CancellationToken cancellationToken)
    {
        if (await meldingen.FindAsync(noted.MeldingId, cancellationToken) is not { } record)
        {
            return (noted, false);
        }

        var own = RetentionEntry.Of(record, calendar);
        if (own.Month == noted.Month)
        {
            return (own, true);
        }

        await index.NoteAsync(own, cancellationToken);
        await index.RemoveAsync(noted, cancellationToken);
        return null;
    }

    /// <summary>The tombstone a purge left in the melding's audit trail (written before its record goes), or null.</summary>
    public static async Task<AuditEvent?> TombstoneOfAsync(IAuditTrail audit, string meldingId, CancellationToken cancellationToken) =>
        (await audit.EventsAsync(meldingId, cancellationToken)).FirstOrDefault(e => e.Type == TombstoneType);

    private async Task<(int Referrals, int Matches, bool ChildGone)> PurgeMeldingAsync(RetentionEntry entry, RetentionTerm term, HubDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var meldingId = entry.MeldingId;
        var file = await files.ReadAsync(entry.ChildPseudonym, cancellationToken);
        var providers = file.Find(meldingId)?.Decision?.Providers.Select(p => p.ProviderId) ?? [];
        var referralTraces = providers.Select(p => new ReferralTrace(referralIds.For(meldingId, p), p)).ToArray();
        var matched = file.MatchesOf(meldingId);

        // What derives from it first, while the file and the instroom, which name it, are still there.
        var (ledgerEntries, notificationIds) = Traces.OfMelding(meldingId, referralTraces, document);
        await ForgetAsync(ledgerEntries, notificationIds, cancellationToken);
        foreach (var (other, _) in matched)
        {
            var (matchLedger, matchNotifications) = Traces.OfMatch(meldingId, other, document);
            await ForgetAsync(matchLedger, matchNotifications, cancellationToken);
            await followUps.RemoveAsync(Identifiers.MatchId(meldingId, other), cancellationToken);
        }

        await audit.TombstoneAsync(meldingId, new AuditEvent(TombstoneType, TombstoneType, now,
            $"purged on {term.Today:yyyy-MM-dd}: melding of {entry.Month}, feed {entry.Feed}, past retention.meldingMonths {term.Months}"), cancellationToken);
        await instroom.RemoveAsync(meldingId, entry.ReceivedAt, cancellationToken);

        var childGone = await RemoveFromFileAsync(entry.ChildPseudonym, meldingId, document, cancellationToken);
        await meldingen.RemoveAsync(meldingId, cancellationToken);
        await index.RemoveAsync(entry, cancellationToken);
        LogMeldingPurged(meldingId, entry.Month, referralTraces.Length, matched.Count);
        return (referralTraces.Length, matched.Count, childGone);
    }

    /// <summary>
    /// Removes the melding from the child's file, and the whole file (its consents with it) when it
    /// was the child's last melding: true when the file went. Reads again when a melding or consent
    /// came in between the read and the write.
    /// </summary>
    private async Task<bool> RemoveFromFileAsync(string childPseudonym, string meldingId, HubDocument document, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxFileAttempts; attempt++)
        {
            var file = await files.ReadAsync(childPseudonym, cancellationToken);
            var wholeFile = file.Version is not null && file.Meldingen.All(m => m.MeldingId == meldingId);
            if (!wholeFile && file.Find(meldingId) is null)
            {
                return false;
            }

            if (wholeFile)
            {
                foreach (var consent in file.Consents)
                {
                    await ForgetAsync(Traces.OfConsent(consent.ConsentId, document), [], cancellationToken);
                }
            }

            if (await files.TryRemoveAsync(file, meldingId, wholeFile, cancellationToken))
            {
                return wholeFile;
            }
        }

        throw new IOException($"A child's file kept changing while a purge removed melding {meldingId} from it; the next purge tries again.");
    }

    private async Task ForgetAsync(IEnumerable<LedgerEntry> ledgerEntries, IEnumerable<string> notificationIds, CancellationToken cancellationToken)
    {
        foreach (var entry in ledgerEntries)
        {
            await ledger.ForgetAsync(entry.Scope, entry.Key, cancellationToken);
        }

        foreach (var id in notificationIds)
        {
            await deliveries.RemoveAsync(id, cancellationToken);
        }
    }

    /// <summary>Removes the referrers of each partner silent past <c>retention.referrerMonths</c>; answers how many.</summary>
    private async Task<int> ExpireReferrersAsync(HubDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var gone = 0;
        foreach (var partner in document.Partners)
        {
            foreach (var referrer in await referrers.OfPartnerAsync(partner.Id, cancellationToken))
            {
                if (ReferrerRetention.IsOver(referrer, now, document.Retention.ReferrerMonths))
                {
                    await referrers.RemoveAsync(referrer, cancellationToken);
                    gone++;
                }
            }
        }

        return gone;
    }

    /// <summary>The counts to the audit and to every subscriber, under ids of this run's own.</summary>
    private async Task ReportAsync(PurgeCounts counts, RetentionTerm term, HubDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var run = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        await audit.AddEventAsync(AuditPartition, new AuditEvent($"purged:{run}", NotificationTypes.RetentionPurged, now,
            $"purge through {counts.ThroughMonth}: {counts.Meldingen} melding(en), {counts.Referrals} referral(s), {counts.Matches} match(es), {counts.Children} child file(s), {counts.Referrers} referrer(s); {counts.Waiting} waiting"), cancellationToken);
        var data = JsonSerializer.SerializeToElement(
            new RetentionPurgedData(term.Today, term.Months, counts.ThroughMonth, counts.Meldingen, counts.Referrals, counts.Matches, counts.Children, document.Retention.ReferrerMonths, counts.Referrers),
            HubJson.Default.RetentionPurgedData);
        foreach (var subscriber in document.Gemeente.Subscribers)
        {
            await notifications.EnqueueAsync(new OutboundNotification(
                new NotificationRecipient(RecipientKinds.Subscriber, subscriber.Id),
                new NotificationEnvelope(NotificationTypes.RetentionPurged, Identifiers.NotificationId(AuditPartition, $"{NotificationTypes.RetentionPurged}:{run}:{subscriber.Id}"), now, data)),
                cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging melding {MeldingId} failed ({ExceptionType}); the next purge finishes it")]
    private partial void LogMeldingFailed(string meldingId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged melding {MeldingId} of {Month} with {Referrals} referral(s) and {Matches} match(es)")]
    private partial void LogMeldingPurged(string meldingId, string month, int referrals, int matches);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge through {Month}: {Meldingen} melding(en), {Referrals} referral(s), {Matches} match(es), {Children} child file(s), {Referrers} referrer(s) removed; {Waiting} past term but received too recently")]
    private partial void LogPurged(string month, int meldingen, int referrals, int matches, int children, int referrers, int waiting);
}
