using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Routing;

/// <summary>
/// Exactly-once effect: routing fails at fault point k (before or after every storage write, inbox
/// send and notification), the queue retries, and each provider still ends with one referral, same id.
/// </summary>
public sealed class RoutingRetryTests
{
    /// <summary>A police melding about a child the youth workers reported before: three providers, one match.</summary>
    private static (Zorgmelding Earlier, Zorgmelding Melding) Scenario()
    {
        var earlier = TestMeldingen.Welfare();
        var melding = TestMeldingen.Police() with { Child = earlier.Child };
        return (earlier, melding);
    }

    private static async Task<RoutingWorld> WorldWithEarlierMeldingAsync()
    {
        var world = new RoutingWorld();
        var (earlier, melding) = Scenario();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(earlier), CancellationToken.None);
        }

        await world.AcceptedAsync(melding);
        return world;
    }

    public static TheoryData<int> FaultPoints()
    {
        // Count the fault points of one clean run, so that every one of them is tried.
        var world = WorldWithEarlierMeldingAsync().GetAwaiter().GetResult();
        world.Routing().RouteAsync(Scenario().Melding, CancellationToken.None).GetAwaiter().GetResult();
        var data = new TheoryData<int>();
        for (var k = 1; k <= world.Faults.Count; k++)
        {
            data.Add(k);
        }

        return data;
    }

    [Fact]
    public void The_scenario_has_enough_fault_points_to_be_meaningful()
    {
        Assert.True(FaultPoints().Count >= 20, $"only {FaultPoints().Count} fault points");
    }

    [Theory]
    [MemberData(nameof(FaultPoints))]
    public async Task A_failure_at_any_step_then_a_retry_gives_each_provider_one_referral_with_one_id(int failAt)
    {
        var world = await WorldWithEarlierMeldingAsync();
        var melding = Scenario().Melding;
        var sentBefore = world.Inbox.Referrals.Count;
        var toldBefore = world.Outbox.Sent.Count;
        world.Faults.FailAt = world.Faults.Count + failAt;

        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(melding, CancellationToken.None));
        world.Faults.FailAt = 0;
        world.Time.Advance(RoutingWorld.QueueRetryDelay); // a claim whose run failed after taking it has run out by then
        var decision = await world.Routing().RouteAsync(melding, CancellationToken.None);

        var sent = world.Inbox.Referrals.Skip(sentBefore).ToArray();
        Assert.Equal([TestHub.Basta, TestHub.PakJeKans, TestHub.Pit], decision.Providers.Select(p => p.ProviderId).Order());
        foreach (var provider in decision.Providers)
        {
            var ids = sent.Where(r => r.Provider == provider.ProviderId).Select(r => r.ReferralId).Distinct();
            Assert.Equal([world.ReferralIds.For(melding.MeldingId, provider.ProviderId)], ids);
        }

        // Only a failure between a send and the run's record of it may repeat that one send, with the same id.
        Assert.InRange(sent.Length, decision.Providers.Count, decision.Providers.Count + 1);
        var routed = world.RoutedOrNull(melding.MeldingId);
        Assert.NotNull(routed);
        Assert.All(routed.Referrals, r => Assert.True(r.IsSent));
        Assert.Equal(decision.Providers.Select(p => p.ProviderId).Order(), routed.Referrals.Select(r => r.ProviderId).Order());
        // Two match.found and one melding.routed, each under its one id; only a failure between a
        // notification's enqueue and the end of the run repeats it, once, with the same id.
        var told = world.Outbox.Sent.Skip(toldBefore).ToArray();
        Assert.Equal(2, told.Where(n => n.Notification.Type == NotificationTypes.MatchFound).Select(n => n.Notification.Id).Distinct().Count());
        Assert.Equal(
            [Identifiers.NotificationId(melding.MeldingId, NotificationTypes.MeldingRouted)],
            told.Where(n => n.Notification.Type == NotificationTypes.MeldingRouted).Select(n => n.Notification.Id).Distinct());
        Assert.All(told.GroupBy(n => n.Notification.Id), g => Assert.InRange(g.Count(), 1, 2));
    }

    [Fact]
    public async Task A_melding_routed_twice_without_failure_sends_nothing_twice()
    {
        var world = await WorldWithEarlierMeldingAsync();
        var melding = Scenario().Melding;
        var before = (world.Inbox.Referrals.Count, world.Outbox.Sent.Count);

        await world.Routing().RouteAsync(melding, CancellationToken.None);
        var once = (world.Inbox.Referrals.Count, world.Outbox.Sent.Count);
        await world.Routing().RouteAsync(melding, CancellationToken.None);

        Assert.Equal(once, (world.Inbox.Referrals.Count, world.Outbox.Sent.Count));
        Assert.Equal(before.Item1 + 3, once.Item1);
    }

    [Fact]
    public async Task Routing_again_reuses_the_first_decision_even_when_consent_changed_in_between()
    {
        var world = await WorldWithEarlierMeldingAsync();
        var melding = Scenario().Melding;
        await world.Routing().RouteAsync(melding, CancellationToken.None);
        var first = world.Files.Peek(world.Pseudonyms.Of(melding.Child.Bsn)).Find(melding.MeldingId)!.Decision!;

        using (world.Faults.Suspended())
        {
            await world.Files.AddConsentAsync(world.Pseudonyms.Of(melding.Child.Bsn),
                new FunctionsHub.Core.Consent.ConsentRecord("cns_later", "given", ["all"], "parent", melding.ReportedAt.AddDays(1), "test"), CancellationToken.None);
        }

        var again = await world.Routing().RouteAsync(melding, CancellationToken.None);

        Assert.Equal(first.Providers, again.Providers);
        Assert.All(again.Providers, p => Assert.Equal(ReferralKinds.Signal, p.Kind));
    }
}

/// <summary>
/// The storage operations of routing, as docs/decisions.md counts them: one read of the child's file,
/// one write of the decision with its claim, one send per provider, <c>melding.routed</c> for the
/// partner, one write to the instroom, and one write to the referrer directory (the partner's last
/// melding, with the referrer when they gave an e-mail address): 5 + N; a match adds its once-ledger claim and completion, the start of
/// its follow-up, two notifications and an audit event.
/// </summary>
public sealed class RoutingCostTests
{
    [Fact]
    public async Task A_school_melding_with_consent_to_one_provider_costs_6_operations()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") });

        await world.Routing().RouteAsync(melding, CancellationToken.None);

        // Read the file, write the decision, send to cjg, melding.routed, record the referrer, write the instroom.
        Assert.Equal(6, world.Faults.Operations);
    }

    [Fact]
    public async Task A_police_melding_to_three_providers_with_one_match_and_no_consent_costs_14_operations()
    {
        var world = new RoutingWorld();
        var earlier = TestMeldingen.Welfare();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(earlier), CancellationToken.None);
        }

        var melding = await world.AcceptedAsync(TestMeldingen.Police() with { Child = earlier.Child });
        await world.Routing().RouteAsync(melding, CancellationToken.None);

        // The police referrer gave a phone number only: the directory records the partner's melding all the same.
        Assert.Equal(5 + 3 + 6, world.Faults.Operations);
    }
}
