using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.UseCases;

/// <summary>A once-ledger entry: its scope and key.</summary>
public sealed record LedgerEntry(string Scope, string Key);

/// <summary>
/// What the hub writes, under keys of their own, that derives from a melding, a match or a consent:
/// the once-ledger entries of the work done about it, and the notifications whose delivery records
/// name it. Computed from the ids the use cases compute them from (the same functions), so the purge
/// finds them by point reads instead of by searching. A subscriber, provider or partner removed from
/// the configuration before the purge is not in <paramref name="document"/> any more: the records
/// of notifications to it stay (content-free: a type, a recipient, a delivery state; see docs/privacy.md).
/// </summary>
public static class Traces
{
    /// <summary>The traces of a melding and its referrals (one per provider it was decided for).</summary>
    public static (IReadOnlyList<LedgerEntry> Ledger, IReadOnlyList<string> Notifications) OfMelding(string meldingId, IReadOnlyList<ReferralTrace> referrals, HubDocument document)
    {
        var ledger = new List<LedgerEntry>();
        var notifications = new List<string> { NotificationIds.MeldingRouted(meldingId) };
        var statuses = Enum.GetValues<ReferralStatus>().Select(s => s.Name()).ToArray();
        foreach (var referral in referrals)
        {
            ledger.Add(new LedgerEntry(ReferralDeadlines.LedgerScope, referral.ReferralId));
            ledger.Add(new LedgerEntry(MeldingRetractions.LedgerScope, MeldingRetractions.NoticeIdOf(meldingId, referral.ProviderId)));
            notifications.AddRange(statuses.Select(status => NotificationIds.StatusChanged(referral.ReferralId, status)));
            notifications.Add(NotificationIds.ReferralOverdue(referral.ReferralId, new NotificationRecipient(RecipientKinds.Provider, referral.ProviderId)));
            notifications.AddRange(document.Gemeente.Subscribers.Select(s => NotificationIds.ReferralOverdue(referral.ReferralId, new NotificationRecipient(RecipientKinds.Subscriber, s.Id))));
        }

        return (ledger, notifications);
    }

    /// <summary>The traces of the match of two meldingen (its follow-up is removed by its id).</summary>
    public static (IReadOnlyList<LedgerEntry> Ledger, IReadOnlyList<string> Notifications) OfMatch(string meldingId, string otherMeldingId, HubDocument document)
    {
        var matchId = Identifiers.MatchId(meldingId, otherMeldingId);
        LedgerEntry[] ledger =
        [
            new(MeldingRouting.MatchLedgerScope, MeldingRouting.PairKey(meldingId, otherMeldingId)),
            new(MeldingRetractions.MatchLedgerScope, matchId),
            new(MatchFollowUps.LedgerScope, matchId),
        ];
        var notifications = new List<string> { NotificationIds.MatchFound(meldingId, otherMeldingId), NotificationIds.MatchFound(otherMeldingId, meldingId) };
        notifications.AddRange(document.Gemeente.Subscribers.Select(s => NotificationIds.MatchUnattended(matchId, s.Id)));
        notifications.AddRange(document.Partners.Select(p => NotificationIds.MatchWithdrawn(matchId, p.Id)));
        return (ledger, notifications);
    }

    /// <summary>The once-ledger entries of a consent statement: its delivery, and its withdrawal's notice to each provider.</summary>
    public static IReadOnlyList<LedgerEntry> OfConsent(string consentId, HubDocument document) =>
        [new(ConsentRecording.DeliveryScope, consentId), .. document.Providers.Select(p => new LedgerEntry(ConsentWithdrawalNotices.LedgerScope, Identifiers.NoticeId(consentId, p.Id)))];
}

/// <summary>A referral as far as its traces go: its id and provider.</summary>
public sealed record ReferralTrace(string ReferralId, string ProviderId);
