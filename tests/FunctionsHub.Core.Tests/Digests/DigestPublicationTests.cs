using FunctionsHub.Core.Digests;

namespace FunctionsHub.Core.Tests.Digests;

/// <summary>The compiled digest as the gemeente reads it: every count through small-cell protection, the out-of-line instroom in words.</summary>
public sealed class DigestPublicationTests
{
    private static readonly DateTimeOffset CompiledAt = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    private static InstroomDigest Digest(params ExpectedInstroom[] expected) => new(
        "2026-10",
        CompiledAt,
        40,
        41,
        [
            new CountTable(DigestTableIds.MeldingenByFeed, "Meldingen per feed", "Feed", ["Meldingen"],
                [new CountRow("school", "School", [30]), new CountRow("police", "Politie", [7]), new CountRow("welfare", "Welzijn", [3])]),
            new CountTable(DigestTableIds.ReferralsByProviderKind, "Verwijzingen", "Aanbieder", ["Verwijzing", "Zorgsignaal"],
                [new CountRow("cjg", "CJG", [20, 10]), new CountRow("basta", "BASTA!", [2, 0]), new CountRow("pit", "PIT", [6, 3])]),
            new CountTable(DigestTableIds.TrendReferralsByProvider, "Verwijzingen per maand", "Aanbieder", ["2026-09", "2026-10"],
                [new CountRow("cjg", "CJG", [28, 30]), new CountRow("basta", "BASTA!", [7, 2])]),
        ],
        expected,
        [],
        ["2026-09", "2026-10"]);

    [Fact]
    public void A_provider_below_half_its_expectation_is_a_flag_in_words_with_its_small_count_as_less_than_five()
    {
        var published = DigestPublication.Publish(
            Digest(new ExpectedInstroom("basta", "BASTA!", 2, 6, InstroomFlags.Below, 9, 18, InstroomFlags.Below),
                   new ExpectedInstroom("cjg", "CJG", 30, 30, InstroomFlags.Within, 90, 90, InstroomFlags.Within),
                   new ExpectedInstroom("pit", "PIT", 9, null, InstroomFlags.NoExpectation, 20, null, InstroomFlags.NoExpectation)),
            "Voorbeeldstad");

        var flag = Assert.Single(published.Flags);
        Assert.Equal("BASTA!: <5 referrals, expected 6: below 50 %, and over the last 3 months too", flag.Text);
    }

    [Fact]
    public void Every_table_is_protected_and_the_provider_trend_is_the_chart()
    {
        var published = DigestPublication.Publish(Digest(), "Voorbeeldstad");

        Assert.Equal([DigestTableIds.MeldingenByFeed, DigestTableIds.ReferralsByProviderKind], published.Tables.Select(t => t.Id));
        Assert.DoesNotContain(published.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells.Append(r.Total)), c => c.Count is >= 1 and <= 4);
        Assert.Equal("<5", published.Tables[0].Rows.Single(r => r.Key == "welfare").Cells[0].Text);
        Assert.NotNull(published.Trend);
        Assert.Equal(["2026-09", "2026-10"], published.Trend.Months);
        Assert.Equal("<5", published.Trend.Series.Single(s => s.Key == "basta").Values[1].Text);
    }
}
