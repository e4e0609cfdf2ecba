using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Core.Tests.Digests;

/// <summary>Which month the digest covers (in Amsterdam, across summer time and the year), that it is stored, and that the timer announces it once.</summary>
public sealed class DigestCompilationTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");
    private readonly FaultPlan _faults = new();
    private readonly FaultyInstroomLog _instroom;
    private readonly InMemoryDigestStore _digests = new();
    private readonly FaultyOnceLedger _ledger;
    private readonly FaultyOutbox _outbox;
    private readonly InMemoryMatchFollowUps _followUps = new();
    private FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.FromHours(1)));

    public DigestCompilationTests()
    {
        _instroom = new FaultyInstroomLog(_faults);
        _ledger = new FaultyOnceLedger(_faults);
        _outbox = new FaultyOutbox(_faults);
    }

    private DigestCompilation Compilation(HubDocument? document = null) =>
        new(new FixedHubDocument(document ?? TestHub.Demo()), _instroom, _followUps, _digests, _ledger, _outbox, _time, NullLogger<DigestCompilation>.Instance);

    private void Received(int year, int month, int day, int hour, int minute = 0)
    {
        var at = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero);
        _instroom.RecordAsync(new RoutedMelding($"mld_{at:yyyyMMddHHmm}_{_instroom.Routed.Count}", TestHub.SchoolPartner, Feeds.School, at, GemeenteCalendar.Of("Europe/Amsterdam").MonthOf(at), 9, null,
            ["wellbeing"], Urgencies.Normal, null, Matched: false, at.AddSeconds(1), []), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static string Figures(InstroomDigest digest) =>
        JsonSerializer.Serialize(digest with { CompiledAt = default }, HubJson.Default.InstroomDigest);

    [Fact]
    public async Task The_previous_month_in_the_gemeente_time_zone_is_compiled()
    {
        Received(2026, 10, 31, 22, 59); // 23:59 on 31 October in Amsterdam
        Received(2026, 10, 31, 23, 30); // 00:30 on 1 November: November, though UTC says October
        Received(2026, 11, 15, 12);
        Received(2026, 11, 30, 22, 59); // 23:59 on 30 November
        Received(2026, 11, 30, 23, 0); // local midnight, 1 December

        var published = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        Assert.Equal(("2026-11", ClaimState.Claimed), (published.Month, published.State));
        Assert.Equal(3, published.Digest!.MeldingCount);
    }

    [Fact]
    public async Task In_the_month_summer_time_begins_the_month_runs_from_winter_midnight_to_summer_midnight()
    {
        Received(2026, 2, 28, 22, 59); // 23:59 on 28 February
        Received(2026, 2, 28, 23, 30); // 00:30 on 1 March (winter time)
        Received(2026, 3, 31, 21, 30); // 23:30 on 31 March (summer time)
        Received(2026, 3, 31, 22, 30); // 00:30 on 1 April (summer time)
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));

        var published = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        Assert.Equal(("2026-03", 2), (published.Month, published.Digest!.MeldingCount));
    }

    [Fact]
    public async Task In_the_month_summer_time_ends_the_hour_gained_belongs_to_it()
    {
        Received(2026, 9, 30, 22, 30); // 00:30 on 1 October (summer time)
        Received(2026, 10, 25, 1, 30); // 02:30 on 25 October, the second time (winter time)
        Received(2026, 10, 31, 22, 59); // 23:59 on 31 October (winter time)
        Received(2026, 10, 31, 23, 30); // 00:30 on 1 November
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero));

        var published = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        Assert.Equal(("2026-10", 3), (published.Month, published.Digest!.MeldingCount));
    }

    [Fact]
    public async Task In_january_the_december_of_the_year_before_is_compiled_and_new_years_night_belongs_to_january()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero));
        Received(2026, 12, 31, 22, 59); // 23:59 on 31 December
        Received(2026, 12, 31, 23, 30); // 00:30 on 1 January 2027

        var published = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);
        var january = await Compilation().CompileOnDemandAsync("2027-01", CancellationToken.None);

        Assert.Equal(("2026-12", 1), (published.Month, published.Digest!.MeldingCount));
        Assert.Equal(1, Assert.IsType<DigestCompileOutcome.Compiled>(january).Digest.MeldingCount);
    }

    [Fact]
    public async Task The_compiled_digest_is_stored_under_its_month_with_when_it_was_compiled()
    {
        Received(2026, 11, 15, 12);
        Received(2026, 11, 16, 12);

        var digest = (await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None)).Digest!;

        Assert.Equal(Figures(digest), Figures((await _digests.FindAsync("2026-11", CancellationToken.None))!));
        Assert.Equal(_time.GetUtcNow(), digest.CompiledAt);
        Assert.Equal([new StoredDigest("2026-11", _time.GetUtcNow())], await Compilation().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_month_is_compiled_as_zero()
    {
        Received(2026, 12, 1, 0, 30);

        var digest = (await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None)).Digest!;

        Assert.Equal((0, 0), (digest.MeldingCount, digest.ReferralCount));
    }

    [Fact]
    public async Task Compiling_a_month_again_gives_the_same_figures_and_replaces_the_stored_digest()
    {
        Received(2026, 11, 15, 12);
        var november = DigestMonth.Parse("2026-11", Amsterdam);
        var first = await Compilation().CompileAsync(november, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));

        var again = await Compilation().CompileAsync(november, CancellationToken.None);

        Assert.Equal(Figures(first), Figures(again));
        Assert.Equal(_time.GetUtcNow(), (await _digests.FindAsync("2026-11", CancellationToken.None))!.CompiledAt);
    }

    [Fact]
    public async Task A_melding_routed_late_is_in_its_month_when_the_month_is_compiled_again()
    {
        Received(2026, 11, 15, 12);
        await Compilation().CompileOnDemandAsync("2026-11", CancellationToken.None);
        Received(2026, 11, 16, 12); // replayed from the poison queue after the first compile

        var again = await Compilation().CompileOnDemandAsync("2026-11", CancellationToken.None);

        Assert.Equal(2, Assert.IsType<DigestCompileOutcome.Compiled>(again).Digest.MeldingCount);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26-11")]
    [InlineData("2026-11-01")]
    [InlineData("november")]
    [InlineData("1999-12")]
    [InlineData("")]
    public async Task On_demand_a_text_that_is_not_a_month_is_refused_and_nothing_is_read(string month)
    {
        var outcome = await Compilation().CompileOnDemandAsync(month, CancellationToken.None);

        Assert.IsType<DigestCompileOutcome.NotAMonth>(outcome);
        Assert.Equal(0, _instroom.MonthReads);
    }

    [Fact]
    public async Task On_demand_a_month_not_begun_in_the_gemeente_is_refused_and_the_current_month_is_compiled()
    {
        // 23:30 UTC on 30 November is already 1 December in Amsterdam: December has begun, January not.
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero));

        Assert.IsType<DigestCompileOutcome.FutureMonth>(await Compilation().CompileOnDemandAsync("2027-01", CancellationToken.None));
        Assert.IsType<DigestCompileOutcome.Compiled>(await Compilation().CompileOnDemandAsync("2026-12", CancellationToken.None));
    }

    [Fact]
    public async Task Two_timer_fires_publish_the_month_once_to_each_subscriber_and_the_second_leaves_the_digest_as_published()
    {
        var document = TestHub.Demo() with
        {
            Gemeente = TestHub.Demo().Gemeente with { Subscribers = [new Subscriber("gemeente-jeugd", "https://a.example/j"), new Subscriber("ggd", "https://b.example/g")] },
        };
        Received(2026, 11, 15, 12);
        var first = await Compilation(document).CompileAndPublishPreviousMonthAsync(CancellationToken.None);
        Received(2026, 11, 16, 12);
        _time.Advance(TimeSpan.FromHours(1));

        var second = await Compilation(document).CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        Assert.Equal((ClaimState.Claimed, ClaimState.Done), (first.State, second.State));
        var published = _outbox.SentOfType(NotificationTypes.DigestPublished);
        Assert.Equal(["gemeente-jeugd", "ggd"], published.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(published, n => Assert.Equal(RecipientKinds.Subscriber, n.Recipient.Kind));
        Assert.Equal(2, published.Select(n => n.Notification.Id).Distinct().Count());
        Assert.Equal(first.Digest!.CompiledAt, (await _digests.FindAsync("2026-11", CancellationToken.None))!.CompiledAt);
    }

    [Fact]
    public async Task Digest_published_names_the_month_and_its_links_and_no_figures()
    {
        Received(2026, 11, 15, 12);

        await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        var data = Assert.Single(_outbox.SentOfType(NotificationTypes.DigestPublished)).Notification.Data;
        Assert.Equal(["compiledAt", "links", "month"], data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("2026-11", data.GetProperty("month").GetString());
        Assert.Equal("/api/digests/2026-11", data.GetProperty("links").GetProperty("json").GetString());
        Assert.StartsWith("/api/digests/2026-11?format=", data.GetProperty("links").GetProperty("csv").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/api/digests/2026-11?format=", data.GetProperty("links").GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fire_whose_publication_failed_leaves_it_to_the_next_fire_which_publishes_under_the_same_ids()
    {
        Received(2026, 11, 15, 12);
        _faults.FailAtPoint = "outbox:before";

        await Assert.ThrowsAsync<IOException>(() => Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None));
        var retried = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        Assert.Equal(ClaimState.Claimed, retried.State);
        Assert.Single(_outbox.SentOfType(NotificationTypes.DigestPublished));
    }

    [Fact]
    public async Task An_on_demand_compile_does_not_publish()
    {
        Received(2026, 11, 15, 12);

        await Compilation().CompileOnDemandAsync("2026-11", CancellationToken.None);

        Assert.Empty(_outbox.Sent);
    }

    [Fact]
    public async Task The_matches_found_in_the_month_are_counted_by_their_follow_up_and_no_others()
    {
        // Compiled on 1 December 02:00: November's matches, whose follow-ups (10 days) fall due up to 11 December.
        async Task<MatchFollowUp> FoundAsync(DateTimeOffset at) => await _followUps.StartAsync(MatchFollowUp.Start(
            new MatchSide(TestHub.SchoolPartner, $"mld_{Guid.NewGuid():N}"), new MatchSide(TestHub.PolicePartner, $"mld_{Guid.NewGuid():N}"), at, 10), CancellationToken.None);
        var both = await FoundAsync(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        await _followUps.ConfirmAsync(both, TestHub.SchoolPartner, both.FoundAt.AddDays(1), CancellationToken.None);
        await _followUps.ConfirmAsync(both, TestHub.PolicePartner, both.FoundAt.AddDays(2), CancellationToken.None);
        await FoundAsync(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
        var running = await FoundAsync(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await _followUps.ConfirmAsync(running, TestHub.PolicePartner, running.FoundAt.AddHours(2), CancellationToken.None);
        var withdrawn = await FoundAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        await _followUps.WithdrawAsync(withdrawn.MatchId, withdrawn.FoundAt.AddDays(1), CancellationToken.None);
        // 00:30 on 1 November in Amsterdam is October in UTC: November's; 23:30 UTC on 30 November is December there: not.
        await FoundAsync(new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero));
        await FoundAsync(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero));
        await FoundAsync(new DateTimeOffset(2026, 10, 15, 9, 0, 0, TimeSpan.Zero));

        var fire = await Compilation().CompileAndPublishPreviousMonthAsync(CancellationToken.None);

        var row = Assert.Single(fire.Digest!.Table(DigestTableIds.MatchFollowUp)!.Rows);
        Assert.Equal([1, 0, 2, 1, 1], row.Counts);
    }
}
