using System.Text;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Core.Tests.Intake;

public sealed class MeldingIntakeTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly InMemoryMeldingStore _store = new();
    private readonly RecordingIntakeQueue _queue = new();
    private readonly ChildPseudonym _pseudonym = new(Key);
    private readonly Zorgmelding _melding = TestMeldingen.School();
    private readonly ReadOnlyMemory<byte> _body = Encoding.UTF8.GetBytes(FeedBodies.School);
    private readonly FakeTimeProvider _time;

    public MeldingIntakeTests()
    {
        _time = new FakeTimeProvider(_melding.ReceivedAt.AddSeconds(1));
    }

    private MeldingIntake Intake() => new(_store, _queue, _pseudonym, _time);

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
    public async Task An_accepted_delivery_is_stored_in_state_accepted()
    {
        await AcceptAsync();

        var record = await _store.FindAsync(_melding.MeldingId, CancellationToken.None);
        Assert.Equal(MeldingState.Accepted, record?.State);
    }

    [Fact]
    public async Task Routing_that_finishes_before_intake_marks_accepted_stays_routed()
    {
        var routesAtOnce = new RoutesWhenEnqueued(_store);

        await new MeldingIntake(_store, routesAtOnce, _pseudonym, _time).AcceptAsync(_melding, _body, CancellationToken.None);

        Assert.Equal(MeldingState.Routed, (await _store.FindAsync(_melding.MeldingId, CancellationToken.None))?.State);
    }

    /// <summary>An intake queue whose consumer routes the melding before the enqueue call has even returned.</summary>
    private sealed class RoutesWhenEnqueued(InMemoryMeldingStore store) : IIntakeQueue
    {
        public Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken) =>
            store.MoveAsync(melding.MeldingId, MeldingState.Routed, cancellationToken);
    }

    [Fact]
    public async Task The_same_body_again_answers_the_same_melding_id_without_enqueueing_again()
    {
        await AcceptAsync();

        var again = await AcceptAsync();

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), again);
        Assert.Single(_queue.Sent);
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
    public async Task A_record_stuck_in_received_past_the_grace_period_is_enqueued_again()
    {
        _store.Seed(StoredFirstDelivery());
        _time.SetUtcNow(_melding.ReceivedAt + MeldingIntake.ConcurrentDeliveryGrace + TimeSpan.FromSeconds(1));

        var outcome = await AcceptAsync();

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), outcome);
        Assert.Equal([_melding], _queue.Sent);
        Assert.Equal(MeldingState.Accepted, (await _store.FindAsync(_melding.MeldingId, CancellationToken.None))?.State);
    }

    [Fact]
    public async Task A_concurrent_delivery_waits_for_the_first_and_does_not_enqueue_again()
    {
        _store.Seed(StoredFirstDelivery());
        var second = AcceptAsync();
        Assert.False(second.IsCompleted);

        await _store.MoveAsync(_melding.MeldingId, MeldingState.Accepted, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task A_concurrent_delivery_enqueues_in_place_of_a_first_that_stalls_past_the_grace_period()
    {
        _store.Seed(StoredFirstDelivery());
        var second = AcceptAsync();
        Assert.False(second.IsCompleted);

        _time.Advance(MeldingIntake.ConcurrentDeliveryGrace);

        Assert.Equal(new IntakeOutcome.Accepted(_melding.MeldingId), await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([_melding], _queue.Sent);
    }

    [Fact]
    public async Task A_retry_after_the_queue_failed_puts_the_melding_on_the_queue()
    {
        _queue.FailuresToCome = 1;
        await Assert.ThrowsAsync<IOException>(() => AcceptAsync());
        Assert.Equal(MeldingState.Received, (await _store.FindAsync(_melding.MeldingId, CancellationToken.None))?.State);
        _time.Advance(TimeSpan.FromMinutes(1));

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
}
