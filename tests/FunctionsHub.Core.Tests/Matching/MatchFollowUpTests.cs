using System.Text.Json;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Matching;

/// <summary>
/// The match follow-up: <c>match.found</c> starts it (once, in the run that holds the match's claim);
/// each referrer confirms contact; a match not confirmed by both by its deadline yields
/// <c>match.unattended</c> to each of the gemeente's subscribers once, however often, late or
/// concurrently the deadlines timer fires; one confirmed by both yields nothing.
/// </summary>
public sealed class MatchFollowUpTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Between two fires of the demo schedule.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>A school and a welfare melding about one child, routed one after the other: a match, its follow-up started.</summary>
    private static async Task<MatchFollowUp> MatchedAsync(RoutingWorld world, string bsn = TestMeldingen.Bsn)
    {
        var school = TestMeldingen.School() with { MeldingId = $"mld_{Guid.NewGuid():N}", Child = TestMeldingen.School().Child with { Bsn = bsn } };
        var welfare = TestMeldingen.Welfare() with { MeldingId = $"mld_{Guid.NewGuid():N}", Child = school.Child };
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(school), None);
            await world.Routing().RouteAsync(await world.AcceptedAsync(welfare), None);
        }

        return Assert.Single(world.FollowUps.All, f => f.IsReferrer(SchoolPartner) && f.Sides.Any(s => s.MeldingId == school.MeldingId));
    }

    private static IReadOnlyList<OutboundNotification> Unattended(RoutingWorld world) => world.Outbox.SentOfType(NotificationTypes.MatchUnattended);

    private static Task<FollowUpFire> FireAsync(RoutingWorld world) => world.MatchFollowUps().CheckAsync(None);

    /// <summary>The clock moved past the follow-up's deadline by one schedule interval.</summary>
    private static void PastDeadline(RoutingWorld world, MatchFollowUp followUp) => world.Time.SetUtcNow(followUp.DueAt + Interval);

    [Fact]
    public async Task Match_found_names_the_match_and_its_deadline_and_the_follow_up_is_started_once_with_both_referrers()
    {
        var world = new RoutingWorld();

        var followUp = await MatchedAsync(world);

        Assert.Single(world.FollowUps.All);
        Assert.Equal(world.Time.GetUtcNow().AddDays(world.Document.MatchFollowUpDays), followUp.DueAt);
        Assert.Equal(Identifiers.MatchId(followUp.First.MeldingId, followUp.Second.MeldingId), followUp.MatchId);
        Assert.Equal([WelfarePartner, SchoolPartner], followUp.Sides.Select(s => s.PartnerId).Order(StringComparer.Ordinal));
        var found = world.Outbox.SentOfType(NotificationTypes.MatchFound);
        Assert.Equal(2, found.Count);
        Assert.All(found, n =>
        {
            Assert.Equal(followUp.MatchId, n.Notification.Data.GetProperty("matchId").GetString());
            Assert.Equal(followUp.DueAt, n.Notification.Data.GetProperty("confirmBefore").GetDateTimeOffset());
        });
    }

    [Fact]
    public async Task A_routing_run_that_fails_after_starting_the_follow_up_starts_it_once_on_its_retry()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        var welfare = await world.AcceptedAsync(TestMeldingen.Welfare());
        await world.Routing().RouteAsync(school, None);
        world.Faults.FailAtPoint = "followups:after";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(welfare, None));
        world.Time.Advance(TimeSpan.FromMinutes(1));

        await world.Routing().RouteAsync(welfare, None);

        var followUp = Assert.Single(world.FollowUps.All);
        Assert.Equal(TestMeldingen.ReportedAt.AddMinutes(1).AddDays(world.Document.MatchFollowUpDays), followUp.DueAt);
        Assert.All(world.Outbox.SentOfType(NotificationTypes.MatchFound), n => Assert.Equal(followUp.MatchId, n.Notification.Data.GetProperty("matchId").GetString()));
    }

    [Fact]
    public async Task Confirmed_by_both_before_the_deadline_tells_nobody()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUp = await MatchedAsync(world);
        await world.MatchFollowUps().ConfirmAsync(SchoolPartner, followUp.MatchId, None);
        world.Time.Advance(TimeSpan.FromDays(3));
        await world.MatchFollowUps().ConfirmAsync(WelfarePartner, followUp.MatchId, None);
        PastDeadline(world, followUp);

        var fire = await FireAsync(world);

        Assert.Equal((1, 0), (fire.Attended, fire.Notified));
        Assert.Empty(Unattended(world));
        Assert.Equal(world.Time.GetUtcNow(), world.Watermarks.Peek(MatchFollowUps.WatermarkName));
    }

    [Fact]
    public async Task One_referrer_missing_past_the_deadline_tells_each_subscriber_once_whoever_confirmed_and_again_fires_change_nothing()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUp = await MatchedAsync(world);
        await world.MatchFollowUps().ConfirmAsync(WelfarePartner, followUp.MatchId, None);

        // Not yet due: nothing.
        world.Time.SetUtcNow(followUp.DueAt - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await FireAsync(world)).Notified);
        PastDeadline(world, followUp);
        var fire = await FireAsync(world);
        world.Time.Advance(Interval);
        var again = await FireAsync(world);

        Assert.Equal((1, 0), (fire.Notified, again.Notified));
        var notification = Assert.Single(Unattended(world));
        Assert.Equal(new NotificationRecipient(RecipientKinds.Subscriber, "gemeente-jeugd"), notification.Recipient);
        Assert.Equal(followUp.DueAt, notification.Notification.OccurredAt);
        var data = notification.Notification.Data;
        Assert.Equal(followUp.MatchId, data.GetProperty("matchId").GetString());
        Assert.Equal(followUp.FoundAt, data.GetProperty("foundAt").GetDateTimeOffset());
        Assert.Equal([WelfarePartner], data.GetProperty("confirmedBy").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal([WelfarePartner, SchoolPartner], data.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        // Ids, names, codes and times only: nothing of the child or the meldingen.
        var text = JsonSerializer.Serialize(notification);
        Assert.DoesNotContain(TestMeldingen.Bsn, text);
        Assert.DoesNotContain("Sam", text);
        Assert.DoesNotContain("mld_", text);

        // Both meldingen's audit trails say why.
        foreach (var side in followUp.Sides)
        {
            Assert.Contains(await world.Audit.EventsAsync(side.MeldingId, None), e => e.Type == NotificationTypes.MatchUnattended);
        }
    }

    [Fact]
    public async Task A_confirmation_after_the_deadline_is_recorded_but_does_not_count()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUp = await MatchedAsync(world);
        await world.MatchFollowUps().ConfirmAsync(SchoolPartner, followUp.MatchId, None);
        world.Time.SetUtcNow(followUp.DueAt.AddMinutes(1));

        var late = await world.MatchFollowUps().ConfirmAsync(WelfarePartner, followUp.MatchId, None);
        PastDeadline(world, followUp);
        await FireAsync(world);

        Assert.Equal(followUp.DueAt.AddMinutes(1), late!.ConfirmedAt);
        var notification = Assert.Single(Unattended(world));
        Assert.Equal([SchoolPartner], notification.Notification.Data.GetProperty("confirmedBy").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Unattended_is_sent_once_when_two_fires_run_at_once()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUp = await MatchedAsync(world);
        PastDeadline(world, followUp);
        var gated = new GatedOutbox(world.Outbox);

        // The first fire holds the match's claim and waits in its first enqueue; the second runs meanwhile.
        var first = Task.Run(() => world.MatchFollowUps(gated).CheckAsync(None));
        await gated.FirstEnqueueWaiting;
        var second = await FireAsync(world);
        gated.Open();
        var firstFire = await first;

        Assert.Equal((0, 1), (second.Notified, second.Held));
        Assert.Equal((1, 0), (firstFire.Notified, firstFire.Held));
        Assert.Single(Unattended(world));
        Assert.Equal(world.Time.GetUtcNow(), world.Watermarks.Peek(MatchFollowUps.WatermarkName));
    }

    [Fact]
    public async Task Many_matches_and_two_fires_in_parallel_tell_about_each_once()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUps = new List<MatchFollowUp>();
        for (var i = 0; i < 12; i++)
        {
            followUps.Add(await MatchedAsync(world, $"bsn-{i}"));
            world.Time.Advance(TimeSpan.FromMinutes(7));
        }

        world.Time.SetUtcNow(followUps[^1].DueAt + Interval);

        var fires = await Task.WhenAll(Task.Run(() => FireAsync(world)), Task.Run(() => FireAsync(world)));

        Assert.Equal(followUps.Count, fires.Sum(f => f.Notified));
        Assert.Equal(
            followUps.Select(f => f.MatchId).Order(StringComparer.Ordinal),
            Unattended(world).Select(n => n.Notification.Data.GetProperty("matchId").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fire_whose_notification_fails_gives_the_match_back_and_the_next_fire_tells_about_it()
    {
        var world = new RoutingWorld();
        await FireAsync(world);
        var followUp = await MatchedAsync(world);
        PastDeadline(world, followUp);
        world.Faults.FailAtPoint = "outbox:before";

        await Assert.ThrowsAsync<IOException>(() => FireAsync(world));
        Assert.Equal(followUp.DueAt, world.Watermarks.Peek(MatchFollowUps.WatermarkName));
        world.Time.Advance(Interval);
        var retry = await FireAsync(world);

        Assert.Equal(1, retry.Notified);
        Assert.Single(Unattended(world));
    }

    [Fact]
    public async Task Confirming_twice_answers_the_first_confirmation_and_records_it_once()
    {
        var world = new RoutingWorld();
        var followUp = await MatchedAsync(world);
        var at = world.Time.GetUtcNow();

        var first = await world.MatchFollowUps().ConfirmAsync(SchoolPartner, followUp.MatchId, None);
        world.Time.Advance(TimeSpan.FromHours(1));
        var again = await world.MatchFollowUps().ConfirmAsync(SchoolPartner, followUp.MatchId, None);

        Assert.Equal(new ContactConfirmedAnswer(followUp.MatchId, at, followUp.DueAt), first);
        Assert.Equal(first, again);
        var stored = Assert.Single(world.FollowUps.All);
        Assert.Equal(at, Assert.Single(stored.Confirmed).Value);
        Assert.Single(await world.Audit.EventsAsync(followUp.Sides.Single(s => s.PartnerId == SchoolPartner).MeldingId, None), e => e.Key == $"match-contact:{followUp.MatchId}");
    }

    [Theory]
    [InlineData(PolicePartner)]
    [InlineData("cbs-de-wegwijzer")]
    public async Task A_partner_that_is_not_a_referrer_of_the_match_gets_the_answer_of_an_unknown_match(string partnerId)
    {
        var world = new RoutingWorld();
        var followUp = await MatchedAsync(world);

        Assert.Null(await world.MatchFollowUps().ConfirmAsync(partnerId, followUp.MatchId, None));
        Assert.Empty(Assert.Single(world.FollowUps.All).Confirmed);
    }

    [Theory]
    [InlineData("mtc_00000000000000000000000000000000")]
    [InlineData("mld_00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    public async Task An_unknown_or_malformed_match_id_is_unknown(string matchId)
    {
        var world = new RoutingWorld();
        await MatchedAsync(world);

        Assert.Null(await world.MatchFollowUps().ConfirmAsync(SchoolPartner, matchId, None));
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
