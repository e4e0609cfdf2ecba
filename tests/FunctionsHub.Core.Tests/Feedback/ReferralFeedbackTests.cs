using System.Text.Json;
using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Feedback;

/// <summary>
/// A provider reports what became of a referral: the status moves forward only, every refusal leaves
/// nothing behind, a repeated delivery is answered the same, and the referrer hears of each accepted
/// status, with the reason and the note only for a full referral.
/// </summary>
public sealed class ReferralFeedbackTests
{
    private const string Note = "Moeder gesproken; gezin staat open voor begeleiding.";

    private static readonly ReferralStatus?[] EveryCurrent = [null, .. Enum.GetValues<ReferralStatus>()];

    private static readonly ReferralStatus[] Progress =
        [ReferralStatus.Received, ReferralStatus.Contacted, ReferralStatus.IntakeCompleted, ReferralStatus.InterventionStarted, ReferralStatus.Completed];

    /// <summary>A school melding routed to cjg: as a signal, or as a full referral when the parents consented.</summary>
    private static async Task<(RoutingWorld World, string MeldingId, string ReferralId)> RoutedAsync(bool fullReferral = false) =>
        await RoutedAsync(new RoutingWorld(), fullReferral);

    private static async Task<(RoutingWorld World, string MeldingId, string ReferralId)> RoutedAsync(RoutingWorld world, bool fullReferral = false)
    {
        var school = fullReferral ? TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") } : TestMeldingen.School();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);
        }

        var referralId = world.ReferralIds.For(school.MeldingId, Cjg);
        Assert.Equal(fullReferral ? ReferralKinds.Referral : ReferralKinds.Signal, Referral(world, school.MeldingId).Kind);
        return (world, school.MeldingId, referralId);
    }

    /// <summary>The <c>referral.status-changed</c> notifications so far (routing put <c>melding.routed</c> on the same outbox).</summary>
    private static IReadOnlyList<OutboundNotification> StatusChanges(RoutingWorld world) =>
        world.Outbox.SentOfType(NotificationTypes.ReferralStatusChanged);

    private static ReferralRecord Referral(RoutingWorld world, string meldingId) => Assert.Single(world.RoutedOrNull(meldingId)!.Referrals);

    private static StatusReport Report(RoutingWorld world, ReferralStatus status, string? reason = null, string? note = null) =>
        new(status, world.Time.GetUtcNow(), reason ?? ReferralLifecycle.ReasonsFor(status).FirstOrDefault(), note);

    private static Task<FeedbackOutcome> ReportAsync(
        RoutingWorld world, string referralId, StatusReport report, string webhookId = "msg_status_1", string provider = Cjg, string? fingerprint = null, IInstroomLog? instroom = null) =>
        world.Feedback(instroom).ReportAsync(provider, referralId, webhookId, report, fingerprint ?? Fingerprint(report), CancellationToken.None);

    /// <summary>Stands in for the keyed fingerprint of the body: the same report, the same value; never its text.</summary>
    private static string Fingerprint(StatusReport report) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(report.ToString())))[..16];

    public static TheoryData<ReferralStatus?, ReferralStatus> EveryPair()
    {
        var data = new TheoryData<ReferralStatus?, ReferralStatus>();
        foreach (var from in EveryCurrent)
        {
            foreach (var to in Enum.GetValues<ReferralStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public async Task A_status_is_accepted_when_it_moves_forward_or_ends_an_open_referral_and_otherwise_409_names_the_current_status(ReferralStatus? current, ReferralStatus reported)
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        if (current is { } first)
        {
            Assert.IsType<FeedbackOutcome.Accepted>(await ReportAsync(world, referralId, Report(world, first), "msg_first"));
        }

        world.Time.Advance(TimeSpan.FromHours(1));
        var outcome = await ReportAsync(world, referralId, Report(world, reported), "msg_second");

        // Written out here rather than asked of ReferralLifecycle: the product's table, pair by pair.
        var ended = current is ReferralStatus.Completed or ReferralStatus.Declined or ReferralStatus.NoContact or ReferralStatus.Withdrawn;
        var forward = Progress.Contains(reported) && Array.IndexOf(Progress, reported) > (current is { } c ? Array.IndexOf(Progress, c) : -1);
        var ending = reported is ReferralStatus.Declined or ReferralStatus.NoContact or ReferralStatus.Withdrawn;
        if (!ended && (forward || ending))
        {
            Assert.Equal(new FeedbackOutcome.Accepted(referralId, reported), outcome);
            Assert.Equal(reported, Referral(world, meldingId).Status);
        }
        else
        {
            Assert.Equal(new FeedbackOutcome.InvalidTransition(current!.Value), outcome);
            Assert.Equal(current, Referral(world, meldingId).Status);
        }
    }

    [Fact]
    public async Task Another_providers_referral_is_refused_and_nothing_is_recorded()
    {
        var (world, meldingId, referralId) = await RoutedAsync();

        var outcome = await ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted), provider: Basta);

        Assert.IsType<FeedbackOutcome.NotYours>(outcome);
        AssertNothingRecorded(world, meldingId, Basta, "msg_status_1");
    }

    [Fact]
    public async Task A_provider_that_guesses_another_providers_referral_id_from_the_melding_id_finds_no_referral()
    {
        // A police melding goes to basta, pak-je-kans and pit; basta has the melding id from its inbox.
        var world = new RoutingWorld();
        var police = TestMeldingen.Police();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);
        }

        Assert.Contains(world.RoutedOrNull(police.MeldingId)!.Referrals, r => r.ProviderId == Pit);

        // The id pit really has cannot be computed without the hub's key; the unkeyed guess names nothing,
        // so the answer is the same 404 as for a provider the melding did not go to (cjg): no oracle.
        var wentThere = await ReportAsync(world, ReferralIdsTests.Unkeyed(police.MeldingId, Pit), Report(world, ReferralStatus.Contacted), provider: Basta);
        var didNot = await ReportAsync(world, ReferralIdsTests.Unkeyed(police.MeldingId, Cjg), Report(world, ReferralStatus.Contacted), "msg_status_2", provider: Basta);

        Assert.IsType<FeedbackOutcome.UnknownReferral>(wentThere);
        Assert.IsType<FeedbackOutcome.UnknownReferral>(didNot);
        Assert.False(world.Ledger.HasRecord(ReferralFeedback.DeliveryScope, Identifiers.StatusDeliveryId(Basta, "msg_status_1")));
        Assert.False(world.Ledger.HasRecord(ReferralFeedback.DeliveryScope, Identifiers.StatusDeliveryId(Basta, "msg_status_2")));
        Assert.All(world.RoutedOrNull(police.MeldingId)!.Referrals, r => Assert.Null(r.Status));
        Assert.Empty(StatusChanges(world));
    }

    [Theory]
    [InlineData("not-a-referral")]
    [InlineData("ref_0123")]
    [InlineData("REF_0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("ref_0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task An_id_that_names_no_routed_referral_is_unknown_and_nothing_is_recorded(string referralId)
    {
        var (world, meldingId, _) = await RoutedAsync();

        var outcome = await ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted));

        Assert.IsType<FeedbackOutcome.UnknownReferral>(outcome);
        AssertNothingRecorded(world, meldingId, Cjg, "msg_status_1");
    }

    [Fact]
    public async Task A_referral_of_a_melding_that_is_accepted_but_not_routed_yet_is_unknown()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());

        var outcome = await ReportAsync(world, world.ReferralIds.For(school.MeldingId, Cjg), Report(world, ReferralStatus.Received));

        Assert.IsType<FeedbackOutcome.UnknownReferral>(outcome);
        Assert.False(world.Ledger.HasRecord(ReferralFeedback.DeliveryScope, Identifiers.StatusDeliveryId(Cjg, "msg_status_1")));
        Assert.Empty(StatusChanges(world));
    }

    [Fact]
    public async Task A_status_dated_before_the_referral_was_created_is_refused_and_nothing_is_recorded()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var report = Report(world, ReferralStatus.Contacted) with { OccurredAt = Referral(world, meldingId).CreatedAt.AddSeconds(-1) };

        var outcome = await ReportAsync(world, referralId, report);

        Assert.IsType<FeedbackOutcome.OccurredBeforeReferral>(outcome);
        AssertNothingRecorded(world, meldingId, Cjg, "msg_status_1");
    }

    [Fact]
    public async Task A_status_in_whole_seconds_within_the_second_the_referral_was_created_is_accepted()
    {
        var world = new RoutingWorld();
        world.Time.Advance(TimeSpan.FromMilliseconds(400));
        var (_, meldingId, referralId) = await RoutedAsync(world);
        var createdAt = Referral(world, meldingId).CreatedAt;
        var report = Report(world, ReferralStatus.Received) with { OccurredAt = createdAt.AddMilliseconds(-400) };

        Assert.IsType<FeedbackOutcome.Accepted>(await ReportAsync(world, referralId, report));
    }

    [Fact]
    public async Task The_same_delivery_twice_gets_the_same_answer_and_moves_the_status_once()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var counting = new RacingInstroom(world.Instroom);
        var report = Report(world, ReferralStatus.Contacted);

        var first = await ReportAsync(world, referralId, report, instroom: counting);
        var again = await ReportAsync(world, referralId, report, instroom: counting);

        Assert.Equal(new FeedbackOutcome.Accepted(referralId, ReferralStatus.Contacted), first);
        Assert.Equal(first, again);
        Assert.Equal(1, counting.Moves);
        // Told again with the same id: safe after a run that stopped between the move and the send.
        Assert.Equal(2, StatusChanges(world).Count);
        Assert.Single(StatusChanges(world).Select(n => n.Notification.Id).Distinct());
    }

    [Fact]
    public async Task The_same_webhook_id_with_another_body_is_a_conflict_and_changes_nothing()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        await ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted));

        var outcome = await ReportAsync(world, referralId, Report(world, ReferralStatus.IntakeCompleted));

        Assert.IsType<FeedbackOutcome.Conflict>(outcome);
        Assert.Equal(ReferralStatus.Contacted, Referral(world, meldingId).Status);
        Assert.Single(StatusChanges(world));
    }

    [Fact]
    public async Task A_repeated_delivery_after_the_status_moved_on_is_accepted_again_without_a_change()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var contacted = Report(world, ReferralStatus.Contacted);
        await ReportAsync(world, referralId, contacted, "msg_contacted");
        world.Time.Advance(TimeSpan.FromDays(2));
        await ReportAsync(world, referralId, Report(world, ReferralStatus.IntakeCompleted), "msg_intake");

        var again = await ReportAsync(world, referralId, contacted, "msg_contacted");

        Assert.Equal(new FeedbackOutcome.Accepted(referralId, ReferralStatus.Contacted), again);
        Assert.Equal(ReferralStatus.IntakeCompleted, Referral(world, meldingId).Status);
    }

    [Fact]
    public async Task A_refused_delivery_repeated_is_refused_again()
    {
        var (world, _, referralId) = await RoutedAsync();
        await ReportAsync(world, referralId, Report(world, ReferralStatus.IntakeCompleted), "msg_intake");
        var late = Report(world, ReferralStatus.Contacted);

        var first = await ReportAsync(world, referralId, late, "msg_late");
        var again = await ReportAsync(world, referralId, late, "msg_late");

        Assert.Equal(new FeedbackOutcome.InvalidTransition(ReferralStatus.IntakeCompleted), first);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task A_repeated_delivery_whose_first_run_stopped_after_the_move_is_accepted_and_the_referrer_told()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var report = Report(world, ReferralStatus.Contacted);
        world.Faults.FailAtPoint = "instroom.status:after";

        await Assert.ThrowsAsync<IOException>(() => ReportAsync(world, referralId, report));
        var again = await ReportAsync(world, referralId, report);

        Assert.Equal(new FeedbackOutcome.Accepted(referralId, ReferralStatus.Contacted), again);
        Assert.Equal(ReferralStatus.Contacted, Referral(world, meldingId).Status);
        Assert.Single(StatusChanges(world));
    }

    [Fact]
    public async Task The_referrer_of_a_signal_hears_the_status_alone()
    {
        var (world, meldingId, referralId) = await RoutedAsync();

        await ReportAsync(world, referralId, Report(world, ReferralStatus.Declined, "capacity", Note));

        var notification = Assert.Single(StatusChanges(world));
        Assert.Equal(new NotificationRecipient("partner", SchoolPartner), notification.Recipient);
        Assert.Equal(NotificationTypes.ReferralStatusChanged, notification.Notification.Type);
        var data = notification.Notification.Data;
        Assert.Equal(meldingId, data.GetProperty("meldingId").GetString());
        Assert.Equal(referralId, data.GetProperty("referralId").GetString());
        Assert.Equal(Cjg, data.GetProperty("provider").GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("provider").GetProperty("name").GetString()));
        Assert.Equal("declined", data.GetProperty("status").GetString());
        Assert.False(data.TryGetProperty("reason", out _));
        Assert.False(data.TryGetProperty("note", out _));
    }

    [Fact]
    public async Task The_referrer_of_a_full_referral_hears_the_reason_and_the_note()
    {
        var (world, _, referralId) = await RoutedAsync(fullReferral: true);

        await ReportAsync(world, referralId, Report(world, ReferralStatus.Declined, "family-refused", Note));

        var data = Assert.Single(StatusChanges(world)).Notification.Data;
        Assert.Equal("declined", data.GetProperty("status").GetString());
        Assert.Equal("family-refused", data.GetProperty("reason").GetString());
        Assert.Equal(Note, data.GetProperty("note").GetString());
    }

    [Fact]
    public async Task Each_accepted_status_is_one_notification_with_an_id_of_its_referral_and_status_and_one_audit_event_without_the_note()
    {
        var (world, meldingId, referralId) = await RoutedAsync(fullReferral: true);

        await ReportAsync(world, referralId, Report(world, ReferralStatus.Received, note: Note), "msg_1");
        world.Time.Advance(TimeSpan.FromHours(1));
        await ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted, note: Note), "msg_2");
        await ReportAsync(world, referralId, Report(world, ReferralStatus.Received, note: Note), "msg_3"); // refused: backwards

        Assert.Equal(
            [Identifiers.NotificationId(referralId, "status:received"), Identifiers.NotificationId(referralId, "status:contacted")],
            StatusChanges(world).Select(n => n.Notification.Id));
        var events = (await world.Audit.EventsAsync(meldingId, CancellationToken.None)).Where(e => e.Type == ReferralFeedback.AuditType).ToArray();
        Assert.Equal([$"status:{referralId}:received", $"status:{referralId}:contacted"], events.Select(e => e.Key));
        Assert.All(events, e => Assert.DoesNotContain("gesproken", e.Summary));
        Assert.DoesNotContain(world.Ledger.RecordedValues, v => v.Contains("gesproken"));
    }

    [Fact]
    public async Task Of_two_reports_read_at_one_version_one_wins_and_the_other_decides_again_and_still_moves_forward()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var racing = new RacingInstroom(world.Instroom)
        {
            BeforeFirstMove = () => ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted), "msg_winner"),
        };

        var loser = await ReportAsync(world, referralId, Report(world, ReferralStatus.IntakeCompleted), "msg_loser", instroom: racing);

        Assert.Equal(new FeedbackOutcome.Accepted(referralId, ReferralStatus.IntakeCompleted), loser);
        Assert.Equal(2, racing.Attempts);
        Assert.Equal(ReferralStatus.IntakeCompleted, Referral(world, meldingId).Status);
    }

    [Fact]
    public async Task Of_two_reports_read_at_one_version_the_loser_that_would_now_go_back_is_refused_naming_the_winner()
    {
        var (world, meldingId, referralId) = await RoutedAsync();
        var racing = new RacingInstroom(world.Instroom)
        {
            BeforeFirstMove = () => ReportAsync(world, referralId, Report(world, ReferralStatus.IntakeCompleted), "msg_winner"),
        };

        var loser = await ReportAsync(world, referralId, Report(world, ReferralStatus.Contacted), "msg_loser", instroom: racing);

        Assert.Equal(new FeedbackOutcome.InvalidTransition(ReferralStatus.IntakeCompleted), loser);
        Assert.Equal(ReferralStatus.IntakeCompleted, Referral(world, meldingId).Status);
        Assert.Single(StatusChanges(world));
    }

    private static void AssertNothingRecorded(RoutingWorld world, string meldingId, string provider, string webhookId)
    {
        Assert.False(world.Ledger.HasRecord(ReferralFeedback.DeliveryScope, Identifiers.StatusDeliveryId(provider, webhookId)));
        Assert.Null(Referral(world, meldingId).Status);
        Assert.Empty(StatusChanges(world));
    }

    /// <summary>The instroom, counting status moves, that can let another report in just before the first move is tried.</summary>
    private sealed class RacingInstroom(IInstroomLog inner) : IInstroomLog
    {
        public Func<Task>? BeforeFirstMove { get; init; }

        private bool _raced;

        public int Attempts { get; private set; }

        public int Moves { get; private set; }

        public async Task<bool> TryMoveStatusAsync(StoredReferral stored, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
        {
            if (BeforeFirstMove is not null && !_raced)
            {
                _raced = true;
                await BeforeFirstMove();
            }

            Attempts++;
            var moved = await inner.TryMoveStatusAsync(stored, to, at, reason, cancellationToken);
            Moves += moved ? 1 : 0;
            return moved;
        }

        public Task RecordAsync(RoutedMelding routed, CancellationToken cancellationToken) => inner.RecordAsync(routed, cancellationToken);

        public Task<StoredReferral?> FindReferralAsync(string referralId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
            inner.FindReferralAsync(referralId, receivedAt, cancellationToken);

        public Task<RoutedMelding?> FindAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
            inner.FindAsync(meldingId, receivedAt, cancellationToken);

        public Task<IReadOnlyList<RoutedMelding>> ReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
            inner.ReceivedAsync(from, until, cancellationToken);

        public Task<RoutedMelding?> RetractAsync(string meldingId, DateTimeOffset receivedAt, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.RetractAsync(meldingId, receivedAt, reason, at, cancellationToken);

        public Task RemoveAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken) => inner.RemoveAsync(meldingId, receivedAt, cancellationToken);

        public Task<MonthTally> TallyAsync(string month, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
            inner.TallyAsync(month, from, until, cancellationToken);

        public Task<IReadOnlyList<ReferralRecord>> DueAsync(DateTimeOffset receivedFrom, DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken) =>
            inner.DueAsync(receivedFrom, dueFrom, dueBefore, cancellationToken);
    }
}
