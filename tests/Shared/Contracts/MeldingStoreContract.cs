using FunctionsHub.Core;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IMeldingStore"/> must do for intake, status, audit report and digest: first
/// add wins, every field kept, the state moved by its lifecycle, meldingen counted by when they came
/// in. The in-memory fake and the table adapter alike.
/// </summary>
public abstract class MeldingStoreContract
{
    protected abstract IMeldingStore Store { get; }

    /// <summary>A melding record with every field filled and a unique id.</summary>
    private static MeldingRecord NewRecord(DateTimeOffset? receivedAt = null) => new()
    {
        MeldingId = $"mld_{Guid.NewGuid():N}",
        PartnerId = "politie-basisteam-voorbeeldstad",
        Feed = Feeds.Police,
        BodyFingerprint = "9f2c4e0d6a1b3c5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e2f4a6b8c0d2e",
        ReceivedAt = receivedAt ?? new DateTimeOffset(2026, 11, 2, 8, 30, 1, 123, TimeSpan.Zero),
        ReportedAt = new DateTimeOffset(2026, 11, 2, 9, 29, 58, 500, TimeSpan.FromHours(1)),
        AgeYears = 10,
        Wijk = "west",
        Categories = ["delinquency", "weapons"],
        Urgency = Urgencies.Acute,
        AcuteReason = "risk-level-red",
        ChildPseudonym = "4b8e1f2a9c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
        State = MeldingState.Received,
    };

    // Categories is a list: compare it by its items, then the rest of the record as a record.
    private static void AssertSameRecord(MeldingRecord expected, MeldingRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected with { Categories = actual.Categories }, actual);
    }

    // A window of its own per test (a random year), so counts on one shared table see only this test's meldingen.
    private static int NewYear() => Random.Shared.Next(2100, 9999);

    private async Task<string> StoredAsync(MeldingState state = MeldingState.Received)
    {
        var meldingId = Identifiers.MeldingId("contract-partner", $"msg_{Guid.NewGuid():N}");
        var record = new MeldingRecord
        {
            MeldingId = meldingId,
            PartnerId = "contract-partner",
            Feed = Feeds.School,
            BodyFingerprint = "fingerprint",
            ReceivedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
            ReportedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            AgeYears = 9,
            Categories = ["wellbeing"],
            Urgency = "normal",
            ChildPseudonym = new string('c', 64),
            State = state,
        };
        Assert.Null(await Store.TryAddAsync(record, CancellationToken.None));
        return meldingId;
    }

    [Fact]
    public async Task A_state_moves_forward()
    {
        var meldingId = await StoredAsync();

        Assert.Equal(MeldingState.Accepted, await Store.MoveAsync(meldingId, MeldingState.Accepted, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_late_accepted_leaves_routed_as_it_is()
    {
        var meldingId = await StoredAsync();
        await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None);

        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Accepted, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_failed_melding_replayed_by_an_operator_can_still_be_routed()
    {
        var meldingId = await StoredAsync(MeldingState.Failed);

        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None));
    }

    [Fact]
    public async Task Moving_one_melding_leaves_the_others_alone()
    {
        var one = await StoredAsync();
        var other = await StoredAsync();

        await Store.MoveAsync(one, MeldingState.Failed, CancellationToken.None);

        Assert.Equal(MeldingState.Received, (await Store.FindAsync(other, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Writers_racing_to_accept_and_to_route_end_routed()
    {
        var meldingId = await StoredAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.MoveAsync(meldingId, i % 2 == 0 ? MeldingState.Accepted : MeldingState.Routed, CancellationToken.None))));

        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task The_first_add_of_an_id_stores_the_record_with_every_field()
    {
        var record = NewRecord();

        Assert.Null(await Store.TryAddAsync(record, CancellationToken.None));

        AssertSameRecord(record, await Store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task A_record_without_wijk_acute_reason_or_categories_round_trips()
    {
        var record = NewRecord() with { Wijk = null, AcuteReason = null, Categories = [], Urgency = Urgencies.Normal };

        await Store.TryAddAsync(record, CancellationToken.None);

        AssertSameRecord(record, await Store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_add_of_the_same_id_returns_the_record_stored_first_and_changes_nothing()
    {
        var first = NewRecord();
        await Store.TryAddAsync(first, CancellationToken.None);

        var existing = await Store.TryAddAsync(first with { BodyFingerprint = "another-body", State = MeldingState.Accepted }, CancellationToken.None);

        AssertSameRecord(first, existing);
        AssertSameRecord(first, await Store.FindAsync(first.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task Of_twenty_parallel_adds_of_one_id_exactly_one_stores_the_record_and_the_rest_get_it()
    {
        var record = NewRecord();

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => Store.TryAddAsync(record with { BodyFingerprint = $"body-{i}" }, CancellationToken.None))));

        Assert.Single(results, r => r is null);
        var stored = await Store.FindAsync(record.MeldingId, CancellationToken.None);
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(stored?.BodyFingerprint, r!.BodyFingerprint));
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        Assert.Null(await Store.FindAsync($"mld_{Guid.NewGuid():N}", CancellationToken.None));
    }

    [Fact]
    public async Task Moving_the_state_changes_only_the_state()
    {
        var record = NewRecord();
        await Store.TryAddAsync(record, CancellationToken.None);

        await Store.MoveAsync(record.MeldingId, MeldingState.Routed, CancellationToken.None);

        AssertSameRecord(record with { State = MeldingState.Routed }, await Store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_includes_from_and_excludes_until()
    {
        var year = NewYear();
        var from = new DateTimeOffset(year, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(year, 11, 30, 23, 0, 0, TimeSpan.Zero);
        foreach (var at in new[] { from.AddSeconds(-1), from, from.AddDays(15), until.AddSeconds(-1), until, until.AddDays(1) })
        {
            await Store.TryAddAsync(NewRecord(at), CancellationToken.None);
        }

        Assert.Equal(3, await Store.CountReceivedAsync(from, until, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_a_digest_month_uses_its_local_bounds_whatever_their_offset()
    {
        var year = NewYear();
        var november = DigestMonth.Parse($"{year}-11", GemeenteCalendar.Of("Europe/Amsterdam"));
        Assert.Equal(TimeSpan.FromHours(1), november.From.Offset);
        await Store.TryAddAsync(NewRecord(new DateTimeOffset(year, 10, 31, 22, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await Store.TryAddAsync(NewRecord(new DateTimeOffset(year, 10, 31, 23, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await Store.TryAddAsync(NewRecord(new DateTimeOffset(year, 11, 30, 22, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await Store.TryAddAsync(NewRecord(new DateTimeOffset(year, 11, 30, 23, 30, 0, TimeSpan.Zero)), CancellationToken.None);

        Assert.Equal(2, await Store.CountReceivedAsync(november.From, november.Until, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_a_window_without_meldingen_gives_zero()
    {
        var from = new DateTimeOffset(NewYear(), 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(0, await Store.CountReceivedAsync(from, from.AddDays(1), CancellationToken.None));
    }
}
