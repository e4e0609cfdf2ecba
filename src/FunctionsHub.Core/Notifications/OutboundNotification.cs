using System.Text.Json;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Notifications;

/// <summary>
/// A message on <c>notifications-out</c>: whom to tell (a partner's referrer, a provider, a gemeente
/// subscriber) and the notification body of the spec, <c>{ type, id, occurredAt, data }</c>, which
/// <c>DeliverNotification</c> posts to the recipient's callback.
/// </summary>
public sealed record OutboundNotification(NotificationRecipient Recipient, NotificationEnvelope Notification);

/// <param name="Kind"><c>partner</c>, <c>provider</c> or <c>subscriber</c> (<see cref="RecipientKinds"/>).</param>
public sealed record NotificationRecipient(string Kind, string Id);

public static class RecipientKinds
{
    public const string Partner = "partner";

    public const string Provider = "provider";

    /// <summary>A gemeente subscriber (<c>gemeente.subscribers</c>).</summary>
    public const string Subscriber = "subscriber";
}

public sealed record NotificationEnvelope(string Type, string Id, DateTimeOffset OccurredAt, JsonElement Data);

/// <summary>
/// <c>match.found</c> data for a referrer: the melding of their own that matched, and the other
/// organisation with its referrer's contact. Never the other melding's content.
/// </summary>
/// <param name="MatchId">The match both referrers confirm contact for (<c>POST /api/matches/{matchId}/contact</c>).</param>
/// <param name="ConfirmBefore">The follow-up's deadline: unless both have confirmed by then, the gemeente is told (<c>match.unattended</c>).</param>
public sealed record MatchFoundData(string MeldingId, PartnerRef MatchedPartner, Referrer MatchedReferrer, string MatchId, DateTimeOffset ConfirmBefore);

/// <summary>
/// <c>match.unattended</c> data for the gemeente's subscribers: a match whose two referrers had not both
/// confirmed contact by its deadline. The match, the two organisations, when it was found and who did
/// confirm: nothing about the child, no melding, no referrer.
/// </summary>
/// <param name="ConfirmedBy">The partners that confirmed by the deadline (none or one).</param>
/// <summary>
/// <c>match.withdrawn</c> data for the referrer whose melding remains: the match (its <c>matchId</c>
/// from <c>match.found</c>) no longer stands, because the other partner took its melding back. The
/// recipient's own melding and when; nothing about the child, nor the other partner's reason.
/// </summary>
public sealed record MatchWithdrawnData(string MatchId, string MeldingId, DateTimeOffset WithdrawnAt);

public sealed record MatchUnattendedData(string MatchId, IReadOnlyList<PartnerRef> Partners, DateTimeOffset FoundAt, DateTimeOffset ConfirmBefore, IReadOnlyList<string> ConfirmedBy);

/// <summary>
/// <c>referral.status-changed</c> data for the referrer whose melding the referral came from: which
/// provider reported which status when. <paramref name="Reason"/> and <paramref name="Note"/> only for a
/// full referral (content shared); for a signal the status alone.
/// </summary>
public sealed record ReferralStatusChangedData(
    string MeldingId,
    string ReferralId,
    ProviderRef Provider,
    string Status,
    DateTimeOffset OccurredAt,
    string? Reason = null,
    string? Note = null);

/// <summary>
/// <c>referral.overdue</c> data for the provider and the gemeente's subscribers: a referral whose
/// first-contact promise (<paramref name="RespondBefore"/>) passed without a <c>contacted</c> (or later)
/// status. Ids, codes and times only: nothing about the child, nothing of the melding's content.
/// </summary>
public sealed record ReferralOverdueData(
    string ReferralId,
    string? MeldingId,
    ProviderRef Provider,
    string Kind,
    DateTimeOffset CreatedAt,
    DateTimeOffset RespondBefore);

/// <summary>
/// <c>melding.routed</c> data for the referrer whose melding was routed: which providers received it
/// and as what, so the referrer knows who will call, and by when the provider promises first contact.
/// Ids, names, codes and times only: nothing about the child, and nothing about consent beyond what
/// <see cref="RoutedTo.Kind"/> shows.
/// </summary>
/// <param name="Matched">Whether another organisation reported the child (who: in <c>match.found</c>).</param>
public sealed record MeldingRoutedData(string MeldingId, IReadOnlyList<RoutedTo> Providers, bool Matched);

/// <summary>One provider a melding went to.</summary>
/// <param name="Kind">As it was sent: <c>referral</c> (content shared) or <c>signal</c> (identity and the referrer's contact only).</param>
/// <param name="RespondBefore">The provider's first-contact promise for this referral.</param>
public sealed record RoutedTo(string ReferralId, ProviderRef Provider, string Kind, DateTimeOffset RespondBefore);

/// <summary>
/// <c>partner.silent</c> data for the gemeente's subscribers: a partner that sent no melding for
/// <paramref name="SilentPartnerMonths"/> months, and the campaigns it was sent again as a reminder.
/// About the organisation only: no melding, no referrer, no child.
/// </summary>
/// <param name="QuietSince">The local date of the partner's last melding, or, when <paramref name="EverSent"/> is false, of the day the hub first looked for one.</param>
/// <param name="EverSent">Whether the partner sent a melding since the hub began keeping track.</param>
/// <param name="Campaigns">The campaigns whose content went to the partner with this reminder (those it is in the audience of, still running).</param>
/// <summary>
/// What one purge removed, counts only: meldingen past <paramref name="MeldingMonths"/> (of the months
/// up to <paramref name="ThroughMonth"/>) with their referrals and matches, children of whom nothing
/// is left (their consents), and referrers silent past <paramref name="ReferrerMonths"/>.
/// </summary>
public sealed record RetentionPurgedData(DateOnly PurgedOn, int MeldingMonths, string ThroughMonth, int Meldingen, int Referrals, int Matches, int Children, int ReferrerMonths, int Referrers);

public sealed record PartnerSilentData(PartnerRef Partner, string Feed, DateOnly QuietSince, bool EverSent, int SilentPartnerMonths, IReadOnlyList<string> Campaigns);

public static class NotificationTypes
{
    public const string MatchFound = "match.found";

    public const string MeldingRouted = "melding.routed";

    public const string ReferralStatusChanged = "referral.status-changed";

    public const string ReferralOverdue = "referral.overdue";

    /// <summary>A month's instroom digest is ready: its month and links, no figures.</summary>
    public const string DigestPublished = "digest.published";

    /// <summary>A campaign's occurrence for a partner: the campaign's text and sociale-kaart entries, from the configuration only.</summary>
    public const string CampaignMessage = "campaign.message";

    /// <summary>A match whose two referrers had not both confirmed contact by its deadline: to the gemeente's subscribers, once per match.</summary>
    public const string MatchUnattended = "match.unattended";

    /// <summary>A match the other referrer's melding caused was withdrawn (that melding was retracted): to the remaining referrer, once per match.</summary>
    public const string MatchWithdrawn = "match.withdrawn";

    /// <summary>A partner sent no melding for <c>silentPartnerMonths</c>: to the gemeente's subscribers, once per silent period.</summary>
    public const string PartnerSilent = "partner.silent";

    /// <summary>What a retention purge removed, counts only: to the gemeente's subscribers, after each purge that removed something.</summary>
    public const string RetentionPurged = "retention.purged";
}

/// <summary>
/// The ids of the notifications about a melding, its referrals and its matches, in one place: the
/// use cases that send them and the retention purge, which removes their delivery records, name them alike.
/// </summary>
public static class NotificationIds
{
    public static string MeldingRouted(string meldingId) => Identifiers.NotificationId(meldingId, NotificationTypes.MeldingRouted);

    /// <summary><c>match.found</c> to the referrer of <paramref name="recipientMelding"/>, about <paramref name="otherMelding"/>.</summary>
    public static string MatchFound(string recipientMelding, string otherMelding) => Identifiers.NotificationId(recipientMelding, $"{NotificationTypes.MatchFound}:{otherMelding}");

    /// <summary>A status report's notification: one per referral and status (its wire name).</summary>
    public static string StatusChanged(string referralId, string status) => Identifiers.NotificationId(referralId, "status:" + status);

    public static string ReferralOverdue(string referralId, NotificationRecipient recipient) =>
        Identifiers.NotificationId(referralId, $"{NotificationTypes.ReferralOverdue}:{recipient.Kind}:{recipient.Id}");

    public static string MatchUnattended(string matchId, string subscriberId) =>
        Identifiers.NotificationId(matchId, $"{NotificationTypes.MatchUnattended}:{RecipientKinds.Subscriber}:{subscriberId}");

    public static string MatchWithdrawn(string matchId, string partnerId) =>
        Identifiers.NotificationId(matchId, $"{NotificationTypes.MatchWithdrawn}:{RecipientKinds.Partner}:{partnerId}");
}
