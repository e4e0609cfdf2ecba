using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FunctionsHub.Core.Telemetry;

/// <summary>
/// The hub's own traces and metrics, under one name (<see cref="Name"/>) for the exporter to pick up.
/// What they carry is chosen for privacy: codes and names of the hub's own things (a feed, a
/// notification type, a provider id, a table or queue name, a status code), never an id of a melding
/// or a child, never a key of a stored entity, never content. Counts and durations, nothing else.
/// </summary>
public static class HubTelemetry
{
    public const string Name = "FunctionsHub";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("hub.meldingen.accepted", "{melding}", "Meldingen accepted at intake (first receipt, not a repeated delivery)");

    private static readonly Counter<long> Routed = Meter.CreateCounter<long>("hub.meldingen.routed", "{melding}", "Meldingen routed to their providers");

    private static readonly Counter<long> RoutingFailed = Meter.CreateCounter<long>("hub.meldingen.routing_failed", "{attempt}", "Routing attempts that failed (the queue retries them; after the last, the melding is parked)");

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("hub.notifications.deliveries", "{attempt}", "Notification delivery attempts settled, by type and state");

    private static readonly Counter<long> Overdue = Meter.CreateCounter<long>("hub.referrals.overdue", "{referral}", "Referrals found overdue (no contact by the provider's promise)");

    private static readonly Counter<long> Unattended = Meter.CreateCounter<long>("hub.matches.unattended", "{match}", "Matches not confirmed by both referrers by the follow-up's deadline");

    public static void MeldingAccepted(string feed) => Accepted.Add(1, new KeyValuePair<string, object?>("hub.feed", feed));

    public static void MeldingRouted(string feed, int providers) =>
        Routed.Add(1, new KeyValuePair<string, object?>("hub.feed", feed), new KeyValuePair<string, object?>("hub.providers", providers));

    public static void MeldingRoutingFailed(string failure) => RoutingFailed.Add(1, new KeyValuePair<string, object?>("error.type", failure));

    public static void DeliverySettled(string type, string state) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("hub.notification.type", type), new KeyValuePair<string, object?>("hub.delivery.state", state));

    public static void ReferralOverdue(string providerId) => Overdue.Add(1, new KeyValuePair<string, object?>("hub.provider", providerId));

    public static void MatchUnattended() => Unattended.Add(1);
}
