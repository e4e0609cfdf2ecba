using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Core.Tests.Digests;

/// <summary>The digest's figures for a fixed set of routed meldingen in November 2026, judged at 1 December 05:00 UTC.</summary>
public sealed class DigestFiguresTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");
    private static readonly DigestMonth November = DigestMonth.Parse("2026-11", Amsterdam);
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 5, 0, 0, TimeSpan.Zero);
    private static readonly HubDocument Document = TestHub.Demo();

    private static DateTimeOffset Nov(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    private static ReferralRecord Referral(string meldingId, string provider, string kind, string basis, DateTimeOffset createdAt,
        ReferralStatus? status = null, double? contactedAfterHours = null, string? reason = null) =>
        new($"ref_{meldingId}_{provider}", meldingId, provider, kind, basis, createdAt, Document.FindProvider(provider)!.RespondBefore(createdAt), DispatchState.Sent,
            status, status is null ? null : createdAt.AddHours(contactedAfterHours ?? 1), contactedAfterHours is { } h ? createdAt.AddHours(h) : null, reason);

    private static RoutedMelding Melding(string id, string partner, string feed, DateTimeOffset at, int age, string? wijk, string[] categories, bool acute, bool matched,
        params Func<string, DateTimeOffset, ReferralRecord>[] referrals) =>
        new(id, partner, feed, at, Document.Gemeente.Calendar().MonthOf(at), age, wijk, categories, acute ? Urgencies.Acute : Urgencies.Normal, acute ? "risk-level-red" : null, matched, at.AddSeconds(2),
            referrals.Select(r => r(id, at.AddSeconds(2))).ToArray());

    /// <summary>Four meldingen, one per feed and then some, with referrals in every state of contact.</summary>
    private static readonly RoutedMelding[] Meldingen =
    [
        Melding("mld_1", TestHub.SchoolPartner, Feeds.School, Nov(2, 10), 4, "noord", ["bullying", "wellbeing"], acute: false, matched: false,
            (m, at) => Referral(m, TestHub.Cjg, ReferralKinds.Referral, ConsentBases.ParentalConsent, at, ReferralStatus.Contacted, contactedAfterHours: 10)),
        Melding("mld_2", TestHub.PolicePartner, Feeds.Police, Nov(10, 8), 9, "west", ["delinquency", "weapons"], acute: true, matched: true,
            (m, at) => Referral(m, TestHub.VeiligThuis, ReferralKinds.Referral, ConsentBases.AcuteSafety, at, ReferralStatus.Completed, contactedAfterHours: 30),
            (m, at) => Referral(m, TestHub.Basta, ReferralKinds.Signal, ConsentBases.None, at, ReferralStatus.Declined, reason: "capacity"),
            (m, at) => Referral(m, TestHub.Pit, ReferralKinds.Signal, ConsentBases.None, at)),
        Melding("mld_3", TestHub.WelfarePartner, Feeds.Welfare, Nov(30, 20), 2, null, ["nuisance"], acute: false, matched: false,
            (m, at) => Referral(m, TestHub.PakJeKans, ReferralKinds.Referral, ConsentBases.ParentalConsent, at)),
        Melding("mld_4", "cbs-de-wegwijzer", Feeds.School, Nov(20, 9), 11, "oude-wijk", ["bullying"], acute: false, matched: false,
            (m, at) => Referral(m, TestHub.Cjg, ReferralKinds.Signal, ConsentBases.None, at, ReferralStatus.Declined, reason: "not-in-target-group"),
            (m, at) => Referral(m, TestHub.AllesKidzzz, ReferralKinds.Referral, ConsentBases.ParentalConsent, at, ReferralStatus.IntakeCompleted, contactedAfterHours: 20)),
    ];

    private static InstroomDigest Compile(IReadOnlyCollection<MonthTotals>? earlier = null) =>
        InstroomFigures.Compile(November, Meldingen, earlier ?? [], Document, AsOf, Amsterdam);

    private static IReadOnlyDictionary<string, int[]> Rows(InstroomDigest digest, string table) =>
        digest.Table(table)!.Rows.ToDictionary(r => r.Key, r => r.Counts.ToArray());

    private static void AssertRows(InstroomDigest digest, string table, params (string Key, int[] Counts)[] expected)
    {
        var rows = Rows(digest, table);
        Assert.Equal(expected.Select(e => e.Key), rows.Keys);
        foreach (var (key, counts) in expected)
        {
            Assert.True(counts.SequenceEqual(rows[key]), $"{table} {key}: expected [{string.Join(',', counts)}], got [{string.Join(',', rows[key])}]");
        }
    }

    [Fact]
    public void Every_table_is_there_in_order_and_each_row_has_a_count_per_column()
    {
        var digest = Compile();

        Assert.Equal(
            [
                DigestTableIds.MeldingenByFeed, DigestTableIds.MeldingenByPartner, DigestTableIds.MeldingenByWijk, DigestTableIds.MeldingenByAge,
                DigestTableIds.CategoryMentions, DigestTableIds.AcuteByFeed, DigestTableIds.MatchesByFeed, DigestTableIds.MatchFollowUp, DigestTableIds.ConsentByFeed, DigestTableIds.RetractedByFeed,
                DigestTableIds.ReferralsByProviderKind, DigestTableIds.ReferralsByProviderConsentBasis, DigestTableIds.ReferralsByProviderStatus,
                DigestTableIds.ContactByProvider, DigestTableIds.DeclinedByProviderReason, DigestTableIds.TrendMeldingenByFeed, DigestTableIds.TrendReferralsByProvider,
            ],
            digest.Tables.Select(t => t.Id));
        Assert.All(digest.Tables, t => Assert.All(t.Rows, r => Assert.Equal(t.Columns.Count, r.Counts.Count)));
        Assert.Equal((4, 7), (digest.MeldingCount, digest.ReferralCount));
    }

    [Fact]
    public void Meldingen_are_counted_by_feed_partner_wijk_and_age_band_each_adding_up_to_the_month()
    {
        var digest = Compile();

        AssertRows(digest, DigestTableIds.MeldingenByFeed, ("school", [2]), ("police", [1]), ("welfare", [1]));
        AssertRows(digest, DigestTableIds.MeldingenByPartner,
            (TestHub.SchoolPartner, [1]), ("cbs-de-wegwijzer", [1]), (TestHub.PolicePartner, [1]), (TestHub.WelfarePartner, [1]));
        // Configured wijken in their order (zero rows too), a wijk no longer configured, then the unknown wijk.
        AssertRows(digest, DigestTableIds.MeldingenByWijk,
            ("noord", [1]), ("zuid", [0]), ("oost", [0]), ("west", [1]), ("centrum", [0]), ("oude-wijk", [1]), (InstroomFigures.UnknownWijk, [1]));
        // A child of 2 is in the target group: its own band, so the table adds up.
        AssertRows(digest, DigestTableIds.MeldingenByAge, ("0-3", [1]), ("4-7", [1]), ("8-9", [1]), ("10-11", [1]));
        Assert.All(new[] { DigestTableIds.MeldingenByFeed, DigestTableIds.MeldingenByPartner, DigestTableIds.MeldingenByWijk, DigestTableIds.MeldingenByAge },
            id => Assert.Equal(4, Rows(digest, id).Values.Sum(c => c.Sum())));
    }

    [Fact]
    public void Categories_count_mentions_so_a_melding_with_two_counts_twice()
    {
        var mentions = Rows(Compile(), DigestTableIds.CategoryMentions);

        Assert.Equal((2, 1, 1, 1, 1), (mentions["bullying"][0], mentions["wellbeing"][0], mentions["delinquency"][0], mentions["weapons"][0], mentions["nuisance"][0]));
        Assert.Equal(6, mentions.Values.Sum(c => c[0]));
        Assert.Equal(Taxonomy.Categories, mentions.Keys);
    }

    [Fact]
    public void Acute_matched_and_consented_meldingen_are_counted_per_feed()
    {
        var digest = Compile();

        AssertRows(digest, DigestTableIds.AcuteByFeed, ("school", [0, 2]), ("police", [1, 0]), ("welfare", [0, 1]));
        AssertRows(digest, DigestTableIds.MatchesByFeed, ("school", [0, 2]), ("police", [1, 0]), ("welfare", [0, 1]));
        // With consent: at least one referral went on the parents' consent (acute safety is not consent).
        AssertRows(digest, DigestTableIds.ConsentByFeed, ("school", [2, 0]), ("police", [0, 1]), ("welfare", [1, 0]));
    }

    [Fact]
    public void Referrals_are_counted_per_provider_by_kind_consent_basis_and_latest_status()
    {
        var digest = Compile();

        AssertRows(digest, DigestTableIds.ReferralsByProviderKind,
            (TestHub.Cjg, [1, 1]), (TestHub.Basta, [0, 1]), (TestHub.PakJeKans, [1, 0]), (TestHub.AllesKidzzz, [1, 0]), (TestHub.Pit, [0, 1]), (TestHub.VeiligThuis, [1, 0]));
        AssertRows(digest, DigestTableIds.ReferralsByProviderConsentBasis,
            (TestHub.Cjg, [1, 0, 1]), (TestHub.Basta, [0, 0, 1]), (TestHub.PakJeKans, [1, 0, 0]), (TestHub.AllesKidzzz, [1, 0, 0]), (TestHub.Pit, [0, 0, 1]), (TestHub.VeiligThuis, [0, 1, 0]));
        // No status, received, contacted, intake-completed, intervention-started, completed, declined, no-contact, withdrawn.
        AssertRows(digest, DigestTableIds.ReferralsByProviderStatus,
            (TestHub.Cjg, [0, 0, 1, 0, 0, 0, 1, 0, 0]),
            (TestHub.Basta, [0, 0, 0, 0, 0, 0, 1, 0, 0]),
            (TestHub.PakJeKans, [1, 0, 0, 0, 0, 0, 0, 0, 0]),
            (TestHub.AllesKidzzz, [0, 0, 0, 1, 0, 0, 0, 0, 0]),
            (TestHub.Pit, [1, 0, 0, 0, 0, 0, 0, 0, 0]),
            (TestHub.VeiligThuis, [0, 0, 0, 0, 0, 1, 0, 0, 0]));
    }

    [Fact]
    public void First_contact_is_judged_against_each_referrals_promise_as_of_the_compilation()
    {
        var digest = Compile();

        // Within the promise, after it, none and the promise passed (overdue), none and the promise running, closed without contact.
        AssertRows(digest, DigestTableIds.ContactByProvider,
            (TestHub.Cjg, [1, 0, 0, 0, 1]),
            (TestHub.Basta, [0, 0, 0, 0, 1]),
            (TestHub.PakJeKans, [0, 0, 0, 1, 0]),
            (TestHub.AllesKidzzz, [1, 0, 0, 0, 0]),
            (TestHub.Pit, [0, 0, 1, 0, 0]),
            (TestHub.VeiligThuis, [0, 1, 0, 0, 0]));
        var times = digest.ContactTimes.ToDictionary(t => t.ProviderId);
        Assert.Equal((1, 10.0), (times[TestHub.Cjg].Contacted, times[TestHub.Cjg].MedianHoursToContact));
        Assert.Equal((1, 30.0), (times[TestHub.VeiligThuis].Contacted, times[TestHub.VeiligThuis].MedianHoursToContact));
        Assert.Equal((1, 20.0), (times[TestHub.AllesKidzzz].Contacted, times[TestHub.AllesKidzzz].MedianHoursToContact));
        Assert.Equal((0, (double?)null), (times[TestHub.Pit].Contacted, times[TestHub.Pit].MedianHoursToContact));
    }

    [Fact]
    public void The_median_of_an_even_number_of_contacts_is_the_mean_of_the_middle_two()
    {
        var createdAt = Nov(3, 9);
        var meldingen = new[] { 5.0, 8.0, 12.25, 40.0 }.Select((hours, i) => Melding($"mld_m{i}", TestHub.SchoolPartner, Feeds.School, createdAt, 8, null, [], false, false,
            (m, at) => Referral(m, TestHub.Cjg, ReferralKinds.Referral, ConsentBases.ParentalConsent, at, ReferralStatus.Contacted, contactedAfterHours: hours))).ToArray();

        var digest = InstroomFigures.Compile(November, meldingen, [], Document, AsOf, Amsterdam);

        Assert.Equal(10.1, digest.ContactTimes.Single(t => t.ProviderId == TestHub.Cjg).MedianHoursToContact);
    }

    [Fact]
    public void Declined_referrals_are_counted_by_their_reason_code()
    {
        var digest = Compile();
        var table = digest.Table(DigestTableIds.DeclinedByProviderReason)!;

        Assert.Equal(ReferralLifecycle.ReasonsFor(ReferralStatus.Declined).Count, table.Columns.Count);
        Assert.Equal([1, 0, 0, 0, 0], Rows(digest, DigestTableIds.DeclinedByProviderReason)[TestHub.Cjg]);
        Assert.Equal([0, 1, 0, 0, 0], Rows(digest, DigestTableIds.DeclinedByProviderReason)[TestHub.Basta]);
    }

    [Fact]
    public void The_trend_runs_over_twelve_months_ending_with_this_one_from_the_totals_of_the_earlier_ones()
    {
        var digest = Compile([
            new MonthTotals("2026-10", new Dictionary<string, int> { ["school"] = 5 }, new Dictionary<string, int> { [TestHub.Cjg] = 7 }),
            new MonthTotals("2025-12", new Dictionary<string, int> { ["police"] = 3 }, new Dictionary<string, int> { [TestHub.Pit] = 3 }),
        ]);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => new DateOnly(2025, 12, 1).AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)), digest.TrendMonths);
        Assert.Equal(digest.TrendMonths, digest.Table(DigestTableIds.TrendMeldingenByFeed)!.Columns);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 2], Rows(digest, DigestTableIds.TrendMeldingenByFeed)["school"]);
        Assert.Equal([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], Rows(digest, DigestTableIds.TrendMeldingenByFeed)["police"]);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 2], Rows(digest, DigestTableIds.TrendReferralsByProvider)[TestHub.Cjg]);
        Assert.Equal([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], Rows(digest, DigestTableIds.TrendReferralsByProvider)[TestHub.Pit]);
    }

    [Fact]
    public void Instroom_is_set_against_the_expectation_this_month_and_over_the_last_three()
    {
        var digest = Compile([
            new MonthTotals("2026-10", new Dictionary<string, int>(), new Dictionary<string, int> { [TestHub.Cjg] = 7 }),
            new MonthTotals("2026-09", new Dictionary<string, int>(), new Dictionary<string, int> { [TestHub.Cjg] = 100 }),
            new MonthTotals("2026-08", new Dictionary<string, int>(), new Dictionary<string, int> { [TestHub.Cjg] = 500 }),
        ]);

        var cjg = digest.Expected.Single(e => e.ProviderId == TestHub.Cjg);
        Assert.Equal(new ExpectedInstroom(TestHub.Cjg, "CJG / wijkteam Voorbeeldstad", 2, 40, InstroomFlags.Below, 109, 120, InstroomFlags.Within), cjg);
        Assert.Equal(Document.Providers.Select(p => p.Id), digest.Expected.Select(e => e.ProviderId));
    }

    [Theory]
    [InlineData(19, 40, InstroomFlags.Below)]
    [InlineData(20, 40, InstroomFlags.Within)]
    [InlineData(60, 40, InstroomFlags.Within)]
    [InlineData(61, 40, InstroomFlags.Above)]
    [InlineData(0, 1, InstroomFlags.Below)]
    [InlineData(3, null, InstroomFlags.NoExpectation)]
    public void The_flags_are_below_half_and_above_one_and_a_half_times_the_expectation(int actual, int? expected, string flag)
    {
        Assert.Equal(flag, InstroomFlags.Of(actual, expected));
    }

    [Fact]
    public async Task Earlier_months_come_from_their_stored_digests_and_only_months_without_one_are_read_from_the_instroom()
    {
        var instroom = new FaultyInstroomLog(new FaultPlan());
        foreach (var melding in Meldingen)
        {
            await instroom.RecordAsync(melding, CancellationToken.None);
        }

        // October was read in full after it ended (its stored figures win, proving they are used); August was compiled
        // while still running, so its stored figures are not the month's and it is read again.
        var digests = new InMemoryDigestStore();
        var october = InstroomFigures.Compile(DigestMonth.Parse("2026-10", Amsterdam), [], [], Document, new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero), Amsterdam);
        october = october with { Tables = [.. october.Tables.Select(t => t.Id == DigestTableIds.ReferralsByProviderKind
            ? t with { Rows = [new CountRow(TestHub.Cjg, "CJG", [30, 3])] } : t)] };
        await digests.SaveAsync(october, CancellationToken.None);
        await digests.SaveAsync(InstroomFigures.Compile(DigestMonth.Parse("2026-08", Amsterdam), [], [], Document, new DateTimeOffset(2026, 8, 15, 0, 0, 0, TimeSpan.Zero), Amsterdam)
            with { Tables = [new CountTable(DigestTableIds.ReferralsByProviderKind, "", "", ["a"], [new CountRow(TestHub.Cjg, "CJG", [99])])] }, CancellationToken.None);
        var compilation = new DigestCompilation(new FixedHubDocument(Document), instroom, new InMemoryMatchFollowUps(), digests, new FaultyOnceLedger(new FaultPlan()), new FaultyOutbox(new FaultPlan()),
            new FakeTimeProvider(AsOf), NullLogger<DigestCompilation>.Instance);

        var digest = await compilation.CompileAsync(November, CancellationToken.None);

        Assert.Equal(1 + 10, instroom.MonthReads);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 33, 2], Rows(digest, DigestTableIds.TrendReferralsByProvider)[TestHub.Cjg]);
        Assert.Equal(35, digest.Expected.Single(e => e.ProviderId == TestHub.Cjg).ReferralsLast3Months);
    }
}
