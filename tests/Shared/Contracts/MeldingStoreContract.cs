using FunctionsHub.Core;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IMeldingStore"/> must do for intake, status and audit report: first add
/// wins and every later add gets the record stored first, every field kept, found by id. Whether a
/// melding is routed and how many came in are the instroom's (<see cref="InstroomLogContract"/>).
/// The in-memory fake and the table adapter alike.
/// </summary>
public abstract class MeldingStoreContract
{
    protected abstract IMeldingStore Store { get; }

    /// <summary>A melding record with every field filled and a unique id.</summary>
    private static MeldingRecord NewRecord() => new()
    {
        MeldingId = $"mld_{Guid.NewGuid():N}",
        PartnerId = "politie-basisteam-voorbeeldstad",
        Feed = Feeds.Police,
        BodyFingerprint = "9f2c4e0d6a1b3c5e7f9a0b2c4d6e8f1a3b5c7d9e0f2a4b6c8d0e2f4a6b8c0d2e",
        ReceivedAt = new DateTimeOffset(2026, 11, 2, 8, 30, 1, 123, TimeSpan.Zero),
        ReportedAt = new DateTimeOffset(2026, 11, 2, 9, 29, 58, 500, TimeSpan.FromHours(1)),
        AgeYears = 10,
        Wijk = "west",
        Categories = ["delinquency", "weapons"],
        Urgency = Urgencies.Acute,
        AcuteReason = "risk-level-red",
        ChildPseudonym = "4b8e1f2a9c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
    };

    // Categories is a list: compare it by its items, then the rest of the record as a record.
    private static void AssertSameRecord(MeldingRecord expected, MeldingRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected with { Categories = actual.Categories }, actual);
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

        var existing = await Store.TryAddAsync(first with { BodyFingerprint = "another-body", ReceivedAt = first.ReceivedAt.AddMinutes(5) }, CancellationToken.None);

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
    public async Task A_removed_record_is_not_found_others_stay_and_removing_it_again_or_an_unknown_id_is_no_error()
    {
        var removed = NewRecord();
        var kept = NewRecord();
        await Store.TryAddAsync(removed, CancellationToken.None);
        await Store.TryAddAsync(kept, CancellationToken.None);

        await Store.RemoveAsync(removed.MeldingId, CancellationToken.None);
        await Store.RemoveAsync(removed.MeldingId, CancellationToken.None);
        await Store.RemoveAsync($"mld_{Guid.NewGuid():N}", CancellationToken.None);

        Assert.Null(await Store.FindAsync(removed.MeldingId, CancellationToken.None));
        AssertSameRecord(kept, await Store.FindAsync(kept.MeldingId, CancellationToken.None));
    }
}
