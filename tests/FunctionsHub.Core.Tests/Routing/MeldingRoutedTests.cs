using System.Text.Json;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Routing;

/// <summary>
/// After routing, <c>melding.routed</c> tells the sending partner which providers received the
/// melding and as what (referral or signal), so the referrer knows who will call; one id per melding,
/// the same on every retry, and nothing about the child in it.
/// </summary>
public sealed class MeldingRoutedTests
{
    private static IReadOnlyList<OutboundNotification> Routed(RoutingWorld world, string meldingId) =>
        world.Outbox.Sent.Where(n => n.Notification.Type == NotificationTypes.MeldingRouted && Data(n).MeldingId == meldingId).ToArray();

    private static MeldingRoutedData Data(OutboundNotification notification) =>
        notification.Notification.Data.Deserialize(HubJson.Default.MeldingRoutedData)!;

    [Fact]
    public async Task The_partner_is_told_which_provider_received_its_melding_as_what_and_by_when_it_will_be_contacted()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") });

        var decision = await world.Routing().RouteAsync(school, CancellationToken.None);

        var notification = Assert.Single(Routed(world, school.MeldingId));
        Assert.Equal(new NotificationRecipient("partner", SchoolPartner), notification.Recipient);
        Assert.Equal(Identifiers.NotificationId(school.MeldingId, "melding.routed"), notification.Notification.Id);
        Assert.Equal(decision.DecidedAt, notification.Notification.OccurredAt);
        var data = Data(notification);
        Assert.False(data.Matched);
        var cjg = Assert.Single(data.Providers);
        Assert.Equal(world.ReferralIds.For(school.MeldingId, Cjg), cjg.ReferralId);
        Assert.Equal(new ProviderRef(Cjg, "CJG / wijkteam Voorbeeldstad"), cjg.Provider);
        Assert.Equal(ReferralKinds.Referral, cjg.Kind);
        Assert.Equal(decision.DecidedAt.AddHours(72), cjg.RespondBefore);
        // What the referrer is told agrees with what the provider received.
        Assert.Equal(Assert.Single(world.Inbox.Referrals).RespondBefore, cjg.RespondBefore);
    }

    [Fact]
    public async Task Each_provider_is_named_with_the_kind_it_received_and_a_match_is_flagged()
    {
        // Consent for basta only: basta gets a referral, pak-je-kans and pit a signal; the youth workers reported the child before.
        var world = new RoutingWorld();
        var earlier = TestMeldingen.Welfare();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(earlier), CancellationToken.None);
        }

        var police = await world.AcceptedAsync(TestMeldingen.Police() with { Child = earlier.Child, Consent = TestMeldingen.Consent("given", Basta) });
        await world.Routing().RouteAsync(police, CancellationToken.None);

        var data = Data(Assert.Single(Routed(world, police.MeldingId)));
        Assert.True(data.Matched);
        Assert.Equal(
            [(Basta, ReferralKinds.Referral), (PakJeKans, ReferralKinds.Signal), (Pit, ReferralKinds.Signal)],
            data.Providers.Select(p => (p.Provider.Id, p.Kind)).OrderBy(p => p.Id, StringComparer.Ordinal));
        Assert.All(data.Providers, p => Assert.Equal(world.ReferralIds.For(police.MeldingId, p.Provider.Id), p.ReferralId));
        Assert.Equal(PolicePartner, Assert.Single(Routed(world, police.MeldingId)).Recipient.Id);
    }

    [Fact]
    public async Task A_referral_sent_as_a_signal_after_consent_was_withdrawn_is_reported_as_a_signal()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") });
        world.Faults.FailAtPoint = "inbox.referral:before";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(school, CancellationToken.None));
        await world.Files.AddConsentAsync(world.Pseudonyms.Of(school.Child.Bsn),
            new ConsentRecord("cns_withdrawn", ConsentStatuses.Withdrawn, ["all"], "parent", TestMeldingen.ReportedAt.AddDays(1), "test"), CancellationToken.None);

        var decision = await world.Routing().RouteAsync(school, CancellationToken.None);

        Assert.Equal(ReferralKinds.Referral, Assert.Single(decision.Providers).Kind); // decided as a referral
        var cjg = Assert.Single(Data(Assert.Single(Routed(world, school.MeldingId))).Providers);
        Assert.Equal(ReferralKinds.Signal, cjg.Kind); // and told as sent
        Assert.Equal(ReferralKinds.Signal, Assert.Single(world.Inbox.Referrals).Kind);
    }

    [Fact]
    public async Task A_run_that_fails_writing_the_instroom_is_retried_and_tells_the_partner_again_under_the_same_id()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        world.Faults.FailAtPoint = "instroom:before";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(school, CancellationToken.None));
        world.Time.Advance(RoutingWorld.QueueRetryDelay);

        await world.Routing().RouteAsync(school, CancellationToken.None);
        await world.Routing().RouteAsync(school, CancellationToken.None); // routed: nothing again

        var told = Routed(world, school.MeldingId);
        Assert.Equal(2, told.Count);
        Assert.Single(told.Select(n => n.Notification.Id).Distinct());
        Assert.Single(told.Select(n => JsonSerializer.Serialize(n, HubJson.Default.OutboundNotification)).Distinct());
        Assert.NotNull(world.RoutedOrNull(school.MeldingId));
    }

    [Fact]
    public async Task The_notification_names_no_child_and_no_content()
    {
        var world = new RoutingWorld();
        // Distinctive values (the test child's family name is part of the demo gemeente's name).
        var school = await world.AcceptedAsync(TestMeldingen.School() with
        {
            Child = TestMeldingen.School().Child with { GivenName = "Zoraida", FamilyName = "Kwikstaart" },
            Description = "Zoraida komt sinds de herfstvakantie zonder lunch naar school.",
            Consent = TestMeldingen.Consent("given", "all"),
        });

        await world.Routing().RouteAsync(school, CancellationToken.None);

        var json = JsonSerializer.Serialize(Assert.Single(Routed(world, school.MeldingId)), HubJson.Default.OutboundNotification);
        foreach (var value in ChildValues(school).Append(world.Pseudonyms.Of(school.Child.Bsn)))
        {
            Assert.DoesNotContain(value, json, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("consent", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"child\"", json, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> ChildValues(Zorgmelding melding) =>
    [
        melding.Child.Bsn,
        melding.Child.BirthDate.ToString("yyyy-MM-dd"),
        melding.Child.GivenName!,
        melding.Child.FamilyName!,
        melding.Child.Postcode!,
        melding.Description!,
        melding.ExternalId,
        .. melding.Categories,
        .. melding.School!.Concerns,
    ];
}
