using System.Text.Json;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Notifications;

/// <summary>
/// A message on <c>notifications-out</c>: whom to tell (a partner's referrer, a provider, a gemeente
/// subscriber) and the notification body of the spec, <c>{ type, id, occurredAt, data }</c>.
/// Delivery to callbacks is not built yet.
/// </summary>
public sealed record OutboundNotification(NotificationRecipient Recipient, NotificationEnvelope Notification);

/// <param name="Kind"><c>partner</c>, <c>provider</c> or <c>subscriber</c>.</param>
public sealed record NotificationRecipient(string Kind, string Id);

public sealed record NotificationEnvelope(string Type, string Id, DateTimeOffset OccurredAt, JsonElement Data);

/// <summary>
/// <c>match.found</c> data for a referrer: the melding of their own that matched, and the other
/// organisation with its referrer's contact. Never the other melding's content.
/// </summary>
public sealed record MatchFoundData(string MeldingId, PartnerRef MatchedPartner, Referrer MatchedReferrer);

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

public static class NotificationTypes
{
    public const string MatchFound = "match.found";

    public const string MeldingRouted = "melding.routed";

    public const string ReferralStatusChanged = "referral.status-changed";
}
