using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Adapters.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableMeldingStoreTests(AzuriteFixture azurite)
{
    private readonly TableMeldingStore _store = new(azurite.Tables());

    private static void AssertSameRecord(MeldingRecord expected, MeldingRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Categories, actual.Categories);
        Assert.Equal(expected with { Categories = actual.Categories }, actual);
    }

    [Fact]
    public async Task The_first_add_of_an_id_stores_the_record()
    {
        var record = Records.Melding();

        Assert.Null(await _store.TryAddAsync(record, CancellationToken.None));
        Assert.NotNull(await _store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task A_second_add_of_the_same_id_returns_the_record_stored_first()
    {
        var first = Records.Melding();
        await _store.TryAddAsync(first, CancellationToken.None);

        var existing = await _store.TryAddAsync(first with { BodyFingerprint = "another-body", State = MeldingState.Accepted }, CancellationToken.None);

        AssertSameRecord(first, existing);
    }

    [Fact]
    public async Task A_record_round_trips_every_field()
    {
        var record = Records.Melding();
        await _store.TryAddAsync(record, CancellationToken.None);

        AssertSameRecord(record, await _store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task A_record_without_wijk_acute_reason_or_categories_round_trips()
    {
        var record = Records.Melding() with { Wijk = null, AcuteReason = null, Categories = [], Urgency = Urgencies.Normal };
        await _store.TryAddAsync(record, CancellationToken.None);

        AssertSameRecord(record, await _store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        Assert.Null(await _store.FindAsync("mld_unknown", CancellationToken.None));
    }

    [Fact]
    public async Task Moving_the_state_changes_only_the_state()
    {
        var record = Records.Melding();
        await _store.TryAddAsync(record, CancellationToken.None);

        await _store.MoveAsync(record.MeldingId, MeldingState.Routed, CancellationToken.None);

        AssertSameRecord(record with { State = MeldingState.Routed }, await _store.FindAsync(record.MeldingId, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_includes_from_and_excludes_until()
    {
        var from = new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);
        foreach (var at in new[] { from.AddSeconds(-1), from, from.AddDays(15), until.AddSeconds(-1), until, until.AddDays(1) })
        {
            await _store.TryAddAsync(Records.Melding(at), CancellationToken.None);
        }

        Assert.Equal(3, await _store.CountReceivedAsync(from, until, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_a_digest_month_uses_its_local_bounds_whatever_their_offset()
    {
        var november = DigestMonth.Parse("2026-11", GemeenteCalendar.Of("Europe/Amsterdam"));
        Assert.Equal(TimeSpan.FromHours(1), november.From.Offset);
        await _store.TryAddAsync(Records.Melding(new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await _store.TryAddAsync(Records.Melding(new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await _store.TryAddAsync(Records.Melding(new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero)), CancellationToken.None);
        await _store.TryAddAsync(Records.Melding(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero)), CancellationToken.None);

        Assert.Equal(2, await _store.CountReceivedAsync(november.From, november.Until, CancellationToken.None));
    }

    [Fact]
    public async Task Counting_an_empty_table_gives_zero()
    {
        Assert.Equal(0, await _store.CountReceivedAsync(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None));
    }

    [Fact]
    public async Task Of_twenty_parallel_adds_of_one_id_exactly_one_stores_the_record()
    {
        var record = Records.Melding();
        var attempts = Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => _store.TryAddAsync(record with { BodyFingerprint = $"body-{i}" }, CancellationToken.None)))
            .ToArray();

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r is null);
        var stored = await _store.FindAsync(record.MeldingId, CancellationToken.None);
        Assert.All(results.Where(r => r is not null), r => Assert.Equal(stored?.BodyFingerprint, r!.BodyFingerprint));
    }
}
