using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What an on-demand compile of a month came to.</summary>
public abstract record DigestCompileOutcome
{
    private DigestCompileOutcome() { }

    public sealed record Compiled(InstroomDigest Digest) : DigestCompileOutcome;

    /// <summary>Not <c>yyyy-MM</c>, or before <see cref="DigestMonth.Earliest"/>.</summary>
    public sealed record NotAMonth : DigestCompileOutcome;

    /// <summary>A month that has not begun in the gemeente.</summary>
    public sealed record FutureMonth : DigestCompileOutcome;
}

/// <summary>What one fire of the digest timer did for the previous month.</summary>
/// <param name="State"><see cref="ClaimState.Claimed"/>: compiled and published now; <see cref="ClaimState.Done"/>: published before, left as it was; <see cref="ClaimState.Held"/>: another fire is at it.</param>
public sealed record DigestFire(string Month, ClaimState State, InstroomDigest? Digest);

/// <summary>
/// Compiles the instroom digest of a month from the instroom's tally of the month (its counts, not its
/// meldingen; plus the tallies of earlier months of the trend that have no stored digest), stores it, and, for the timer,
/// announces it once to the gemeente's subscribers as <c>digest.published</c>.
/// </summary>
public sealed partial class DigestCompilation(
    IHubDocumentSource documents,
    IInstroomLog instroom,
    IMatchFollowUps followUps,
    IDigestStore digests,
    IOnceLedger ledger,
    INotificationOutbox notifications,
    TimeProvider time,
    ILogger<DigestCompilation> logger)
{
    /// <summary>The once-ledger scope of a month's publication, keyed by the month.</summary>
    public const string PublishedScope = "digest-published";

    /// <summary>A compile reads twelve months' tallies at most; far less than this, far less than a month between fires.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The timer: the previous month in the gemeente, compiled, stored and announced, exactly once: a
    /// month published before is left as published (not recompiled); a fire that failed gives its claim
    /// back, so the next fire (or a fire through the admin endpoint) does it.
    /// </summary>
    public async Task<DigestFire> CompileAndPublishPreviousMonthAsync(CancellationToken cancellationToken)
    {
        var month = DigestMonth.Previous(time.GetUtcNow(), documents.Current.Gemeente.Calendar());
        InstroomDigest? compiled = null;
        var state = await ledger.DoOnceAsync(PublishedScope, month.Month, time.GetUtcNow(), Lease, async () =>
        {
            compiled = await CompileAsync(month, cancellationToken);
            await PublishAsync(compiled, cancellationToken);
        }, logger, cancellationToken);
        if (state != ClaimState.Claimed)
        {
            LogNotPublishedAgain(month.Month, state.ToString());
        }

        return new DigestFire(month.Month, state, compiled);
    }

    /// <summary>
    /// <c>POST /api/digests/{month}/compile</c>: any month from <see cref="DigestMonth.Earliest"/> up to the
    /// current one, compiled and stored again, not announced (see docs/decisions.md, "Digest").
    /// </summary>
    public async Task<DigestCompileOutcome> CompileOnDemandAsync(string month, CancellationToken cancellationToken)
    {
        if (DigestMonth.TryParse(month, documents.Current.Gemeente.Calendar()) is not { } parsed)
        {
            return new DigestCompileOutcome.NotAMonth();
        }

        return parsed.From > time.GetUtcNow()
            ? new DigestCompileOutcome.FutureMonth()
            : new DigestCompileOutcome.Compiled(await CompileAsync(parsed, cancellationToken));
    }

    public Task<IReadOnlyList<StoredDigest>> ListAsync(CancellationToken cancellationToken) => digests.ListAsync(cancellationToken);

    /// <summary>Compiles the month and stores it, replacing what was stored for it.</summary>
    public async Task<InstroomDigest> CompileAsync(DigestMonth month, CancellationToken cancellationToken)
    {
        var document = documents.Current;
        var calendar = document.Gemeente.Calendar();
        var tally = await instroom.TallyAsync(month.Month, month.From, month.Until, cancellationToken);

        // The matches found in the month: their follow-ups fall due matchFollowUpDays later, read by those days.
        var followUpDays = TimeSpan.FromDays(document.MatchFollowUpDays);
        var matches = (await followUps.DueAsync(month.From + followUpDays, month.Until + followUpDays, cancellationToken))
            .Where(f => f.FoundAt >= month.From && f.FoundAt < month.Until)
            .ToArray();
        var earlier = new List<MonthTotals>();
        var read = 0;
        for (var k = 1; k < 12; k++)
        {
            var before = month.Before(k, calendar);
            // A stored digest compiled once its month was over holds the month's totals; one compiled while
            // the month was still running (an on-demand compile of the current month) does not.
            if (await digests.FindAsync(before.Month, cancellationToken) is { } stored && stored.CompiledAt >= before.Until)
            {
                earlier.Add(MonthTotals.Of(stored));
            }
            else
            {
                earlier.Add(MonthTotals.Of(before.Month, await instroom.TallyAsync(before.Month, before.From, before.Until, cancellationToken)));
                read++;
            }
        }

        var digest = InstroomFigures.Compile(month, tally, earlier, document, time.GetUtcNow(), calendar, matches);
        await digests.SaveAsync(digest, cancellationToken);
        LogCompiled(month.Month, digest.MeldingCount, digest.ReferralCount, read);
        return digest;
    }

    /// <summary>
    /// <c>digest.published</c> to each subscriber, each under an id fixed by month and subscriber, so a
    /// publication repeated after a crash before its claim was completed is dropped by the receiver.
    /// </summary>
    private async Task PublishAsync(InstroomDigest digest, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(
            new DigestPublishedData(digest.Month, digest.CompiledAt, DigestLinks.For(digest.Month)), HubJson.Default.DigestPublishedData);
        var subscribers = documents.Current.Gemeente.Subscribers;
        foreach (var subscriber in subscribers)
        {
            await notifications.EnqueueAsync(new OutboundNotification(
                new NotificationRecipient(RecipientKinds.Subscriber, subscriber.Id),
                new NotificationEnvelope(
                    NotificationTypes.DigestPublished,
                    Identifiers.NotificationId(digest.Month, $"{NotificationTypes.DigestPublished}:{RecipientKinds.Subscriber}:{subscriber.Id}"),
                    digest.CompiledAt,
                    data)), cancellationToken);
        }

        LogPublished(digest.Month, subscribers.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled instroom digest {Month}: {MeldingCount} meldingen, {ReferralCount} referrals; {MonthsRead} earlier month(s) read from the instroom's tallies for the trend")]
    private partial void LogCompiled(string month, int meldingCount, int referralCount, int monthsRead);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published instroom digest {Month} to {SubscriberCount} subscriber(s)")]
    private partial void LogPublished(string month, int subscriberCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instroom digest {Month} not compiled nor published again: {State}")]
    private partial void LogNotPublishedAgain(string month, string state);
}
