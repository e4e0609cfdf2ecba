using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IAuditTrail"/> must do for routing, withdrawal notices and the audit report:
/// one decision per melding, first stored wins; events once per key, read in the order they happened.
/// The in-memory fake and the table adapter alike.
/// </summary>
public abstract class AuditTrailContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, 250, TimeSpan.FromHours(1));

    protected abstract IAuditTrail Audit { get; }

    // A melding of its own per test, so the contract can run on one shared table.
    private static string NewMelding() => $"mld_{Guid.NewGuid():N}";

    private static RoutingDecision Decision() =>
        new([new ProviderDecision("basta", "referral", "parental-consent", ["police-offence"], "cns_1")], ["police-offence"], null, [], At);

    // A decision holds lists: compare what would be stored and shown, its JSON.
    private static string Json(RoutingDecision? decision) => decision is null ? "null" : JsonSerializer.Serialize(decision, HubJson.Default.RoutingDecision);

    [Fact]
    public async Task The_first_decision_stored_is_the_one_every_later_add_returns()
    {
        var meldingId = NewMelding();
        var first = Decision();
        var second = first with { Providers = [new ProviderDecision("basta", "signal", "none", ["police-offence"])], DecidedAt = At.AddMinutes(1) };

        var stored = await Audit.AddDecisionAsync(meldingId, first, CancellationToken.None);
        var again = await Audit.AddDecisionAsync(meldingId, second, CancellationToken.None);

        Assert.Equal(Json(first), Json(stored));
        Assert.Equal(Json(first), Json(again));
        Assert.Equal(Json(first), Json((await Audit.ReadAsync(meldingId, CancellationToken.None)).Decision));
    }

    [Fact]
    public async Task Of_many_decisions_added_at_the_same_moment_all_get_the_same_one()
    {
        var meldingId = NewMelding();

        var stored = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Audit.AddDecisionAsync(meldingId, Decision() with { DecidedAt = At.AddSeconds(i) }, CancellationToken.None))));

        Assert.Single(stored.Select(Json).Distinct());
        Assert.Equal(Json(stored[0]), Json((await Audit.ReadAsync(meldingId, CancellationToken.None)).Decision));
    }

    [Fact]
    public async Task An_event_round_trips_every_field()
    {
        var meldingId = NewMelding();
        var auditEvent = new AuditEvent("match-notified:mld_0", "match.found", At, "sent to obs-de-regenboog");

        await Audit.AddEventAsync(meldingId, auditEvent, CancellationToken.None);

        var record = await Audit.ReadAsync(meldingId, CancellationToken.None);
        Assert.Equal(auditEvent, Assert.Single(record.Events));
        Assert.True(record.Has("match-notified:mld_0"));
        Assert.Null(record.Decision);
    }

    [Fact]
    public async Task An_event_recorded_again_under_its_key_is_overwritten_not_doubled()
    {
        var meldingId = NewMelding();
        await Audit.AddEventAsync(meldingId, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);
        var retried = new AuditEvent("match-notified:mld_0", "match.found", At.AddSeconds(30), "sent again");

        await Audit.AddEventAsync(meldingId, retried, CancellationToken.None);

        Assert.Equal(retried, Assert.Single((await Audit.ReadAsync(meldingId, CancellationToken.None)).Events));
    }

    [Fact]
    public async Task Events_are_read_in_the_order_they_happened_whatever_their_keys_or_order_of_adding()
    {
        var meldingId = NewMelding();
        await Audit.AddEventAsync(meldingId, new AuditEvent("a-third", "t", At.AddMinutes(2), "3"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("c-first", "t", At, "1"), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("b-second", "t", At.AddMinutes(1), "2"), CancellationToken.None);

        var events = (await Audit.ReadAsync(meldingId, CancellationToken.None)).Events;

        Assert.Equal(["c-first", "b-second", "a-third"], events.Select(e => e.Key));
    }

    [Fact]
    public async Task The_decision_and_events_are_kept_per_melding()
    {
        var meldingId = NewMelding();
        var other = NewMelding();
        await Audit.AddDecisionAsync(meldingId, Decision(), CancellationToken.None);
        await Audit.AddEventAsync(meldingId, new AuditEvent("content-withheld:basta", "content-withheld", At, "basta"), CancellationToken.None);
        await Audit.AddEventAsync(other, new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);

        var record = await Audit.ReadAsync(meldingId, CancellationToken.None);
        var otherRecord = await Audit.ReadAsync(other, CancellationToken.None);

        Assert.Equal(["content-withheld:basta"], record.Events.Select(e => e.Key));
        Assert.Equal(["match-notified:mld_0"], otherRecord.Events.Select(e => e.Key));
        Assert.Null(otherRecord.Decision);
    }

    [Fact]
    public async Task A_melding_without_audit_reads_as_empty()
    {
        var record = await Audit.ReadAsync(NewMelding(), CancellationToken.None);

        Assert.Null(record.Decision);
        Assert.Empty(record.Events);
    }
}
