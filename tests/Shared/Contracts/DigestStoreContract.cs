using System.Text.Json;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Testing.Contracts;

/// <summary>What every <see cref="IDigestStore"/> must do for the monthly instroom digest: the in-memory fake and the table adapter alike.</summary>
public abstract class DigestStoreContract
{
    private static readonly DateTimeOffset CompiledAt = new(2026, 12, 1, 1, 0, 0, 250, TimeSpan.FromHours(1));

    // Months of a year of its own per test, so the contract can run on one shared table.
    private readonly int _year = Random.Shared.Next(2100, 9999);

    protected abstract IDigestStore Store { get; }

    private string Month(int month) => $"{_year}-{month:00}";

    /// <summary>A digest with every kind of figure; <paramref name="partners"/> rows make it as large as wanted (3,000 is over 100,000 characters of JSON).</summary>
    private static InstroomDigest Digest(string month, int meldingen, DateTimeOffset compiledAt, int partners = 3) => new(
        month,
        compiledAt,
        meldingen,
        meldingen * 2,
        [
            new CountTable(DigestTableIds.MeldingenByFeed, "Meldingen per feed", "Feed", ["Meldingen"],
                [new CountRow("school", "School", [meldingen]), new CountRow("police", "Politie", [0]), new CountRow("welfare", "Welzijn", [0])]),
            new CountTable(DigestTableIds.MeldingenByPartner, "Meldingen per partner", "Partner", ["Meldingen"],
                Enumerable.Range(0, partners).Select(i => new CountRow($"partner-{i:0000}", $"Basisschool nummer {i}", [i % 7])).ToArray()),
            new CountTable(DigestTableIds.AcuteByFeed, "Acute meldingen per feed", "Feed", ["Acuut", "Niet acuut"],
                [new CountRow("school", "School", [1, meldingen - 1])]),
        ],
        [
            new ExpectedInstroom("cjg", "CJG / wijkteam", 12, 40, InstroomFlags.Below, 100, 120, InstroomFlags.Within),
            new ExpectedInstroom("pit", "PIT", 3, null, InstroomFlags.NoExpectation, 9, null, InstroomFlags.NoExpectation),
        ],
        [new ContactTime("cjg", "CJG / wijkteam", 7, 30.5), new ContactTime("pit", "PIT", 0, null)],
        Enumerable.Range(0, 12).Select(i => $"2026-{i + 1:00}").ToArray());

    private static string Json(InstroomDigest? digest) =>
        digest is null ? "null" : JsonSerializer.Serialize(digest, HubJson.Default.InstroomDigest);

    [Fact]
    public async Task A_saved_digest_is_found_by_its_month_with_every_figure()
    {
        var digest = Digest(Month(11), 37, CompiledAt);

        await Store.SaveAsync(digest, CancellationToken.None);

        Assert.Equal(Json(digest), Json(await Store.FindAsync(Month(11), CancellationToken.None)));
    }

    [Fact]
    public async Task A_digest_larger_than_a_table_property_holds_round_trips()
    {
        var digest = Digest(Month(3), 5000, CompiledAt, partners: 3000);
        Assert.True(Json(digest).Length > 100_000);

        await Store.SaveAsync(digest, CancellationToken.None);

        Assert.Equal(Json(digest), Json(await Store.FindAsync(Month(3), CancellationToken.None)));
    }

    [Fact]
    public async Task A_month_never_compiled_is_not_found()
    {
        await Store.SaveAsync(Digest(Month(11), 37, CompiledAt), CancellationToken.None);

        Assert.Null(await Store.FindAsync(Month(10), CancellationToken.None));
    }

    [Fact]
    public async Task Saving_a_month_again_replaces_it_also_when_it_shrinks()
    {
        await Store.SaveAsync(Digest(Month(11), 37, CompiledAt, partners: 3000), CancellationToken.None);
        var recompiled = Digest(Month(11), 39, CompiledAt.AddDays(2));

        await Store.SaveAsync(recompiled, CancellationToken.None);

        Assert.Equal(Json(recompiled), Json(await Store.FindAsync(Month(11), CancellationToken.None)));
    }

    [Fact]
    public async Task A_month_with_no_meldingen_is_stored_as_zero()
    {
        await Store.SaveAsync(Digest(Month(1), 0, CompiledAt), CancellationToken.None);

        Assert.Equal(0, (await Store.FindAsync(Month(1), CancellationToken.None))?.MeldingCount);
    }

    [Fact]
    public async Task The_stored_months_are_listed_newest_first_with_when_they_were_compiled()
    {
        await Store.SaveAsync(Digest(Month(2), 3, CompiledAt), CancellationToken.None);
        await Store.SaveAsync(Digest(Month(12), 5, CompiledAt.AddDays(30)), CancellationToken.None);
        await Store.SaveAsync(Digest(Month(7), 4, CompiledAt.AddDays(10)), CancellationToken.None);

        var listed = (await Store.ListAsync(CancellationToken.None)).Where(d => d.Month.StartsWith($"{_year}-", StringComparison.Ordinal));

        Assert.Equal(
            [new StoredDigest(Month(12), CompiledAt.AddDays(30)), new StoredDigest(Month(7), CompiledAt.AddDays(10)), new StoredDigest(Month(2), CompiledAt)],
            listed);
    }
}
