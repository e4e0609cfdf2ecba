using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Deadlines;

/// <summary>
/// The first-contact deadlines: a referral without contact when its promise passes yields
/// <c>referral.overdue</c> to its provider and each subscriber, once, however often, late or
/// concurrently the timer fires; the watermark carries a late fire over every referral that fell due
/// since the last, and never moves past one that was not handled.
/// </summary>
public sealed class ReferralDeadlinesTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Between two fires of the demo schedule.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>cjg's promise in the demo configuration.</summary>
    private static readonly TimeSpan CjgPromise = TimeSpan.FromHours(72);

    /// <summary>A school melding about a child of its own, received now and routed (to cjg): its referrals as the instroom holds them.</summary>
    private static async Task<IReadOnlyList<ReferralRecord>> RoutedAsync(RoutingWorld world, string webhookId, bool acute = false)
    {
        var school = acute ? TestMeldingen.AcuteSchool() : TestMeldingen.School();
        var melding = school with
        {
            MeldingId = Identifiers.MeldingId(SchoolPartner, webhookId),
            ReportedAt = world.Time.GetUtcNow().AddSeconds(-3),
            ReceivedAt = world.Time.GetUtcNow(),
            Child = school.Child with { Bsn = $"bsn-{webhookId}", GivenName = "Lieke", FamilyName = "Uiterwaarden" },
        };
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(melding), None);
        }

        return world.RoutedOrNull(melding.MeldingId)!.Referrals;
    }

    private static async Task<ReferralRecord> RoutedToCjgAsync(RoutingWorld world, string webhookId) =>
        Assert.Single(await RoutedAsync(world, webhookId), r => r.ProviderId == Cjg);

    private static IReadOnlyList<OutboundNotification> Overdue(RoutingWorld world) =>
        world.Outbox.Sent.Where(n => n.Notification.Type == NotificationTypes.ReferralOverdue).ToArray();

    private static string ReferralIdOf(OutboundNotification notification) =>
        notification.Notification.Data.GetProperty("referralId").GetString()!;

    private static DateTimeOffset? Watermark(RoutingWorld world) => world.Watermarks.Peek(ReferralDeadlines.WatermarkName);

    private static Task<DeadlineFire> FireAsync(RoutingWorld world) => world.Deadlines().CheckAsync(None);

    private static Task ReportAsync(RoutingWorld world, ReferralRecord referral, ReferralStatus status, string webhookId = "msg_status") =>
        world.Feedback().ReportAsync(
            referral.ProviderId, referral.ReferralId, webhookId,
            new StatusReport(status, world.Time.GetUtcNow(), ReferralLifecycle.ReasonsFor(status).FirstOrDefault(), null), $"fingerprint-{webhookId}", None);

    [Fact]
    public async Task Overdue_goes_once_to_the_provider_and_once_to_each_subscriber()
    {
        var demo = Demo();
        var world = new RoutingWorld(demo with
        {
            Gemeente = demo.Gemeente with { Subscribers = [new Subscriber("gemeente-jeugd", "http://localhost:7199/a"), new Subscriber("gemeente-kwaliteit", "http://localhost:7199/b")] },
        });
        await FireAsync(world);
        var referral = await RoutedToCjgAsync(world, "msg_1");

        world.Time.Advance(CjgPromise + Interval);
        var fire = await FireAsync(world);
        world.Time.Advance(Interval);
        var next = await FireAsync(world);

        Assert.Equal((1, 0), (fire.Notified, next.Notified));
        var overdue = Overdue(world);
        Assert.Equal(
            [("provider", Cjg), ("subscriber", "gemeente-jeugd"), ("subscriber", "gemeente-kwaliteit")],
            overdue.Select(n => (n.Recipient.Kind, n.Recipient.Id)).Order());
        Assert.Equal(3, overdue.Select(n => n.Notification.Id).Distinct().Count());
        Assert.All(overdue, n =>
        {
            Assert.Equal(referral.RespondBefore, n.Notification.OccurredAt);
            var data = n.Notification.Data;
            Assert.Equal(referral.ReferralId, data.GetProperty("referralId").GetString());
            Assert.Equal(referral.MeldingId, data.GetProperty("meldingId").GetString());
            Assert.Equal(Cjg, data.GetProperty("provider").GetProperty("id").GetString());
            Assert.Equal("CJG / wijkteam Voorbeeldstad", data.GetProperty("provider").GetProperty("name").GetString());
            Assert.Equal(referral.Kind, data.GetProperty("kind").GetString());
            Assert.Equal(referral.CreatedAt, data.GetProperty("createdAt").GetDateTimeOffset());
            Assert.Equal(referral.RespondBefore, data.GetProperty("respondBefore").GetDateTimeOffset());
        });
        Assert.True(world.Audit.Has(referral.MeldingId, $"overdue:{referral.ReferralId}"));
    }

    [Fact]
    public async Task Overdue_carries_ids_codes_and_times_only_never_the_child_or_the_meldings_content()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(CjgPromise + Interval);

        await FireAsync(world);

        var overdue = Overdue(world);
        Assert.NotEmpty(overdue);
        Assert.All(overdue, n =>
        {
            Assert.Equal(
                ["createdAt", "kind", "meldingId", "provider", "referralId", "respondBefore"],
                n.Notification.Data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var json = JsonSerializer.Serialize(n, HubJson.Default.OutboundNotification);
            var school = TestMeldingen.School();
            foreach (var secret in new[] { "bsn-msg_1", "Lieke", "Uiterwaarden", "2016-05-14", school.Description!, school.Referrer.Name, "3071AB" })
            {
                Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
            }
        });
    }

    [Fact]
    public async Task Overdue_is_sent_once_when_two_fires_run_at_once()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var referral = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(CjgPromise + Interval);
        var gated = new GatedOutbox(world.Outbox);

        // The first fire holds the referral's claim and waits in its first enqueue; the second runs meanwhile.
        var first = Task.Run(() => world.Deadlines(gated).CheckAsync(None));
        await gated.FirstEnqueueWaiting;
        var second = await FireAsync(world);
        gated.Open();
        var firstFire = await first;

        Assert.Equal((0, 1), (second.Notified, second.Held));
        Assert.Equal((1, 0), (firstFire.Notified, firstFire.Held));
        Assert.Equal([Cjg, "gemeente-jeugd"], Overdue(world).Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(Overdue(world), n => Assert.Equal(referral.ReferralId, ReferralIdOf(n)));
    }

    [Fact]
    public async Task The_watermark_stays_at_a_referral_another_fire_holds_until_that_fire_has_told_about_it()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var held = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(TimeSpan.FromHours(1));
        var later = await RoutedToCjgAsync(world, "msg_2");
        world.Time.Advance(CjgPromise + Interval);
        var gated = new GatedOutbox(world.Outbox);

        var first = Task.Run(() => world.Deadlines(gated).CheckAsync(None));
        await gated.FirstEnqueueWaiting;
        var second = await FireAsync(world);

        // The second fire tells about the later referral (claimed by nobody), but skipped the held one:
        // its watermark stops there, so the next fire would read the held referral again.
        Assert.Equal((1, 1), (second.Notified, second.Held));
        Assert.Equal(held.RespondBefore, Watermark(world));

        gated.Open();
        await first;
        Assert.Equal(world.Time.GetUtcNow(), Watermark(world));
        Assert.Equal(new[] { held.ReferralId, later.ReferralId }.Order(StringComparer.Ordinal), Overdue(world).Where(n => n.Recipient.Kind == "provider").Select(ReferralIdOf).Order(StringComparer.Ordinal));
        Assert.Equal(4, Overdue(world).Count);
    }

    [Fact]
    public async Task Many_referrals_and_two_fires_in_parallel_tell_about_each_referral_once()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var referrals = new List<ReferralRecord>();
        for (var i = 0; i < 20; i++)
        {
            referrals.Add(await RoutedToCjgAsync(world, $"msg_{i}"));
            world.Time.Advance(TimeSpan.FromMinutes(3));
        }

        world.Time.Advance(CjgPromise);

        var fires = await Task.WhenAll(Task.Run(() => FireAsync(world)), Task.Run(() => FireAsync(world)));

        Assert.Equal(referrals.Count, fires.Sum(f => f.Notified));
        Assert.Equal(
            referrals.Select(r => r.ReferralId).Order(StringComparer.Ordinal),
            Overdue(world).Where(n => n.Recipient.Kind == "provider").Select(ReferralIdOf).Order(StringComparer.Ordinal));
        Assert.Equal(2 * referrals.Count, Overdue(world).Select(n => n.Notification.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_fire_days_late_finds_every_referral_that_fell_due_since_the_last_fire()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var school = await RoutedAsync(world, "msg_1");
        world.Time.Advance(TimeSpan.FromDays(1));
        var acute = await RoutedAsync(world, "msg_2", acute: true);
        Assert.Contains(acute, r => r.ProviderId == VeiligThuis);

        // No fire for six days: longer than any promise, so "now minus the longest promise" would miss them all.
        world.Time.Advance(TimeSpan.FromDays(5));
        var fire = await FireAsync(world);

        var expected = school.Concat(acute).Select(r => r.ReferralId).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Length, fire.Notified);
        Assert.Equal(expected, Overdue(world).Where(n => n.Recipient.Kind == "provider").Select(ReferralIdOf).Order(StringComparer.Ordinal));
        Assert.Equal(world.Time.GetUtcNow(), Watermark(world));
    }

    [Fact]
    public async Task A_fire_hours_late_tells_about_each_referral_once_with_the_fires_before_and_after()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var first = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(TimeSpan.FromHours(5));
        var second = await RoutedToCjgAsync(world, "msg_2");

        world.Time.Advance(CjgPromise - TimeSpan.FromHours(4));
        var onTime = await FireAsync(world);   // the first is due, the second not yet
        world.Time.Advance(TimeSpan.FromHours(7));
        var late = await FireAsync(world);     // hours late: the second fell due in between
        world.Time.Advance(Interval);
        var after = await FireAsync(world);

        Assert.Equal((1, 1, 0), (onTime.Notified, late.Notified, after.Notified));
        Assert.Equal(new[] { first.ReferralId, second.ReferralId }.Order(StringComparer.Ordinal), Overdue(world).Where(n => n.Recipient.Kind == "provider").Select(ReferralIdOf).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_first_fire_tells_about_referrals_due_within_the_longest_promise_and_not_before()
    {
        var world = new RoutingWorld();
        var old = await RoutedToCjgAsync(world, "msg_old");
        world.Time.Advance(TimeSpan.FromDays(2));
        var recent = await RoutedToCjgAsync(world, "msg_recent");

        // Now the old referral fell due more than 72 hours (the longest promise) ago, the recent one a day ago.
        world.Time.Advance(TimeSpan.FromDays(4) + TimeSpan.FromHours(1));
        Assert.True(world.Time.GetUtcNow() - old.RespondBefore > CjgPromise);
        var fire = await FireAsync(world);

        Assert.Equal(world.Time.GetUtcNow() - CjgPromise, fire.DueFrom);
        Assert.Equal([recent.ReferralId], Overdue(world).Where(n => n.Recipient.Kind == "provider").Select(ReferralIdOf));
    }

    [Theory]
    [InlineData(ReferralStatus.Received, true)]
    [InlineData(ReferralStatus.Contacted, false)]
    [InlineData(ReferralStatus.IntakeCompleted, false)]
    [InlineData(ReferralStatus.Declined, false)]
    [InlineData(ReferralStatus.NoContact, false)]
    public async Task Only_a_referral_without_contact_or_an_end_reported_before_it_fell_due_is_overdue(ReferralStatus reported, bool overdue)
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var referral = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(TimeSpan.FromHours(1));
        await ReportAsync(world, referral, reported);

        world.Time.Advance(CjgPromise + Interval);
        var fire = await FireAsync(world);

        Assert.Equal(overdue ? 1 : 0, fire.Notified);
        Assert.Equal(overdue, Overdue(world).Count > 0);
        Assert.Equal(world.Time.GetUtcNow(), Watermark(world));
    }

    [Fact]
    public async Task A_referral_contacted_after_it_fell_due_but_before_the_fire_gets_none()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var referral = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(CjgPromise + TimeSpan.FromMinutes(5));
        await ReportAsync(world, referral, ReferralStatus.Contacted);

        world.Time.Advance(TimeSpan.FromMinutes(5));
        await FireAsync(world);

        Assert.Empty(Overdue(world));
    }

    [Fact]
    public async Task A_failed_notification_keeps_the_watermark_at_its_referral_and_the_next_fire_tells_about_it()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var referral = await RoutedToCjgAsync(world, "msg_1");
        world.Time.Advance(CjgPromise + Interval);
        world.Faults.FailAtPoint = "outbox:before";

        await Assert.ThrowsAsync<IOException>(() => FireAsync(world));

        Assert.Equal(referral.RespondBefore, Watermark(world));
        Assert.Empty(Overdue(world));
        world.Time.Advance(Interval);
        var retry = await FireAsync(world);
        Assert.Equal(1, retry.Notified);
        Assert.Equal(2, Overdue(world).Count);
        Assert.Equal(world.Time.GetUtcNow(), Watermark(world));
    }

    /// <summary>An outbox whose first enqueue waits at a gate until the test opens it: a fire caught in the middle of telling.</summary>
    private sealed class GatedOutbox(INotificationOutbox inner) : INotificationOutbox
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _enqueues;

        public Task FirstEnqueueWaiting => _entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public void Open() => _open.TrySetResult();

        public async Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _enqueues) == 1)
            {
                _entered.TrySetResult();
                await _open.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            await inner.EnqueueAsync(notification, cancellationToken);
        }
    }
}
