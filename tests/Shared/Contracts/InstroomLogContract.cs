using FunctionsHub.Core;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IInstroomLog"/> must do for routing, the partner's status, the audit report,
/// the digest and the first-contact deadlines: a routed melding and its referrals kept together under
/// the UTC day it was received, recorded once however often written, counted by when they came in,
/// and the referrals due before a moment found among the days they can be due from. The in-memory
/// fake and the table adapter alike.
/// </summary>
public abstract class InstroomLogContract
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");

    protected abstract IInstroomLog Log { get; }

    // Counts and searches read whole days: a year of its own per test, so tests sharing one table
    // never see each other's meldingen.
    private static int NewYear() => Random.Shared.Next(2200, 9000);

    private static string NewMelding() => $"mld_{Guid.NewGuid():N}";

    /// <summary>A routed melding received at <paramref name="receivedAt"/>, with every field filled.</summary>
    private static RoutedMelding Routed(DateTimeOffset receivedAt, params (string Provider, DateTimeOffset RespondBefore)[] referrals)
    {
        var meldingId = NewMelding();
        var routedAt = receivedAt.AddSeconds(3);
        return new RoutedMelding(
            meldingId,
            "politie-basisteam-voorbeeldstad",
            Feeds.Police,
            receivedAt,
            Amsterdam.MonthOf(receivedAt),
            14,
            "west",
            ["delinquency", "weapons"],
            Urgencies.Acute,
            "risk-level-red",
            true,
            routedAt,
            referrals.Select(r => new ReferralRecord(
                TestReferralIds.For(meldingId, r.Provider), meldingId, r.Provider, ReferralKinds.Referral, ConsentBases.AcuteSafety, routedAt, r.RespondBefore, DispatchState.Sent)).ToArray());
    }

    private static RoutedMelding Routed(DateTimeOffset receivedAt) =>
        Routed(receivedAt, ("basta", receivedAt.AddDays(2)), ("veilig-thuis", receivedAt.AddDays(5)));

    private async Task<RoutedMelding> RecordedAsync(RoutedMelding routed)
    {
        await Log.RecordAsync(routed, CancellationToken.None);
        return routed;
    }

    // The record holds lists, which records compare by reference: compare their items.
    private static void AssertSame(RoutedMelding expected, RoutedMelding? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected.Referrals.OrderBy(r => r.ReferralId, StringComparer.Ordinal), actual.Referrals.OrderBy(r => r.ReferralId, StringComparer.Ordinal));
        Assert.Equal(expected with { Categories = actual.Categories, Referrals = actual.Referrals }, actual);
    }

    private static IEnumerable<string> Ids(IEnumerable<ReferralRecord> referrals) => referrals.Select(r => r.ReferralId).Order(StringComparer.Ordinal);

    [Fact]
    public async Task A_recorded_melding_is_found_with_every_field_and_its_referrals()
    {
        var routed = Routed(new DateTimeOffset(2026, 11, 2, 8, 30, 1, 123, TimeSpan.Zero));
        var withdrawnBeforeItLeft = routed.Referrals[1] with { Kind = ReferralKinds.Signal, ConsentBasis = ConsentBases.None, Dispatch = DispatchState.Pending };
        routed = routed with { Referrals = [routed.Referrals[0], withdrawnBeforeItLeft] };

        await Log.RecordAsync(routed, CancellationToken.None);

        AssertSame(routed, await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None));
    }

    [Fact]
    public async Task A_melding_without_wijk_acute_reason_categories_or_match_round_trips()
    {
        var routed = Routed(new DateTimeOffset(2026, 11, 2, 8, 30, 1, 123, TimeSpan.Zero)) with
        {
            Wijk = null,
            AcuteReason = null,
            Categories = [],
            Urgency = Urgencies.Normal,
            Matched = false,
        };

        await Log.RecordAsync(routed, CancellationToken.None);

        AssertSame(routed, await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None));
    }

    [Fact]
    public async Task A_melding_is_found_by_any_moment_of_the_utc_day_it_was_received_and_not_by_another_day()
    {
        // 00:30 in Amsterdam is still the day before in UTC: the UTC day names where it is kept.
        var receivedAt = new DateTimeOffset(2026, 11, 3, 0, 30, 0, TimeSpan.FromHours(1));
        var routed = await RecordedAsync(Routed(receivedAt));

        AssertSame(routed, await Log.FindAsync(routed.MeldingId, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), CancellationToken.None));
        Assert.Null(await Log.FindAsync(routed.MeldingId, new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromHours(1)), CancellationToken.None));
        Assert.Null(await Log.FindAsync(routed.MeldingId, receivedAt.AddDays(-1), CancellationToken.None));
    }

    [Fact]
    public async Task A_melding_not_routed_is_not_found()
    {
        Assert.Null(await Log.FindAsync(NewMelding(), new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.Zero), CancellationToken.None));
    }

    [Fact]
    public async Task Recording_a_melding_again_is_the_same_as_recording_it_once()
    {
        var receivedAt = new DateTimeOffset(NewYear(), 11, 2, 8, 30, 1, 123, TimeSpan.Zero);
        var routed = await RecordedAsync(Routed(receivedAt));

        await Log.RecordAsync(routed, CancellationToken.None);

        AssertSame(routed, await Log.FindAsync(routed.MeldingId, receivedAt, CancellationToken.None));
        var day = new DateTimeOffset(receivedAt.UtcDateTime.Date, TimeSpan.Zero);
        Assert.Single(await Log.ReceivedAsync(day, day.AddDays(1), CancellationToken.None));
        Assert.Equal(Ids(routed.Referrals), Ids(await Log.DueAsync(receivedAt, receivedAt, receivedAt.AddDays(30), CancellationToken.None)));
    }

    [Fact]
    public async Task Reading_received_meldingen_includes_one_received_at_from_and_excludes_one_received_at_until()
    {
        var year = NewYear();
        var from = new DateTimeOffset(year, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(year, 11, 30, 23, 0, 0, TimeSpan.Zero);
        var recorded = new List<RoutedMelding>();
        foreach (var at in new[] { from.AddDays(-2), from.AddSeconds(-1), from, from.AddDays(15), until.AddSeconds(-1), until, until.AddDays(1), until.AddDays(40) })
        {
            // Two referrals each: a melding comes back once, with both.
            recorded.Add(await RecordedAsync(Routed(at)));
        }

        var received = await Log.ReceivedAsync(from, until, CancellationToken.None);

        Assert.Equal(recorded.Where(r => r.ReceivedAt >= from && r.ReceivedAt < until).Select(r => r.MeldingId), received.Select(r => r.MeldingId));
        foreach (var melding in received)
        {
            AssertSame(recorded.Single(r => r.MeldingId == melding.MeldingId), melding);
        }
    }

    [Fact]
    public async Task Reading_a_digest_month_uses_its_local_bounds_whatever_their_offset()
    {
        var year = NewYear();
        var november = DigestMonth.Parse($"{year}-11", GemeenteCalendar.Of("Europe/Amsterdam"));
        Assert.Equal(TimeSpan.FromHours(1), november.From.Offset);
        foreach (var at in new[] { (10, 31, 22, 30), (10, 31, 23, 30), (11, 30, 22, 30), (11, 30, 23, 30) })
        {
            await Log.RecordAsync(Routed(new DateTimeOffset(year, at.Item1, at.Item2, at.Item3, at.Item4, 0, TimeSpan.Zero)), CancellationToken.None);
        }

        var received = await Log.ReceivedAsync(november.From, november.Until, CancellationToken.None);

        Assert.Equal(
            [new DateTimeOffset(year, 10, 31, 23, 30, 0, TimeSpan.Zero), new DateTimeOffset(year, 11, 30, 22, 30, 0, TimeSpan.Zero)],
            received.Select(r => r.ReceivedAt));
    }

    [Fact]
    public async Task Reading_received_meldingen_gives_their_referrals_as_they_stand_now()
    {
        var year = NewYear();
        var receivedAt = new DateTimeOffset(year, 6, 10, 9, 0, 0, TimeSpan.Zero);
        var routed = await RecordedAsync(Routed(receivedAt));
        var read = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, receivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(read, ReferralStatus.Contacted, receivedAt.AddHours(4), null, CancellationToken.None));

        var received = Assert.Single(await Log.ReceivedAsync(receivedAt.AddDays(-1), receivedAt.AddDays(1), CancellationToken.None));

        var contacted = received.Referrals.Single(r => r.ReferralId == read.Referral.ReferralId);
        Assert.Equal((ReferralStatus.Contacted, receivedAt.AddHours(4)), (contacted.Status, contacted.ContactedAt));
    }

    [Fact]
    public async Task Reading_a_window_without_meldingen_gives_none()
    {
        var from = new DateTimeOffset(NewYear(), 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Empty(await Log.ReceivedAsync(from, from.AddDays(31), CancellationToken.None));
    }

    [Fact]
    public async Task The_deadline_search_finds_the_referrals_due_before_the_moment_among_meldingen_received_since_the_first_day_it_covers()
    {
        var year = NewYear();
        var receivedFrom = new DateTimeOffset(year, 3, 10, 12, 0, 0, TimeSpan.Zero);
        var dueBefore = new DateTimeOffset(year, 3, 20, 12, 0, 0, TimeSpan.Zero);
        var onFirstDay = Routed(receivedFrom.AddHours(1), ("basta", dueBefore.AddDays(-3)));
        var inBetween = Routed(receivedFrom.AddDays(4), ("basta", dueBefore.AddSeconds(-1)), ("veilig-thuis", dueBefore.AddDays(2)));
        var dueExactlyThen = Routed(receivedFrom.AddDays(5), ("basta", dueBefore));
        var onLastDay = Routed(dueBefore.AddHours(-3), ("jeugdteam", dueBefore.AddHours(-1)));
        var receivedTheDayBefore = Routed(receivedFrom.AddDays(-1), ("basta", dueBefore.AddDays(-5)));
        var receivedLongBefore = Routed(receivedFrom.AddDays(-30), ("basta", receivedFrom.AddDays(-28)));
        foreach (var routed in new[] { onFirstDay, inBetween, dueExactlyThen, onLastDay, receivedTheDayBefore, receivedLongBefore })
        {
            await Log.RecordAsync(routed, CancellationToken.None);
        }

        var due = await Log.DueAsync(receivedFrom, receivedFrom, dueBefore, CancellationToken.None);

        var expected = new[] { onFirstDay.Referrals[0], inBetween.Referrals[0], onLastDay.Referrals[0] };
        Assert.Equal(expected.OrderBy(r => r.ReferralId, StringComparer.Ordinal), due.OrderBy(r => r.ReferralId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_deadline_search_finds_only_referrals_due_from_its_lower_bound_on_among_the_days_it_reads()
    {
        // A later fire: it reads the days a referral due since its watermark can have been received on,
        // and only the referrals that fell due since then (a watermark is inclusive, the moment now is not).
        var year = NewYear();
        var dueFrom = new DateTimeOffset(year, 3, 20, 12, 0, 0, TimeSpan.Zero);
        var dueBefore = dueFrom.AddMinutes(15);
        var receivedFrom = dueFrom.AddDays(-4);
        var dueBeforeTheWatermark = Routed(receivedFrom.AddHours(2), ("basta", dueFrom.AddSeconds(-1)));
        var dueAtTheWatermark = Routed(receivedFrom.AddHours(3), ("basta", dueFrom), ("veilig-thuis", dueBefore.AddDays(1)));
        var dueSince = Routed(dueFrom.AddDays(-2), ("pit", dueBefore.AddSeconds(-1)));
        var dueLater = Routed(dueFrom.AddDays(-1), ("pit", dueBefore));
        foreach (var routed in new[] { dueBeforeTheWatermark, dueAtTheWatermark, dueSince, dueLater })
        {
            await Log.RecordAsync(routed, CancellationToken.None);
        }

        var due = await Log.DueAsync(receivedFrom, dueFrom, dueBefore, CancellationToken.None);

        Assert.Equal(Ids([dueAtTheWatermark.Referrals[0], dueSince.Referrals[0]]), Ids(due));
    }

    [Fact]
    public async Task The_deadline_search_over_days_without_meldingen_finds_nothing()
    {
        var receivedFrom = new DateTimeOffset(NewYear(), 3, 10, 12, 0, 0, TimeSpan.Zero);

        Assert.Empty(await Log.DueAsync(receivedFrom, receivedFrom, receivedFrom.AddDays(10), CancellationToken.None));
    }

    [Fact]
    public async Task A_referral_is_found_by_its_id_with_its_version_and_no_status_yet()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 2, 23, 59, 59, TimeSpan.Zero)));
        var referral = routed.Referrals[1];

        var stored = await Log.FindReferralAsync(referral.ReferralId, routed.ReceivedAt, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(referral, stored.Referral);
        Assert.Null(stored.Referral.Status);
        Assert.False(string.IsNullOrEmpty(stored.Version));
    }

    [Fact]
    public async Task An_unknown_referral_or_one_looked_for_on_another_day_is_not_found()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero)));
        var referral = routed.Referrals[0];

        Assert.Null(await Log.FindReferralAsync(TestReferralIds.For(routed.MeldingId, "pit"), routed.ReceivedAt, CancellationToken.None));
        Assert.Null(await Log.FindReferralAsync(referral.ReferralId, routed.ReceivedAt.AddDays(1), CancellationToken.None));
        Assert.Null(await Log.FindReferralAsync("ref_not-an-id", routed.ReceivedAt, CancellationToken.None));
    }

    [Fact]
    public async Task A_status_moved_from_the_version_read_is_kept_with_its_time_and_moves_the_version_on()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 4, 23, 59, 0, TimeSpan.Zero)));
        var stored = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        var at = routed.ReceivedAt.AddHours(5).AddMilliseconds(250);

        Assert.True(await Log.TryMoveStatusAsync(stored, ReferralStatus.Contacted, at, null, CancellationToken.None));

        var after = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.Equal(stored.Referral with { Status = ReferralStatus.Contacted, StatusAt = at, ContactedAt = at }, after.Referral);
        Assert.NotEqual(stored.Version, after.Version);
        var melding = await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None);
        Assert.Equal(ReferralStatus.Contacted, melding!.Referrals.Single(r => r.ReferralId == stored.Referral.ReferralId).Status);
    }

    [Fact]
    public async Task A_status_moved_from_a_version_that_changed_since_is_refused_and_changes_nothing()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 5, 9, 0, 0, TimeSpan.Zero)));
        var read = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(read, ReferralStatus.Contacted, routed.ReceivedAt.AddHours(1), null, CancellationToken.None));

        var stale = await Log.TryMoveStatusAsync(read, ReferralStatus.Declined, routed.ReceivedAt.AddHours(2), "capacity", CancellationToken.None);

        Assert.False(stale);
        var stored = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.Equal((ReferralStatus.Contacted, routed.ReceivedAt.AddHours(1)), (stored.Referral.Status!.Value, stored.Referral.StatusAt!.Value));
    }

    [Fact]
    public async Task Of_two_status_moves_from_one_version_exactly_one_is_kept()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 6, 9, 0, 0, TimeSpan.Zero)));
        var read = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;

        var moved = await Task.WhenAll(
            Task.Run(() => Log.TryMoveStatusAsync(read, ReferralStatus.Contacted, routed.ReceivedAt.AddHours(1), null, CancellationToken.None)),
            Task.Run(() => Log.TryMoveStatusAsync(read, ReferralStatus.Declined, routed.ReceivedAt.AddHours(1), "capacity", CancellationToken.None)));

        Assert.Single(moved, m => m);
    }

    [Fact]
    public async Task Recording_a_melding_again_keeps_the_statuses_reported_since()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 7, 9, 0, 0, TimeSpan.Zero)));
        var read = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(read, ReferralStatus.Contacted, routed.ReceivedAt.AddHours(1), null, CancellationToken.None));

        await Log.RecordAsync(routed, CancellationToken.None);

        var stored = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.Equal(ReferralStatus.Contacted, stored.Referral.Status);
    }

    [Fact]
    public async Task The_deadline_search_leaves_out_referrals_contacted_or_further_and_keeps_those_only_received()
    {
        var year = NewYear();
        var receivedAt = new DateTimeOffset(year, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var routed = await RecordedAsync(Routed(receivedAt, ("basta", receivedAt.AddHours(48)), ("pit", receivedAt.AddHours(48)), ("cjg", receivedAt.AddHours(48))));
        async Task MoveAsync(string provider, ReferralStatus to)
        {
            var read = (await Log.FindReferralAsync(TestReferralIds.For(routed.MeldingId, provider), receivedAt, CancellationToken.None))!;
            Assert.True(await Log.TryMoveStatusAsync(read, to, receivedAt.AddHours(1), null, CancellationToken.None));
        }

        await MoveAsync("basta", ReferralStatus.Received);
        await MoveAsync("pit", ReferralStatus.Contacted);

        var due = await Log.DueAsync(receivedAt, receivedAt, receivedAt.AddHours(49), CancellationToken.None);

        Assert.Equal(Ids(routed.Referrals.Where(r => r.ProviderId is "basta" or "cjg")), Ids(due));
    }

    [Fact]
    public async Task The_first_move_to_contacted_or_later_records_when_contact_was_made_and_later_moves_keep_it()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 8, 9, 0, 0, TimeSpan.Zero)));
        async Task<StoredReferral> ReadAsync() => (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        var contactedAt = routed.ReceivedAt.AddHours(30).AddMilliseconds(125);

        Assert.True(await Log.TryMoveStatusAsync(await ReadAsync(), ReferralStatus.Received, routed.ReceivedAt.AddHours(1), null, CancellationToken.None));
        Assert.Null((await ReadAsync()).Referral.ContactedAt);
        Assert.True(await Log.TryMoveStatusAsync(await ReadAsync(), ReferralStatus.Contacted, contactedAt, null, CancellationToken.None));
        Assert.True(await Log.TryMoveStatusAsync(await ReadAsync(), ReferralStatus.Completed, contactedAt.AddDays(20), null, CancellationToken.None));

        var after = (await ReadAsync()).Referral;
        Assert.Equal((ReferralStatus.Completed, contactedAt.AddDays(20), contactedAt, (string?)null), (after.Status!.Value, after.StatusAt!.Value, after.ContactedAt, after.StatusReason));
    }

    [Fact]
    public async Task A_first_report_that_skips_to_a_later_step_is_the_contact_and_an_ending_keeps_its_reason_code()
    {
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 9, 9, 0, 0, TimeSpan.Zero)));
        var first = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(first, ReferralStatus.IntakeCompleted, routed.ReceivedAt.AddHours(20), null, CancellationToken.None));
        var second = (await Log.FindReferralAsync(routed.Referrals[1].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(second, ReferralStatus.Declined, routed.ReceivedAt.AddHours(2), "not-in-target-group", CancellationToken.None));

        var melding = (await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None))!;
        var skipped = melding.Referrals.Single(r => r.ReferralId == first.Referral.ReferralId);
        var declined = melding.Referrals.Single(r => r.ReferralId == second.Referral.ReferralId);
        Assert.Equal(routed.ReceivedAt.AddHours(20), skipped.ContactedAt);
        Assert.Equal((ReferralStatus.Declined, (DateTimeOffset?)null, "not-in-target-group"), (declined.Status!.Value, declined.ContactedAt, declined.StatusReason));
    }

    [Fact]
    public async Task A_move_of_one_referral_refuses_a_move_of_another_of_its_melding_read_before_it_and_keeps_both_once_read_again()
    {
        // A melding's referrals are kept together: the version is the melding's, so a move read before
        // another referral's move could write back what that move changed, and must read again.
        var routed = await RecordedAsync(Routed(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero)));
        var first = (await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        var second = (await Log.FindReferralAsync(routed.Referrals[1].ReferralId, routed.ReceivedAt, CancellationToken.None))!;

        Assert.True(await Log.TryMoveStatusAsync(first, ReferralStatus.Contacted, routed.ReceivedAt.AddHours(3), null, CancellationToken.None));
        Assert.False(await Log.TryMoveStatusAsync(second, ReferralStatus.Received, routed.ReceivedAt.AddHours(4), null, CancellationToken.None));
        var again = (await Log.FindReferralAsync(routed.Referrals[1].ReferralId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.True(await Log.TryMoveStatusAsync(again, ReferralStatus.Received, routed.ReceivedAt.AddHours(4), null, CancellationToken.None));

        var melding = (await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None))!;
        Assert.Equal([ReferralStatus.Contacted, ReferralStatus.Received], melding.Referrals.Select(r => r.Status!.Value));
    }

    private static void AssertTally(IEnumerable<RoutedMelding> expected, MonthTally actual) =>
        Assert.Equal(MonthTally.Of(expected).Counts.OrderBy(c => c.Key, StringComparer.Ordinal), actual.Counts.OrderBy(c => c.Key, StringComparer.Ordinal));

    private async Task<MonthTally> TallyAsync(int year, int month)
    {
        var (from, until) = Amsterdam.MonthBounds(year, month);
        return await Log.TallyAsync($"{year:D4}-{month:D2}", from, until, CancellationToken.None);
    }

    private async Task MoveAsync(RoutedMelding routed, int referral, ReferralStatus to, DateTimeOffset at, string? reason = null)
    {
        var stored = await Log.FindReferralAsync(routed.Referrals[referral].ReferralId, routed.ReceivedAt, CancellationToken.None);
        Assert.True(await Log.TryMoveStatusAsync(stored!, to, at, reason, CancellationToken.None));
    }

    [Fact]
    public async Task A_month_tally_counts_the_meldingen_of_the_gemeente_month_as_they_stand_and_none_of_the_months_around_it()
    {
        var year = NewYear();
        var amsterdam = TimeSpan.FromHours(2);
        // 00:30 on the 1st in Amsterdam is still August in UTC; 23:30 on the 30th is still September there.
        var first = await RecordedAsync(Routed(new DateTimeOffset(year, 9, 1, 0, 30, 0, amsterdam)));
        var middle = await RecordedAsync(Routed(new DateTimeOffset(year, 9, 15, 12, 0, 0, amsterdam)) with { Wijk = null, Matched = false });
        var last = await RecordedAsync(Routed(new DateTimeOffset(year, 9, 30, 23, 30, 0, amsterdam)));
        var august = await RecordedAsync(Routed(new DateTimeOffset(year, 8, 31, 23, 59, 0, amsterdam)));
        var october = await RecordedAsync(Routed(new DateTimeOffset(year, 10, 1, 0, 10, 0, amsterdam)));
        await MoveAsync(first, 0, ReferralStatus.Contacted, first.ReceivedAt.AddHours(5));
        await MoveAsync(first, 0, ReferralStatus.Completed, first.ReceivedAt.AddDays(20));
        await MoveAsync(middle, 1, ReferralStatus.Declined, middle.ReceivedAt.AddHours(1), "capacity");
        await MoveAsync(october, 0, ReferralStatus.Contacted, october.ReceivedAt.AddHours(2));

        var (from, until) = Amsterdam.MonthBounds(year, 9);
        var september = await Log.ReceivedAsync(from, until, CancellationToken.None);
        Assert.Equal([first.MeldingId, middle.MeldingId, last.MeldingId], september.Select(m => m.MeldingId));
        AssertTally(september, await TallyAsync(year, 9));
        Assert.Equal(3, (await TallyAsync(year, 9)).Of(MonthTally.Dimensions.Feed).Values.Sum());
        AssertTally([(await Log.FindAsync(august.MeldingId, august.ReceivedAt, CancellationToken.None))!], await TallyAsync(year, 8));
        AssertTally([(await Log.FindAsync(october.MeldingId, october.ReceivedAt, CancellationToken.None))!], await TallyAsync(year, 10));
    }

    [Fact]
    public async Task Recording_again_and_a_move_from_a_version_gone_by_leave_the_tally_as_it_was()
    {
        var year = NewYear();
        var routed = await RecordedAsync(Routed(new DateTimeOffset(year, 3, 10, 9, 0, 0, TimeSpan.Zero)));
        var read = await Log.FindReferralAsync(routed.Referrals[0].ReferralId, routed.ReceivedAt, CancellationToken.None);
        await MoveAsync(routed, 1, ReferralStatus.Contacted, routed.ReceivedAt.AddHours(1));

        await Log.RecordAsync(routed, CancellationToken.None);
        Assert.False(await Log.TryMoveStatusAsync(read!, ReferralStatus.Declined, routed.ReceivedAt.AddHours(2), "capacity", CancellationToken.None));

        var (from, until) = Amsterdam.MonthBounds(year, 3);
        var stored = Assert.Single(await Log.ReceivedAsync(from, until, CancellationToken.None));
        Assert.Equal(ReferralStatus.Contacted, stored.Referrals[1].Status);
        AssertTally([stored], await TallyAsync(year, 3));
    }

    [Fact]
    public async Task Meldingen_recorded_and_moved_all_at_once_are_each_counted_once()
    {
        var year = NewYear();
        var start = new DateTimeOffset(year, 5, 1, 8, 0, 0, TimeSpan.Zero);
        // More at once than a writer has slots, so some wait for one and some share one.
        var routed = Enumerable.Range(0, 40).Select(i => Routed(start.AddMinutes(37 * i))).ToArray();
        await Task.WhenAll(routed.Select(r => Task.Run(() => Log.RecordAsync(r, CancellationToken.None))));
        await Task.WhenAll(routed.Where((_, i) => i % 2 == 0).Select(r => Task.Run(() => MoveAsync(r, 0, ReferralStatus.Contacted, r.ReceivedAt.AddHours(3)))));

        var (from, until) = Amsterdam.MonthBounds(year, 5);
        var may = await Log.ReceivedAsync(from, until, CancellationToken.None);
        Assert.Equal(40, may.Count);
        AssertTally(may, await TallyAsync(year, 5));
        Assert.Equal(20, (await TallyAsync(year, 5)).Of(MonthTally.Dimensions.Contact).Values.Sum());
    }

    [Fact]
    public async Task A_retracted_melding_ends_its_open_referrals_keeps_ended_ones_counts_as_retracted_and_stays_as_first_retracted()
    {
        var year = NewYear();
        var routed = await RecordedAsync(Routed(new DateTimeOffset(year, 6, 10, 9, 0, 0, TimeSpan.Zero)));
        await MoveAsync(routed, 1, ReferralStatus.Declined, routed.ReceivedAt.AddHours(1), "capacity");
        var at = routed.ReceivedAt.AddDays(1);

        var retracted = await Log.RetractAsync(routed.MeldingId, routed.ReceivedAt, "wrong-child", at, CancellationToken.None);
        var again = await Log.RetractAsync(routed.MeldingId, routed.ReceivedAt, "other", at.AddHours(1), CancellationToken.None);

        Assert.Equal(new MeldingRetraction("wrong-child", at), retracted!.Retraction);
        Assert.Equal((ReferralStatus.Withdrawn, "entered-in-error", at), (retracted.Referrals[0].Status!.Value, retracted.Referrals[0].StatusReason, retracted.Referrals[0].StatusAt!.Value));
        Assert.Equal((ReferralStatus.Declined, "capacity"), (retracted.Referrals[1].Status!.Value, retracted.Referrals[1].StatusReason));
        var stored = await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None);
        Assert.Equal(retracted.Retraction, stored!.Retraction);
        Assert.Equal(retracted.Retraction, again!.Retraction);
        Assert.Equal(retracted.Referrals, stored.Referrals);
        var tally = await TallyAsync(year, 6);
        AssertTally([stored], tally);
        Assert.Equal(new Dictionary<string, int> { [Feeds.Police] = 1 }, tally.Of(MonthTally.Dimensions.Retracted));
        Assert.Empty(tally.Of(MonthTally.Dimensions.Feed));
    }

    [Fact]
    public async Task A_melding_not_routed_cannot_be_retracted()
    {
        Assert.Null(await Log.RetractAsync(NewMelding(), new DateTimeOffset(NewYear(), 6, 10, 9, 0, 0, TimeSpan.Zero), "duplicate", DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task A_removed_melding_is_found_neither_by_id_nor_by_its_referrals_nor_read_nor_due_and_its_month_still_counts_it()
    {
        var year = NewYear();
        var removed = await RecordedAsync(Routed(new DateTimeOffset(year, 4, 10, 9, 0, 0, TimeSpan.Zero)));
        var kept = await RecordedAsync(Routed(new DateTimeOffset(year, 4, 10, 11, 0, 0, TimeSpan.Zero)));
        await MoveAsync(removed, 0, ReferralStatus.Contacted, removed.ReceivedAt.AddHours(2));
        var asItStood = (await Log.FindAsync(removed.MeldingId, removed.ReceivedAt, CancellationToken.None))!;
        var tallyBefore = await TallyAsync(year, 4);

        await Log.RemoveAsync(removed.MeldingId, removed.ReceivedAt, CancellationToken.None);

        Assert.Null(await Log.FindAsync(removed.MeldingId, removed.ReceivedAt, CancellationToken.None));
        foreach (var referral in removed.Referrals)
        {
            Assert.Null(await Log.FindReferralAsync(referral.ReferralId, removed.ReceivedAt, CancellationToken.None));
        }

        var (from, until) = Amsterdam.MonthBounds(year, 4);
        Assert.Equal([kept.MeldingId], (await Log.ReceivedAsync(from, until, CancellationToken.None)).Select(m => m.MeldingId));
        Assert.Equal(Ids(kept.Referrals), Ids(await Log.DueAsync(removed.ReceivedAt, removed.ReceivedAt, removed.ReceivedAt.AddDays(30), CancellationToken.None)));
        AssertSame(kept, await Log.FindAsync(kept.MeldingId, kept.ReceivedAt, CancellationToken.None));

        // Counts are aggregates: the month's tally still counts the removed melding, as it stood.
        var tally = await TallyAsync(year, 4);
        AssertTally([asItStood, kept], tally);
        Assert.Equal(tallyBefore.Counts.OrderBy(c => c.Key, StringComparer.Ordinal), tally.Counts.OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal(2, tally.Of(MonthTally.Dimensions.Feed).Values.Sum());
    }

    [Fact]
    public async Task Removing_a_melding_by_a_moment_of_another_day_leaves_it_and_removing_one_not_there_is_no_error()
    {
        var year = NewYear();
        var routed = await RecordedAsync(Routed(new DateTimeOffset(year, 4, 10, 9, 0, 0, TimeSpan.Zero)));

        await Log.RemoveAsync(routed.MeldingId, routed.ReceivedAt.AddDays(1), CancellationToken.None);
        await Log.RemoveAsync(NewMelding(), routed.ReceivedAt, CancellationToken.None);

        AssertSame(routed, await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None));

        await Log.RemoveAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None);
        await Log.RemoveAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None);

        Assert.Null(await Log.FindAsync(routed.MeldingId, routed.ReceivedAt, CancellationToken.None));
    }
}
