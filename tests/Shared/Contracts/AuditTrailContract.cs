using FunctionsHub.Core.Audit;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IAuditTrail"/> must do for routing, withdrawal notices and the audit report:
/// events once per key (a retry overwrites, never doubles), every field kept, read per melding in the
/// order they happened. The decision is the child file's (<see cref="ChildFilesContract"/>). The
/// in-memory fake and the table adapter alike.
/// </summary>
public abstract class AuditTrailContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, 250, TimeSpan.FromHours(1));

    protected abstract IAuditTrail Audit { get; }

    // A melding of its own per test, so the contract can run on one shared table.
    private static string NewMelding() => $"mld_{Guid.NewGuid():N}";

    private Task<IReadOnlyList<AuditEvent>> EventsAsync(string meldingId) => Audit.EventsAsync(meldingId, CancellationToken.None);

    [Fact]
    public async Task An_event_round_trips_every_field()
    {
        var meldingId = NewMelding();
        var auditEvent = new AuditEvent("match-notified:mld_0", "match.found", At, "sent to obs-de-regenboog");

        await Audit.AddEventAsync(meldingId, auditEvent, CancellationToken.None);

        Assert.Equal(auditEvent, Assert.Single(await EventsAsync(meldingId)));
    }

    [Fact]
    public async Task An_event_recorded_again_under_its_key_is_overwritten_not_doubled()
    {
        var meldingId = NewMelding();
        await Audit.AddEventAsync(meldingId, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);
        var retried = new AuditEvent("match-notified:mld_0", "match.found", At.AddSeconds(30), "sent again");

        await Audit.AddEventAsync(meldingId, retried, CancellationToken.None);

        Assert.Equal(retried, Assert.Single(await EventsAsync(meldingId)));
    }

    [Fact]
    public async Task Events_are_read_in_the_order_they_happened_whatever_their_keys_or_order_of_adding()
    {
        var meldingId = NewMelding();
        await Audit.AddEventAsync(meldingId, new AuditEvent("a-third", "t", At.AddMinutes(2), "3"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("c-first", "t", At, "1"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("b-second", "t", At.AddMinutes(1), "2"), CancellationToken.None);

        var events = await EventsAsync(meldingId);

        Assert.Equal(["c-first", "b-second", "a-third"], events.Select(e => e.Key));
    }

    [Fact]
    public async Task Events_are_kept_per_melding()
    {
        var meldingId = NewMelding();
        var other = NewMelding();
        await Audit.AddEventAsync(meldingId, new AuditEvent("content-withheld:basta", "content-withheld", At, "basta"), CancellationToken.None);
        await Audit.AddEventAsync(other, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);

        Assert.Equal(["content-withheld:basta"], (await EventsAsync(meldingId)).Select(e => e.Key));
        Assert.Equal(["match-notified:mld_0"], (await EventsAsync(other)).Select(e => e.Key));
    }

    [Fact]
    public async Task A_tombstone_is_all_that_is_left_of_a_meldings_events_the_others_trails_stay_and_a_repeat_changes_nothing()
    {
        var meldingId = NewMelding();
        var other = NewMelding();
        var kept = new AuditEvent("match-notified:mld_0", "match.found", At, "sent");
        await Audit.AddEventAsync(meldingId, new AuditEvent("routed", "routed", At, "to basta"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("content-withheld:basta", "content-withheld", At.AddMinutes(1), "basta"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("purged", "routed", At.AddMinutes(2), "an earlier event under the tombstone's key"), CancellationToken.None);
        await Audit.AddEventAsync(other, kept, CancellationToken.None);
        var tombstone = new AuditEvent("purged", "purged", At.AddYears(2), "purged on 2028-11-02: melding of 2026-11, feed school");

        await Audit.TombstoneAsync(meldingId, tombstone, CancellationToken.None);

        Assert.Equal(tombstone, Assert.Single(await EventsAsync(meldingId)));
        Assert.Equal(kept, Assert.Single(await EventsAsync(other)));

        await Audit.TombstoneAsync(meldingId, tombstone, CancellationToken.None);

        Assert.Equal(tombstone, Assert.Single(await EventsAsync(meldingId)));
    }

    [Fact]
    public async Task A_tombstone_of_a_melding_without_events_is_its_one_event()
    {
        var meldingId = NewMelding();
        var tombstone = new AuditEvent("purged", "purged", At, "purged");

        await Audit.TombstoneAsync(meldingId, tombstone, CancellationToken.None);

        Assert.Equal(tombstone, Assert.Single(await EventsAsync(meldingId)));
    }

    [Fact]
    public async Task A_melding_without_events_reads_as_empty()
    {
        Assert.Empty(await EventsAsync(NewMelding()));
    }
}
