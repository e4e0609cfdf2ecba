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
        Assert.Equal("BASTA!: <5 verwijzingen, verwacht 6: onder 50 %, ook over de laatste 3 maanden", flag.Text);
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

    private static InstroomDigest WithFeedback(CountRow[] statuses, CountRow[] contacts, params ContactTime[] times) => Digest() with
    {
        Tables =
        [
            new CountTable(DigestTableIds.ReferralsByProviderStatus, "Status", "Aanbieder", ["Geen status", "Contact", "Afgewezen"], statuses),
            new CountTable(DigestTableIds.ContactByProvider, "Eerste contact", "Aanbieder",
                ["Binnen termijn", "Na termijn", "Verstreken", "Loopt", "Afgesloten"], contacts),
        ],
        ContactTimes = times,
    };

    [Fact]
    public void A_providers_shares_are_read_off_its_published_cells_and_its_median_is_in_whole_hours()
    {
        var published = DigestPublication.Publish(
            WithFeedback(
                [new CountRow("cjg", "CJG", [10, 25, 5]), new CountRow("pit", "PIT", [6, 9, 7])],
                [new CountRow("cjg", "CJG", [20, 10, 5, 5, 0]), new CountRow("pit", "PIT", [9, 6, 0, 7, 0])],
                new ContactTime("cjg", "CJG", 30, 18.5), new ContactTime("pit", "PIT", 15, 40.2)),
            "Voorbeeldstad");

        var cjg = published.Feedback.Single(f => f.ProviderId == "cjg");
        // 30 of 40 with a status; 20 within the promise of the 35 whose promise came to pass (5 still run).
        Assert.Equal(("75 %", 75.0), (cjg.WithStatus.Text, cjg.WithStatus.Value!.Value));
        Assert.Equal(("57 %", 57.0), (cjg.ContactedWithinPromise.Text, cjg.ContactedWithinPromise.Value!.Value));
        Assert.Equal(("19 u", 19.0), (cjg.MedianHoursToContact.Text, cjg.MedianHoursToContact.Value!.Value));
        Assert.Equal("40 u", published.Feedback.Single(f => f.ProviderId == "pit").MedianHoursToContact.Text);
    }

    [Fact]
    public void A_share_that_needs_a_cell_not_published_as_a_number_is_withheld_and_so_is_a_median_over_fewer_than_ten_contacts()
    {
        var published = DigestPublication.Publish(
            WithFeedback(
                [new CountRow("cjg", "CJG", [10, 25, 5]), new CountRow("basta", "BASTA!", [3, 8, 6]), new CountRow("pit", "PIT", [6, 9, 7])],
                [new CountRow("cjg", "CJG", [20, 10, 5, 5, 0]), new CountRow("basta", "BASTA!", [6, 5, 0, 2, 4]), new CountRow("pit", "PIT", [9, 6, 0, 7, 0])],
                new ContactTime("cjg", "CJG", 30, 18.5), new ContactTime("basta", "BASTA!", 9, 12.0), new ContactTime("pit", "PIT", 15, 40.2)),
            "Voorbeeldstad");

        var basta = published.Feedback.Single(f => f.ProviderId == "basta");
        // Its "no status" (3) and "still running" (2) are under 5: a share from them would give them away.
        Assert.Equal(PublishedFigure.Withheld, basta.WithStatus);
        Assert.Equal(PublishedFigure.Withheld, basta.ContactedWithinPromise);
        Assert.Equal(PublishedFigure.Withheld, basta.MedianHoursToContact);
        Assert.Equal(("×", (double?)null), (basta.MedianHoursToContact.Text, basta.MedianHoursToContact.Value));
    }

    [Fact]
    public void A_provider_without_referrals_or_contacts_has_nothing_to_measure()
    {
        var published = DigestPublication.Publish(
            WithFeedback([new CountRow("pit", "PIT", [0, 0, 0])], [new CountRow("pit", "PIT", [0, 0, 0, 0, 0])], new ContactTime("pit", "PIT", 0, null)),
            "Voorbeeldstad");

        var pit = Assert.Single(published.Feedback);
        Assert.Equal([PublishedFigure.Nothing, PublishedFigure.Nothing, PublishedFigure.Nothing], [pit.WithStatus, pit.ContactedWithinPromise, pit.MedianHoursToContact]);
        Assert.Equal("—", pit.WithStatus.Text);
    }
}
