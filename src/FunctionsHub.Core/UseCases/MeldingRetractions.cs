using System.Text.Json;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What a partner's retraction of a melding came to.</summary>
public abstract record RetractionOutcome
{
    private RetractionOutcome() { }

    /// <summary>Retracted now or before: the melding's status as its partner reads it.</summary>
    public sealed record Retracted(MeldingStatusView Status) : RetractionOutcome;

    /// <summary>No such melding, or another partner's: the caller cannot tell which.</summary>
    public sealed record Unknown : RetractionOutcome;

    /// <summary>Not one of <see cref="Retractions.Reasons"/>.</summary>
    public sealed record InvalidReason : RetractionOutcome;

    /// <summary>Accepted but not routed yet (or on the poison queue): nothing is in an inbox to take back yet.</summary>
    public sealed record NotRoutedYet : RetractionOutcome;
}

/// <summary>
/// <c>POST /api/meldingen/{id}/retract</c>: the partner that sent a melding takes it back (reported in
/// error, about the wrong child, a duplicate). The melding becomes <c>retracted</c> and leaves the
/// instroom's counts; each referral not ended yet ends <c>withdrawn</c>/<c>entered-in-error</c>; each
/// provider it was sent to gets one <c>referral-retracted</c> notice naming the referral, never the
/// child. A match it caused is withdrawn: the other referrer gets <c>match.withdrawn</c>, and the match's
/// follow-up is marked withdrawn, so it is never reported <c>match.unattended</c>. Idempotent: a second
/// retraction changes nothing and answers the same; one that failed halfway is finished by the
/// partner's retry (the mark is stored first, every notice is claimed once).
/// </summary>
public sealed partial class MeldingRetractions(
    IMeldingStore meldingen,
    IInstroomLog instroom,
    IChildFiles files,
    IMatchFollowUps followUps,
    IProviderInbox inbox,
    INotificationOutbox notifications,
    IOnceLedger ledger,
    IAuditTrail audit,
    MeldingStatuses statuses,
    TimeProvider time,
    ILogger<MeldingRetractions> logger)
{
    public const string LedgerScope = "referral-retracted";

    /// <summary>The once-ledger scope of <c>match.withdrawn</c>, keyed by the match id.</summary>
    public const string MatchLedgerScope = "match-withdrawn";

    /// <summary>Far longer than one send; a partner's retry after a crash finds the claim given up by then.</summary>
    public static readonly TimeSpan NoticeLease = TimeSpan.FromSeconds(25);

    public async Task<RetractionOutcome> RetractAsync(string partnerId, string meldingId, string? reason, CancellationToken cancellationToken)
    {
        // Anything not shaped like a melding id cannot name one, and may hold characters a store rejects.
        if (!Identifiers.IsMeldingId(meldingId) || await meldingen.FindAsync(meldingId, cancellationToken) is not { } melding || melding.PartnerId != partnerId)
        {
            return new RetractionOutcome.Unknown();
        }

        if (reason is null || !Retractions.Reasons.Contains(reason))
        {
            return new RetractionOutcome.InvalidReason();
        }

        if (await instroom.RetractAsync(meldingId, melding.ReceivedAt, reason, time.GetUtcNow(), cancellationToken) is not { Retraction: { } retraction } retracted)
        {
            return new RetractionOutcome.NotRoutedYet();
        }

        // The stored retraction (its first reason and time), so that a repeat sends the same notices.
        var providers = retracted.Referrals.Where(r => r.IsSent).ToArray();
        foreach (var referral in providers)
        {
            await NotifyOnceAsync(referral, retraction, cancellationToken);
        }

        var matches = await WithdrawMatchesAsync(melding, retraction, cancellationToken);
        await audit.AddEventAsync(meldingId, new AuditEvent("retracted", Retractions.Event, retraction.At,
            $"retracted by {partnerId} ({retraction.Reason}); {providers.Length} provider(s) told; {matches} match(es) withdrawn"), cancellationToken);
        LogRetracted(meldingId, retraction.Reason, providers.Length, matches);
        return new RetractionOutcome.Retracted((await statuses.ReadAsync(partnerId, meldingId, cancellationToken))!);
    }

    /// <summary>
    /// Every match the melding is one side of (the child's file knows both ways: the matches its decision
    /// found, and later meldingen whose decision found it): its follow-up is withdrawn (never
    /// <c>match.unattended</c>, counted as withdrawn in the digest) and the other referrer is told once.
    /// </summary>
    private async Task<int> WithdrawMatchesAsync(MeldingRecord melding, MeldingRetraction retraction, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(melding.ChildPseudonym, cancellationToken);
        var others = file.MatchesOf(melding.MeldingId);
        foreach (var (otherMelding, otherPartner) in others)
        {
            var matchId = Identifiers.MatchId(melding.MeldingId, otherMelding);
            await followUps.WithdrawAsync(matchId, retraction.At, cancellationToken);
            var state = await ledger.DoOnceAsync(MatchLedgerScope, matchId, time.GetUtcNow(), NoticeLease, () => notifications.EnqueueAsync(new OutboundNotification(
                new NotificationRecipient(RecipientKinds.Partner, otherPartner),
                new NotificationEnvelope(
                    NotificationTypes.MatchWithdrawn,
                    NotificationIds.MatchWithdrawn(matchId, otherPartner),
                    retraction.At,
                    JsonSerializer.SerializeToElement(new MatchWithdrawnData(matchId, otherMelding, retraction.At), HubJson.Default.MatchWithdrawnData))), cancellationToken),
                logger, cancellationToken);
            if (state == ClaimState.Held)
            {
                throw new ClaimHeldException($"Withdrawing match {matchId}");
            }
        }

        return others.Count;
    }

    /// <summary>The id of the <c>referral-retracted</c> notice to a provider: its once-ledger key too.</summary>
    public static string NoticeIdOf(string meldingId, string providerId) => Identifiers.NoticeId($"{meldingId}:{ReferralKinds.ReferralRetracted}", providerId);

    private async Task NotifyOnceAsync(ReferralRecord referral, MeldingRetraction retraction, CancellationToken cancellationToken)
    {
        var notice = new ReferralRetractedMessage
        {
            NoticeId = NoticeIdOf(referral.MeldingId, referral.ProviderId),
            Provider = referral.ProviderId,
            ReferralId = referral.ReferralId,
            MeldingId = referral.MeldingId,
            Reason = retraction.Reason,
            RetractedAt = retraction.At,
        };
        var state = await ledger.DoOnceAsync(LedgerScope, notice.NoticeId, time.GetUtcNow(), NoticeLease,
            () => inbox.SendAsync(notice, cancellationToken), logger, cancellationToken);

        // Held: a concurrent retraction is sending it; fail, so the partner's retry finds it done.
        if (state == ClaimState.Held)
        {
            throw new ClaimHeldException($"Sending notice {notice.NoticeId}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Melding {MeldingId} retracted by its partner ({Reason}); providers told: {ProviderCount}; matches withdrawn: {MatchCount}")]
    private partial void LogRetracted(string meldingId, string reason, int providerCount, int matchCount);
}
