using System.Text;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;

namespace FunctionsHub.Core.Tests.Intake;

public sealed class MeldingIntakeTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly InMemoryMeldingStore _store = new();
    private readonly RecordingIntakeQueue _queue = new();
    private readonly ChildPseudonym _pseudonym = new(Key);
    private readonly Zorgmelding _melding = TestMeldingen.School();
    private readonly ReadOnlyMemory<byte> _body = Encoding.UTF8.GetBytes(FeedBodies.School);
    private readonly FaultyInstroomLog _instroom = new(new FaultPlan());

    private readonly InMemoryRetentionIndex _retention = new();

    private MeldingIntake Intake() => new(_store, _queue, _instroom, _retention, new FixedHubDocument(TestHub.Demo()), _pseudonym);

    private MeldingRecord StoredFirstDelivery() => MeldingRecord.From(_melding, _pseudonym.Fingerprint(_body.Span), _pseudonym.Of(_melding.Child.Bsn));

    private Task<IntakeOutcome> AcceptAsync(ReadOnlyMemory<byte>? body = null) => Intake().AcceptAsync(_melding, body ?? _body, CancellationToken.None);

    [Fact]
    public async Task A_first_delivery_is_accepted_and_put_on_the_intake_queue_once()
    {
        var outcome = await AcceptAsync();

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), outcome);
        Assert.Equal([_melding], _queue.Sent);
    }

    [Fact]
    public async Task The_same_webhook_id_with_another_body_is_a_conflict()
    {
        await AcceptAsync();

        var other = await AcceptAsync(Encoding.UTF8.GetBytes(FeedBodies.School.Replace("group\": 6", "group\": 7")));

        Assert.Equal(new IntakeOutcome.Conflict(_melding.MeldingId), other);
        Assert.Single(_queue.Sent);
    }

    [Fact]
    public async Task A_conflicting_body_does_not_change_the_stored_record()
    {
        await AcceptAsync();
        var before = await _store.FindAsync(_melding.MeldingId, CancellationToken.None);

        await AcceptAsync(Encoding.UTF8.GetBytes("{}"));

        Assert.Same(before, await _store.FindAsync(_melding.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_body_again_before_the_melding_is_routed_puts_it_on_the_queue_again_as_first_received()
    {
        // The first delivery stored the melding and may have died before enqueueing it: routing the
        // melding twice sends each referral once, losing it would not be undone.
        _store.Seed(StoredFirstDelivery());
        var later = _melding with { ReceivedAt = _melding.ReceivedAt.AddMinutes(3) };

        var outcome = await Intake().AcceptAsync(later, _body, CancellationToken.None);

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), outcome);
        Assert.Equal([_melding], _queue.Sent);
    }

    [Fact]
    public async Task The_same_body_again_once_the_melding_is_routed_is_not_put_on_the_queue_again()
    {
        _store.Seed(StoredFirstDelivery());
        await _instroom.RecordAsync(new FunctionsHub.Core.Instroom.RoutedMelding(_melding.MeldingId, _melding.PartnerId, _melding.Feed, _melding.ReceivedAt,
            "2026-11", _melding.AgeYears, _melding.Wijk, _melding.Categories, _melding.Urgency, null, Matched: false, _melding.ReceivedAt.AddSeconds(2), []), CancellationToken.None);

        var outcome = await AcceptAsync();

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), outcome);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task A_retry_after_the_queue_failed_puts_the_melding_on_the_queue()
    {
        _queue.FailuresToCome = 1;
        await Assert.ThrowsAsync<IOException>(() => AcceptAsync());
        Assert.Empty(_queue.Sent);

        var retry = await AcceptAsync();

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), retry);
        Assert.Single(_queue.Sent);
    }

    [Fact]
    public async Task The_stored_record_names_the_child_by_pseudonym()
    {
        await AcceptAsync();

        var record = Assert.Single(_store.Records);
        Assert.Equal(_pseudonym.Of(TestMeldingen.Bsn), record.ChildPseudonym);
    }

    [Fact]
    public async Task The_stored_record_holds_no_bsn_name_birth_date_or_description()
    {
        await AcceptAsync();

        var stored = Assert.Single(_store.Records);
        var text = stored + string.Join(",", stored.Categories);
        Assert.DoesNotContain(TestMeldingen.Bsn, text);
        Assert.DoesNotContain("Sam", text);
        Assert.DoesNotContain("Voorbeeld", text);
        Assert.DoesNotContain("2016", text);
        Assert.DoesNotContain("terug in de klas", text);
    }

    [Fact]
    public async Task The_stored_record_keeps_what_the_digest_and_audit_need()
    {
        await AcceptAsync();

        var record = Assert.Single(_store.Records);
        Assert.Equal((TestHub.SchoolPartner, Feeds.School, 10, "noord", Urgencies.Normal), (record.PartnerId, record.Feed, record.AgeYears, record.Wijk, record.Urgency));
        Assert.Equal(_melding.ReceivedAt, record.ReceivedAt);
        Assert.Equal(["wellbeing"], record.Categories);
    }

    [Fact]
    public async Task The_melding_is_noted_for_retention_under_the_month_it_was_reported_in_before_it_is_stored()
    {
        await AcceptAsync();

        var entry = Assert.Single(_retention.Entries);
        Assert.Equal(RetentionEntry.Of(StoredFirstDelivery(), TestHub.Demo().Gemeente.Calendar()), entry);
        Assert.Equal("2026-11", entry.Month);
    }

    [Fact]
    public async Task A_repeat_or_a_conflicting_delivery_leaves_the_first_deliverys_retention_entry()
    {
        await AcceptAsync();
        var first = Assert.Single(_retention.Entries);

        // A repeat comes in later; a conflicting body names another month (reported in October).
        await Intake().AcceptAsync(_melding with { ReceivedAt = _melding.ReceivedAt.AddMinutes(5) }, _body, CancellationToken.None);
        var conflicting = _melding with { ReportedAt = _melding.ReportedAt.AddDays(-20) };
        var outcome = await Intake().AcceptAsync(conflicting, Encoding.UTF8.GetBytes(FeedBodies.School.Replace("group\": 6", "group\": 7")), CancellationToken.None);

        Assert.IsType<IntakeOutcome.Conflict>(outcome);
        Assert.Equal(first, Assert.Single(_retention.Entries));
    }
}
