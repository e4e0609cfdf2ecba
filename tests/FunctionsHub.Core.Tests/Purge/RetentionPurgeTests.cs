using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;

namespace FunctionsHub.Core.Tests.Purge;

/// <summary>
/// The retention purge over the gemeente's calendar (Europe/Amsterdam, 24 months): a school and a
/// welfare melding about one child, matched, reported two days apart either side of the term's end.
/// The school melding was reported at 00:30 on 1 December 2024 local time, still 30 November in UTC;
/// the welfare one at 00:30 on 3 December. The purge runs on 2 December 2026: the school melding is
/// one day past its term and goes with everything derived from it; the welfare melding is one day
/// inside and stays, and with it the child's file and consent.
/// </summary>
public sealed class RetentionPurgeTests
{
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset SchoolReported = new(2024, 12, 1, 0, 30, 0, Winter);
    private static readonly DateTimeOffset WelfareReported = new(2024, 12, 3, 0, 30, 0, Winter);
    private static readonly DateTimeOffset PurgeDay = new(2026, 12, 2, 10, 0, 0, Winter);

    private readonly RoutingWorld _world = new(start: new DateTimeOffset(2024, 12, 3, 1, 0, 0, Winter));
    private readonly Zorgmelding _school = TestMeldingen.School() with
    {
        ReportedAt = SchoolReported,
        ReceivedAt = SchoolReported.AddSeconds(3),
        Consent = TestMeldingen.Consent("given", "all") with { RecordedAt = SchoolReported.AddDays(-1) },
    };

    private readonly Zorgmelding _welfare = TestMeldingen.Welfare() with { ReportedAt = WelfareReported, ReceivedAt = WelfareReported.AddSeconds(3) };

    private string Child => _world.Pseudonyms.Of(TestMeldingen.Bsn);

    private string MatchId => Identifiers.MatchId(_school.MeldingId, _welfare.MeldingId);

    /// <summary>Both meldingen taken in and routed, their referrals overdue, their match unattended, every notification delivered.</summary>
    private async Task TwoMatchedMeldingenWithTheirHistoryAsync()
    {
        foreach (var melding in new[] { _school, _welfare })
        {
            Assert.IsType<IntakeOutcome.Accepted>(await _world.Intake().AcceptAsync(melding, "{}"u8.ToArray(), CancellationToken.None));
            await _world.Routing().RouteAsync(melding, CancellationToken.None);
        }

        Assert.Contains(_world.Outbox.Sent, n => n.Notification.Type == NotificationTypes.MatchFound);
        _world.Time.Advance(TimeSpan.FromDays(5));
        await _world.Deadlines().CheckAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromDays(6));
        await _world.MatchFollowUps().CheckAsync(CancellationToken.None);
        Assert.Contains(_world.Outbox.Sent, n => n.Notification.Type == NotificationTypes.ReferralOverdue);
        Assert.Contains(_world.Outbox.Sent, n => n.Notification.Type == NotificationTypes.MatchUnattended);
        _world.Deliveries.DeliveredAll(_world.Outbox.Sent, _world.Time.GetUtcNow());
    }

    private Task<PurgeCounts> PurgeOnAsync(DateTimeOffset day)
    {
        if (_world.Time.GetUtcNow() < day)
        {
            _world.Time.SetUtcNow(day);
        }

        return _world.Purge().RunAsync(CancellationToken.None);
    }

    /// <summary>Whether a notification was about the melding: its data names the melding, one of its referrals or its match.</summary>
    private static bool About(OutboundNotification n, string meldingId, string matchId)
    {
        var data = n.Notification.Data.GetRawText();
        return data.Contains(meldingId[4..], StringComparison.Ordinal) || data.Contains(matchId, StringComparison.Ordinal);
    }

    /// <summary>Nothing of the school melding is left but its tombstone; the welfare melding is whole.</summary>
    private async Task AssertSchoolMeldingGoneAndWelfareKeptAsync()
    {
        var school = _school.MeldingId;
        Assert.Null(await _world.Meldingen.FindAsync(school, CancellationToken.None));
        Assert.Null(_world.Instroom.Peek(school));
        Assert.DoesNotContain(_world.Retention.Entries, e => e.MeldingId == school);
        var events = await _world.Audit.EventsAsync(school, CancellationToken.None);
        var tombstone = Assert.Single(events);
        Assert.Equal(RetentionPurge.TombstoneType, tombstone.Type);
        Assert.Contains("2024-12", tombstone.Summary, StringComparison.Ordinal);
        Assert.Contains("school", tombstone.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.FollowUps.All, f => f.MatchId == MatchId);

        // The derived keys: no once-ledger entry names the melding, its referrals (they carry its id) or its match.
        Assert.DoesNotContain(_world.Ledger.Keys, k => k.Key.Contains(school[4..], StringComparison.Ordinal) || k.Key.Contains(MatchId, StringComparison.Ordinal));
        var aboutSchool = _world.Outbox.Sent.Where(n => About(n, school, MatchId)).Select(n => n.Notification.Id).ToArray();
        Assert.NotEmpty(aboutSchool);
        Assert.Empty(_world.Deliveries.Ids.Intersect(aboutSchool));

        // The welfare melding, its referrals' records and the child's file stay; its decision no longer names the school melding.
        var file = _world.Files.Peek(Child);
        Assert.Null(file.Find(school));
        Assert.Empty(file.Find(_welfare.MeldingId)!.Decision!.Match);
        Assert.NotEmpty(file.Consents);
        Assert.NotNull(_world.Instroom.Peek(_welfare.MeldingId));
        Assert.NotNull(await _world.Meldingen.FindAsync(_welfare.MeldingId, CancellationToken.None));
        Assert.Contains(_world.Retention.Entries, e => e.MeldingId == _welfare.MeldingId);
        var aboutWelfareOnly = _world.Outbox.Sent.Where(n => !About(n, school, MatchId) && About(n, _welfare.MeldingId, MatchId)).Select(n => n.Notification.Id).ToArray();
        Assert.NotEmpty(aboutWelfareOnly);
        Assert.Subset(_world.Deliveries.Ids.ToHashSet(), aboutWelfareOnly.ToHashSet());
    }

    [Fact]
    public async Task Intake_notes_each_melding_under_the_gemeente_month_it_was_reported_in()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();

        // 00:30 on 1 December in Amsterdam is 30 November in UTC: the gemeente's month counts.
        var entry = Assert.Single(_world.Retention.Entries, e => e.MeldingId == _school.MeldingId);
        Assert.Equal(("2024-12", Child, _school.ReceivedAt), (entry.Month, entry.ChildPseudonym, entry.ReceivedAt));
    }

    [Fact]
    public async Task A_melding_one_day_past_its_term_goes_with_all_its_rows_and_one_a_day_inside_it_stays()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        var referrals = _world.Instroom.Peek(_school.MeldingId)!.Referrals.Count;

        var counts = await PurgeOnAsync(PurgeDay);

        Assert.Equal(("2024-12", 1, referrals, 1, 0, 0), (counts.ThroughMonth, counts.Meldingen, counts.Referrals, counts.Matches, counts.Children, counts.Waiting));
        await AssertSchoolMeldingGoneAndWelfareKeptAsync();
    }

    [Fact]
    public async Task The_counts_of_the_month_stay_in_its_tally_after_the_purge()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        var before = (await _world.Instroom.TallyAsync("2024-12", default, default, CancellationToken.None)).Counts;

        await PurgeOnAsync(PurgeDay);

        Assert.Equal(before, (await _world.Instroom.TallyAsync("2024-12", default, default, CancellationToken.None)).Counts);
    }

    [Fact]
    public async Task The_childs_consent_goes_only_with_the_childs_last_melding()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();

        await PurgeOnAsync(PurgeDay);
        Assert.NotEmpty(_world.Files.Peek(Child).Consents);

        // A day later the welfare melding is past its term too: the child's file goes, consent and all.
        var counts = await PurgeOnAsync(PurgeDay.AddDays(1));

        Assert.Equal((1, 1), (counts.Meldingen, counts.Children));
        Assert.DoesNotContain(Child, _world.Files.Children);
        Assert.Null(_world.Files.Peek(Child).Version);
        Assert.Empty(_world.Retention.Entries);
        Assert.Empty(_world.Instroom.Routed);
        Assert.Empty(_world.Meldingen.Records);
        Assert.Empty(_world.Deliveries.Ids.Intersect(_world.Outbox.Sent.Where(n => n.Notification.Type != NotificationTypes.RetentionPurged).Select(n => n.Notification.Id)));
        Assert.All(_world.Audit.Partitions.Where(p => p != RetentionPurge.AuditPartition), p => Assert.Equal(RetentionPurge.TombstoneType, Assert.Single(_world.Audit.EventsAsync(p, CancellationToken.None).Result).Type));
    }

    [Fact]
    public async Task Running_the_purge_again_removes_nothing_more_and_reports_nothing_more()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        await PurgeOnAsync(PurgeDay);
        var reports = _world.Outbox.SentOfType(NotificationTypes.RetentionPurged).Count;
        var deliveries = _world.Deliveries.Ids.Count;

        _world.Time.Advance(TimeSpan.FromHours(1));
        var again = await PurgeOnAsync(PurgeDay);

        Assert.Equal(("2024-12", 0, 0, 0, 0, 0, 0), (again.ThroughMonth, again.Meldingen, again.Referrals, again.Matches, again.Children, again.Referrers, again.Waiting));
        Assert.Equal(reports, _world.Outbox.SentOfType(NotificationTypes.RetentionPurged).Count);
        Assert.Equal(deliveries, _world.Deliveries.Ids.Count);
        await AssertSchoolMeldingGoneAndWelfareKeptAsync();
    }

    [Theory]
    [InlineData("once.forget")]
    [InlineData("followups.remove")]
    [InlineData("audit.tombstone:written")]
    [InlineData("instroom.remove")]
    [InlineData("files.remove:before")]
    [InlineData("files.remove:after")]
    [InlineData("meldingen.remove")]
    [InlineData("retention.remove")]
    public async Task A_purge_interrupted_halfway_is_finished_by_the_next(string failingPoint)
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        _world.Faults.FailAtPoint = failingPoint;

        await Assert.ThrowsAsync<IOException>(() => PurgeOnAsync(PurgeDay));
        Assert.Null(_world.Faults.FailAtPoint);
        var next = await PurgeOnAsync(PurgeDay.AddHours(1));

        Assert.Equal(1, next.Meldingen);
        await AssertSchoolMeldingGoneAndWelfareKeptAsync();
    }

    [Fact]
    public async Task A_melding_whose_purge_fails_keeps_no_other_from_going_and_the_fire_fails_so_that_it_is_seen()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        // A melding of another child, also past its term, whose removal will not fail.
        var other = TestMeldingen.Police() with { ReportedAt = SchoolReported, ReceivedAt = SchoolReported.AddSeconds(5) };
        await _world.Intake().AcceptAsync(other, "{}"u8.ToArray(), CancellationToken.None);
        await _world.Routing().RouteAsync(other, CancellationToken.None);
        _world.Faults.FailAtPoint = "instroom.remove";

        var failure = await Assert.ThrowsAsync<IOException>(() => PurgeOnAsync(PurgeDay));

        Assert.Contains("1 melding", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, _world.Instroom.Routed.Count(r => r.MeldingId == _school.MeldingId || r.MeldingId == other.MeldingId));
        Assert.Single(_world.Outbox.SentOfType(NotificationTypes.RetentionPurged));
        Assert.Equal(1, (await PurgeOnAsync(PurgeDay.AddHours(1))).Meldingen);
        await AssertSchoolMeldingGoneAndWelfareKeptAsync();
        Assert.Null(_world.Instroom.Peek(other.MeldingId));
    }

    [Fact]
    public async Task An_entry_of_a_melding_intake_never_stored_is_dropped_without_a_tombstone_or_a_count()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        // Intake notes the entry first; this one's melding was never stored (intake failed between the two writes, and no retry came).
        var never = TestMeldingen.Police() with { MeldingId = Identifiers.MeldingId(TestHub.PolicePartner, "msg_never_stored"), ReportedAt = SchoolReported, ReceivedAt = SchoolReported.AddSeconds(9) };
        var entry = DataRetention.RetentionEntry.Of(MeldingRecord.From(never, "fingerprint", _world.Pseudonyms.Of(never.Child.Bsn)), _world.Document.Gemeente.Calendar());
        await _world.Retention.NoteAsync(entry, CancellationToken.None);

        var counts = await PurgeOnAsync(PurgeDay);

        Assert.Equal(1, counts.Meldingen);
        Assert.DoesNotContain(_world.Retention.Entries, e => e.MeldingId == never.MeldingId);
        Assert.Empty(await _world.Audit.EventsAsync(never.MeldingId, CancellationToken.None));
        await AssertSchoolMeldingGoneAndWelfareKeptAsync();
    }

    [Fact]
    public async Task A_melding_past_its_term_on_arrival_waits_until_no_queue_can_deliver_it_again()
    {
        // Reported years before it was sent: past its term the day it came in.
        var late = _school with { ReportedAt = new DateTimeOffset(2019, 3, 4, 10, 0, 0, Winter), ReceivedAt = _world.Time.GetUtcNow() };
        await _world.Intake().AcceptAsync(late, "{}"u8.ToArray(), CancellationToken.None);
        await _world.Routing().RouteAsync(late, CancellationToken.None);

        var first = await _world.Purge().RunAsync(CancellationToken.None);
        Assert.Equal((0, 1), (first.Meldingen, first.Waiting));
        Assert.NotNull(_world.Instroom.Peek(late.MeldingId));

        _world.Time.Advance(TimeSpan.FromDays(8));
        var later = await _world.Purge().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (later.Meldingen, later.Waiting));
        Assert.Null(_world.Instroom.Peek(late.MeldingId));
    }

    [Fact]
    public async Task A_referrer_silent_past_referrerMonths_leaves_the_directory_and_one_who_sent_since_stays()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();

        var counts = await PurgeOnAsync(PurgeDay);

        // The school's referrer last sent on 30 November 2024 (UTC), more than 24 months before; the welfare referrer on 2 December.
        Assert.Equal(1, counts.Referrers);
        Assert.Empty(await _world.Referrers.OfPartnerAsync(TestHub.SchoolPartner, CancellationToken.None));
        Assert.Single(await _world.Referrers.OfPartnerAsync(TestHub.WelfarePartner, CancellationToken.None));
    }

    [Fact]
    public async Task The_gemeente_hears_the_counts_once_per_purge_that_removed_something_and_nothing_that_names_a_child_or_melding()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();
        var referrals = _world.Instroom.Peek(_school.MeldingId)!.Referrals.Count;

        await PurgeOnAsync(PurgeDay);

        var report = Assert.Single(_world.Outbox.SentOfType(NotificationTypes.RetentionPurged));
        Assert.Equal(new NotificationRecipient(RecipientKinds.Subscriber, "gemeente-jeugd"), report.Recipient);
        var data = report.Notification.Data;
        Assert.Equal((1, referrals, 1, 0, 1, 24, "2024-12", "2026-12-02"),
            (data.GetProperty("meldingen").GetInt32(), data.GetProperty("referrals").GetInt32(), data.GetProperty("matches").GetInt32(),
             data.GetProperty("children").GetInt32(), data.GetProperty("referrers").GetInt32(), data.GetProperty("meldingMonths").GetInt32(),
             data.GetProperty("throughMonth").GetString(), data.GetProperty("purgedOn").GetString()));
        var text = data.GetRawText();
        Assert.DoesNotContain("mld_", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Child, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_school.MeldingId[4..], text, StringComparison.Ordinal);

        // And the audit keeps the same counts under its own partition, not under a melding.
        var run = Assert.Single(await _world.Audit.EventsAsync(RetentionPurge.AuditPartition, CancellationToken.None));
        Assert.Equal(NotificationTypes.RetentionPurged, run.Type);
    }

    [Fact]
    public async Task A_purge_that_removes_nothing_tells_nobody()
    {
        await TwoMatchedMeldingenWithTheirHistoryAsync();

        var counts = await PurgeOnAsync(SchoolReported.AddMonths(24).AddDays(-1));

        Assert.False(counts.RemovedAny);
        Assert.Empty(_world.Outbox.SentOfType(NotificationTypes.RetentionPurged));
        Assert.NotNull(_world.Instroom.Peek(_school.MeldingId));
    }
}
