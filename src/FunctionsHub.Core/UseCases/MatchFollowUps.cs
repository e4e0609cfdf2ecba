using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What one fire of the match follow-up (in the deadlines timer) did.</summary>
/// <param name="DueFrom">The watermark it read (or, on the first fire, <c>matchFollowUpDays</c> before now).</param>
/// <param name="Until">Its own now: follow-ups due before it were looked at.</param>
/// <param name="Attended">Follow-ups both referrers had confirmed by their deadline: nothing to tell.</param>
/// <param name="Notified">Follow-ups this fire told the gemeente about.</param>
/// <param name="AlreadyDone">Follow-ups an earlier or concurrent fire had told about.</param>
/// <param name="Held">Follow-ups a concurrent fire was telling about (claimed under a live lease).</param>
/// <param name="Failed">Follow-ups whose notifications failed (their claims given back).</param>
/// <param name="Watermark">Where the watermark stands after this fire, as far as this fire moved it.</param>
public sealed record FollowUpFire(DateTimeOffset DueFrom, DateTimeOffset Until, int Attended, int Notified, int AlreadyDone, int Held, int Failed, DateTimeOffset Watermark);

/// <summary>
/// The match follow-up: a <c>match.found</c> asks both referrers to get in touch and confirm it with
/// <c>POST /api/matches/{matchId}/contact</c> within <c>matchFollowUpDays</c>. Routing starts the
/// follow-up in the run that holds the match's claim (see <see cref="MeldingRouting"/>); a referrer's
/// confirmation is recorded here; and the deadlines timer (<see cref="CheckAsync"/>) tells the
/// gemeente's subscribers <c>match.unattended</c>, exactly once per match, about each follow-up not
/// confirmed by both by its deadline. The timer works like the first-contact deadlines: a watermark
/// (<see cref="WatermarkName"/>) so that late, missed or concurrent fires miss and repeat nothing, and
/// a claim in the once-ledger per match (<see cref="LedgerScope"/>).
/// </summary>
public sealed partial class MatchFollowUps(
    IHubDocumentSource documents,
    IMatchFollowUps followUps,
    IWatermarks watermarks,
    IOnceLedger ledger,
    INotificationOutbox notifications,
    IAuditTrail audit,
    TimeProvider time,
    ILogger<MatchFollowUps> logger)
{
    public const string LedgerScope = "match-unattended";

    /// <summary>The name of the follow-up's watermark, beside the deadlines' own.</summary>
    public const string WatermarkName = "match-follow-up";

    /// <summary>How long a fire holds a match while it tells about it: as for the first-contact deadlines.</summary>
    public static readonly TimeSpan Lease = ReferralDeadlines.Lease;

    /// <summary>
    /// A referrer of the match confirms contact. Null (the endpoint's 404) when the id is not a match
    /// id, names no follow-up, or names one the partner is not a referrer of: one answer for all three,
    /// so the answer does not tell which matches exist. Confirming again changes nothing and answers the same.
    /// </summary>
    public async Task<ContactConfirmedAnswer?> ConfirmAsync(string partnerId, string matchId, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsMatchId(matchId)
            || await followUps.FindAsync(matchId, cancellationToken) is not { } followUp
            || !followUp.IsReferrer(partnerId))
        {
            return null;
        }

        var confirmedAt = await followUps.ConfirmAsync(followUp, partnerId, time.GetUtcNow(), cancellationToken);

        // Under a key of its own, so a repeated confirmation (or a retry after a failure here) writes the same event again, not a second one.
        var side = followUp.Sides.First(s => s.PartnerId == partnerId);
        await audit.AddEventAsync(side.MeldingId, new AuditEvent($"match-contact:{matchId}", "match.contact-confirmed", confirmedAt,
            $"{partnerId} confirmed contact for match {matchId}{(confirmedAt <= followUp.DueAt ? "" : " after its deadline")}"), cancellationToken);
        LogConfirmed(matchId, partnerId);
        return new ContactConfirmedAnswer(matchId, confirmedAt, followUp.DueAt);
    }

    public async Task<FollowUpFire> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;

        // The first fire (no watermark yet) looks back one follow-up period: every follow-up started since is due after that.
        var dueFrom = await watermarks.ReadAsync(WatermarkName, cancellationToken) ?? now - TimeSpan.FromDays(document.MatchFollowUpDays);
        if (dueFrom >= now)
        {
            // A fire with a clock behind the one that advanced the watermark: nothing fell due in between.
            return new FollowUpFire(dueFrom, now, 0, 0, 0, 0, 0, dueFrom);
        }

        var due = await followUps.DueAsync(dueFrom, now, cancellationToken);
        // Confirmed by both in time, or withdrawn (a melding of it was retracted): nothing to tell.
        var attended = due.Count(f => !f.Unattended);
        var pass = await new DueWork(ledger, watermarks, time, logger, LedgerScope, WatermarkName, Lease).RunAsync(
            due.Where(f => f.Unattended), f => (f.MatchId, f.DueAt), f => NotifyAsync(f, document, cancellationToken),
            (matchId, e) => LogFailed(matchId, e.GetType().Name), LogHeld, dueFrom, now, cancellationToken);

        LogFired(dueFrom, now, attended, pass.Claimed, pass.AlreadyDone, pass.Held, pass.Failed, pass.Watermark);
        if (pass.FirstFailure is not null)
        {
            throw new IOException($"match.unattended failed for {pass.Failed} match(es); the next fire tries them again.", pass.FirstFailure);
        }

        return new FollowUpFire(dueFrom, now, attended, pass.Claimed, pass.AlreadyDone, pass.Held, pass.Failed, pass.Watermark);
    }

    /// <summary>
    /// The claimed work for one match: every subscriber told, each under an id of its own, and both
    /// meldingen's audit trails. Repeated after a crash before the claim was completed, under the same ids and keys.
    /// </summary>
    private async Task NotifyAsync(MatchFollowUp followUp, HubDocument document, CancellationToken cancellationToken)
    {
        var partners = followUp.Sides.Select(s => new PartnerRef(s.PartnerId, document.FindPartner(s.PartnerId)?.Name ?? s.PartnerId)).ToArray();
        var confirmedBy = followUp.ConfirmedInTime;
        var data = JsonSerializer.SerializeToElement(
            new MatchUnattendedData(followUp.MatchId, partners, followUp.FoundAt, followUp.DueAt, confirmedBy),
            HubJson.Default.MatchUnattendedData);
        var subscribers = document.Gemeente.Subscribers;
        foreach (var subscriber in subscribers)
        {
            await notifications.EnqueueAsync(new OutboundNotification(
                new NotificationRecipient(RecipientKinds.Subscriber, subscriber.Id),
                new NotificationEnvelope(
                    NotificationTypes.MatchUnattended,
                    NotificationIds.MatchUnattended(followUp.MatchId, subscriber.Id),
                    followUp.DueAt,
                    data)), cancellationToken);
        }

        var confirmed = confirmedBy.Count == 0 ? "neither" : string.Join(",", confirmedBy);
        foreach (var side in followUp.Sides)
        {
            await audit.AddEventAsync(side.MeldingId, new AuditEvent($"match-unattended:{followUp.MatchId}", NotificationTypes.MatchUnattended, time.GetUtcNow(),
                $"match {followUp.MatchId} of {followUp.First.PartnerId} and {followUp.Second.PartnerId} not confirmed by both by its deadline (confirmed: {confirmed}); match.unattended to {subscribers.Count} subscriber(s)"), cancellationToken);
        }

        HubTelemetry.MatchUnattended();
        LogUnattended(followUp.MatchId, confirmedBy.Count, subscribers.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Match {MatchId}: contact confirmed by {PartnerId}")]
    private partial void LogConfirmed(string matchId, string partnerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Match {MatchId} unattended ({Confirmed} of 2 confirmed): told {SubscriberCount} subscriber(s)")]
    private partial void LogUnattended(string matchId, int confirmed, int subscriberCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Match {MatchId} is being told about by another fire; the watermark stays before it")]
    private partial void LogHeld(string matchId);

    [LoggerMessage(Level = LogLevel.Error, Message = "match.unattended for {MatchId} failed ({ExceptionType}); the next fire tries it again")]
    private partial void LogFailed(string matchId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Match follow-ups due from {DueFrom:o} to {Until:o}: {Attended} confirmed by both or withdrawn, {Notified} told, {AlreadyDone} told before, {Held} held elsewhere, {Failed} failed; watermark {Watermark:o}")]
    private partial void LogFired(DateTimeOffset dueFrom, DateTimeOffset until, int attended, int notified, int alreadyDone, int held, int failed, DateTimeOffset watermark);
}
