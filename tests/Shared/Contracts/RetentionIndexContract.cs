using FunctionsHub.Core;
using FunctionsHub.Core.DataRetention;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IRetentionIndex"/> must do for intake and the retention purge: an entry per
/// month and melding (noted again: overwritten), the months up to one read together, oldest first and
/// none after it, and an entry removed for good however often. The in-memory fake and the table
/// adapter alike.
/// </summary>
public abstract class RetentionIndexContract
{
    protected abstract IRetentionIndex Index { get; }

    // A year of its own per test, and only this test's entries looked at, so tests sharing one table
    // never see each other's months.
    private static int NewYear() => Random.Shared.Next(2200, 9000);

    private static RetentionEntry Entry(int year, int month, string? meldingId = null)
    {
        var reportedAt = new DateTimeOffset(year, month, 12, 9, 30, 0, 250, TimeSpan.FromHours(1));
        return new RetentionEntry(
            $"{year:D4}-{month:D2}",
            meldingId ?? $"mld_{Guid.NewGuid():N}",
            Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            reportedAt,
            reportedAt.AddDays(2).AddMilliseconds(125),
            "obs-de-regenboog",
            Feeds.School);
    }

    private async Task NoteAsync(params RetentionEntry[] entries)
    {
        foreach (var entry in entries)
        {
            await Index.NoteAsync(entry, CancellationToken.None);
        }
    }

    /// <summary>The entries through <paramref name="lastMonth"/>, of those noted by the test only, in the order read.</summary>
    private async Task<RetentionEntry[]> ThroughAsync(string lastMonth, IEnumerable<RetentionEntry> ours)
    {
        var ids = ours.Select(e => e.MeldingId).ToHashSet(StringComparer.Ordinal);
        return (await Index.ThroughAsync(lastMonth, CancellationToken.None)).Where(e => ids.Contains(e.MeldingId)).ToArray();
    }

    [Fact]
    public async Task A_noted_entry_is_read_back_under_its_month_with_every_field()
    {
        var entry = Entry(NewYear(), 11);
        await NoteAsync(entry);

        var read = Assert.Single(await ThroughAsync(entry.Month, [entry]));

        Assert.Equal(entry, read);
    }

    [Fact]
    public async Task An_entry_noted_again_under_its_month_and_id_is_overwritten_not_doubled()
    {
        var entry = Entry(NewYear(), 3);
        await NoteAsync(entry);
        var again = entry with { ReceivedAt = entry.ReceivedAt.AddDays(1), PartnerId = "politie-basisteam-voorbeeldstad", Feed = Feeds.Police };

        await NoteAsync(again);

        Assert.Equal(again, Assert.Single(await ThroughAsync(entry.Month, [entry])));
    }

    [Fact]
    public async Task Through_a_month_reads_it_and_every_month_before_it_oldest_month_first_then_by_melding_and_none_after_it()
    {
        var year = NewYear();
        var lastYear = Entry(year - 1, 12);
        var january = Entry(year, 1);
        var marchB = Entry(year, 3, $"mld_b{Guid.NewGuid():N}");
        var marchA = Entry(year, 3, $"mld_a{Guid.NewGuid():N}");
        var april = Entry(year, 4);
        var nextYear = Entry(year + 1, 1);
        RetentionEntry[] all = [april, marchB, nextYear, january, marchA, lastYear];
        await NoteAsync(all);

        var through = await ThroughAsync($"{year:D4}-03", all);

        Assert.Equal([lastYear, january, marchA, marchB], through);
        Assert.Equal([lastYear, january], await ThroughAsync($"{year:D4}-02", all));
        Assert.Empty(await ThroughAsync($"{year - 1:D4}-11", all));
    }

    [Fact]
    public async Task A_melding_noted_under_two_months_is_two_entries_and_removing_one_keeps_the_other()
    {
        // As intake puts a repeated delivery's entry right: the stored melding's month noted, the other removed.
        var year = NewYear();
        var noted = Entry(year, 5);
        var stored = Entry(year, 4, noted.MeldingId);
        await NoteAsync(noted, stored);
        Assert.Equal([stored, noted], await ThroughAsync($"{year:D4}-05", [noted]));

        await Index.RemoveAsync(noted, CancellationToken.None);

        Assert.Equal([stored], await ThroughAsync($"{year:D4}-12", [noted]));
    }

    [Fact]
    public async Task A_removed_entry_is_read_no_more_and_removing_it_again_or_one_never_noted_is_no_error()
    {
        var year = NewYear();
        var removed = Entry(year, 6);
        var kept = Entry(year, 6);
        await NoteAsync(removed, kept);

        await Index.RemoveAsync(removed, CancellationToken.None);
        await Index.RemoveAsync(removed, CancellationToken.None);
        await Index.RemoveAsync(Entry(year, 7), CancellationToken.None);

        Assert.Equal([kept], await ThroughAsync($"{year:D4}-06", [removed, kept]));
    }
}
