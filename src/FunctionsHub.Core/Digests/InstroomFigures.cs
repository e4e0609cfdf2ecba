using System.Globalization;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Digests;

/// <summary>
/// What the trend needs of one month: meldingen per feed and referrals per provider. Taken from the
/// month's stored digest where there is one, otherwise counted from the month's instroom.
/// </summary>
public sealed record MonthTotals(string Month, IReadOnlyDictionary<string, int> MeldingenByFeed, IReadOnlyDictionary<string, int> ReferralsByProvider)
{
    public static MonthTotals Of(string month, MonthTally tally) =>
        new(month,
            tally.Of(MonthTally.Dimensions.Feed),
            tally.ByProvider(MonthTally.Dimensions.Kind).ToDictionary(p => p.Key, p => p.Value.Values.Sum(), StringComparer.Ordinal));

    /// <summary>From a stored digest's tables (row sums of <c>meldingen-by-feed</c> and <c>referrals-by-provider-kind</c>).</summary>
    public static MonthTotals Of(InstroomDigest digest) =>
        new(digest.Month, RowSums(digest.Table(DigestTableIds.MeldingenByFeed)), RowSums(digest.Table(DigestTableIds.ReferralsByProviderKind)));

    private static Dictionary<string, int> RowSums(CountTable? table) =>
        table?.Rows.ToDictionary(r => r.Key, r => r.Counts.Sum(), StringComparer.Ordinal) ?? new Dictionary<string, int>(StringComparer.Ordinal);
}

/// <summary>
/// The digest's figures from a month's routed meldingen: a pure function of the meldingen, the
/// totals of the eleven months before, the configuration (for names, rows and expectations) and the
/// moment the feedback is judged at. Every figure is a count of meldingen or referrals; a melding
/// received in the month counts in that month with all its referrals, whenever they were reported on.
/// </summary>
public static class InstroomFigures
{
    public const string UnknownWijk = "unknown";

    /// <summary>The age bands of the target group (under 12); 0–3 is a band of its own rather than left out, so the table adds up to the month's meldingen.</summary>
    public static readonly IReadOnlyList<(string Key, int From, int To)> AgeBands = [("0-3", 0, 3), ("4-7", 4, 7), ("8-9", 8, 9), ("10-11", 10, 11)];

    private static readonly IReadOnlyDictionary<string, string> FeedLabels = new Dictionary<string, string>
    {
        [Feeds.School] = "School",
        [Feeds.Police] = "Politie",
        [Feeds.Welfare] = "Welzijn",
    };

    private static readonly ReferralStatus[] Statuses = Enum.GetValues<ReferralStatus>();

    private static readonly IReadOnlyDictionary<ReferralStatus, string> StatusLabels = new Dictionary<ReferralStatus, string>
    {
        [ReferralStatus.Received] = "Ontvangen",
        [ReferralStatus.Contacted] = "Contact",
        [ReferralStatus.IntakeCompleted] = "Intake afgerond",
        [ReferralStatus.InterventionStarted] = "Interventie gestart",
        [ReferralStatus.Completed] = "Afgerond",
        [ReferralStatus.Declined] = "Afgewezen",
        [ReferralStatus.NoContact] = "Geen contact",
        [ReferralStatus.Withdrawn] = "Ingetrokken",
    };

    private static readonly IReadOnlyDictionary<string, string> DeclineLabels = new Dictionary<string, string>
    {
        ["not-in-target-group"] = "Niet in doelgroep",
        ["capacity"] = "Geen capaciteit",
        ["family-refused"] = "Gezin weigert",
        ["other-help-in-place"] = "Andere hulp aanwezig",
        ["other"] = "Anders",
    };

    /// <summary>The figures of these meldingen (as <see cref="MonthTally.Of"/> counts them).</summary>
    public static InstroomDigest Compile(
        DigestMonth month, IReadOnlyList<RoutedMelding> meldingen, IReadOnlyCollection<MonthTotals> earlier, HubDocument document, DateTimeOffset asOf, GemeenteCalendar calendar,
        IReadOnlyCollection<MatchFollowUp>? matches = null) =>
        Compile(month, MonthTally.Of(meldingen), earlier, document, asOf, calendar, matches);

    /// <param name="tally">The month's counts, as the instroom keeps them.</param>
    /// <param name="earlier">Totals of the eleven months before <paramref name="month"/>, any order; a month missing counts as none.</param>
    /// <param name="asOf">The moment the feedback is judged at (the compilation): overdue means the promise passed before it without contact (at the whole hour, <see cref="MonthTally.Overdue"/>).</param>
    /// <param name="matches">The follow-ups of the matches found in the month (none when not given).</param>
    public static InstroomDigest Compile(
        DigestMonth month, MonthTally tally, IReadOnlyCollection<MonthTotals> earlier, HubDocument document, DateTimeOffset asOf, GemeenteCalendar calendar,
        IReadOnlyCollection<MatchFollowUp>? matches = null)
    {
        var byFeed = tally.Of(MonthTally.Dimensions.Feed);
        var kinds = tally.ByProvider(MonthTally.Dimensions.Kind);
        var feeds = FeedRows(byFeed.Keys);
        var providers = ProviderRows(document, kinds.Keys.Concat(earlier.SelectMany(t => t.ReferralsByProvider.Keys)));
        var trendMonths = Enumerable.Range(0, 12).Select(k => month.Before(11 - k, calendar).Month).ToArray();
        var totals = earlier.Where(t => t.Month != month.Month).GroupBy(t => t.Month).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        totals[month.Month] = MonthTotals.Of(month.Month, tally);
        var declineReasons = ReferralLifecycle.ReasonsFor(ReferralStatus.Declined);
        var wijken = tally.Of(MonthTally.Dimensions.Wijk);
        var ages = tally.Of(MonthTally.Dimensions.Age).ToDictionary(a => int.Parse(a.Key, CultureInfo.InvariantCulture), a => a.Value);
        var categories = tally.Of(MonthTally.Dimensions.Category);

        List<CountTable> tables =
        [
            Single(DigestTableIds.MeldingenByFeed, "Meldingen per feed", "Feed", "Meldingen", feeds, byFeed),
            Single(DigestTableIds.MeldingenByPartner, "Meldingen per partner", "Partner", "Meldingen",
                Rows(document.Partners.Select(p => (p.Id, p.Name)), tally.Of(MonthTally.Dimensions.Partner).Keys), tally.Of(MonthTally.Dimensions.Partner)),
            Single(DigestTableIds.MeldingenByWijk, "Meldingen per wijk", "Wijk", "Meldingen",
                [.. Rows(document.Wijken.Select(w => (w.Id, w.Name)), wijken.Keys.Where(w => w.Length > 0)), (UnknownWijk, "Onbekende wijk")],
                wijken.ToDictionary(w => w.Key.Length > 0 ? w.Key : UnknownWijk, w => w.Value, StringComparer.Ordinal)),
            Single(DigestTableIds.MeldingenByAge, "Meldingen per leeftijd (jaren)", "Leeftijd", "Meldingen", AgeRows(ages.Keys),
                ages.GroupBy(a => AgeBand(a.Key)).ToDictionary(g => g.Key, g => g.Sum(a => a.Value), StringComparer.Ordinal)),
            Single(DigestTableIds.CategoryMentions, "Categorieën (vermeldingen: een melding kan er meer hebben)", "Categorie", "Vermeldingen",
                Rows(Taxonomy.Categories.Select(c => (c, c)), categories.Keys), categories),
            ByFeed(DigestTableIds.AcuteByFeed, "Acute meldingen per feed", ["Acuut", "Niet acuut"], feeds, byFeed, tally.Of(MonthTally.Dimensions.Acute)),
            ByFeed(DigestTableIds.MatchesByFeed, "Matches per feed (meldingen over een kind dat een andere organisatie binnen 12 maanden meldde)",
                ["Match", "Geen match"], feeds, byFeed, tally.Of(MonthTally.Dimensions.Matched)),
            FollowUpTable(matches ?? [], asOf),
            ByFeed(DigestTableIds.ConsentByFeed, "Toestemming per feed (met toestemming: minstens één verwijzing op toestemming van ouders)",
                ["Met toestemming", "Zonder toestemming"], feeds, byFeed, tally.Of(MonthTally.Dimensions.Consent)),
            Single(DigestTableIds.RetractedByFeed, "Ingetrokken meldingen per feed (door de partner teruggenomen: niet in de tabellen hierboven)", "Feed", "Ingetrokken",
                feeds, tally.Of(MonthTally.Dimensions.Retracted)),
            ByProvider(DigestTableIds.ReferralsByProviderKind, "Verwijzingen per aanbieder en soort", ["Verwijzing", "Zorgsignaal"], providers, kinds,
                kind => kind == ReferralKinds.Referral ? 0 : 1),
            ByProvider(DigestTableIds.ReferralsByProviderConsentBasis, "Verwijzingen per aanbieder en grondslag",
                ["Toestemming ouders", "Acute veiligheid", "Geen (zorgsignaal)"], providers, tally.ByProvider(MonthTally.Dimensions.Basis),
                basis => basis switch { ConsentBases.ParentalConsent => 0, ConsentBases.AcuteSafety => 1, _ => 2 }),
            ByProvider(DigestTableIds.ReferralsByProviderStatus, "Verwijzingen per aanbieder en laatst gemelde status",
                ["Geen status", .. Statuses.Select(s => StatusLabels[s])], providers, tally.ByProvider(MonthTally.Dimensions.Status),
                status => status.Length == 0 ? 0 : 1 + Array.IndexOf(Statuses, ReferralLifecycle.Parse(status))),
            ContactTable(providers, tally, asOf),
            DeclinedTable(providers, tally.ByProvider(MonthTally.Dimensions.Declined), declineReasons),
            Trend(DigestTableIds.TrendMeldingenByFeed, "Meldingen per feed, 12 maanden", "Feed", trendMonths, feeds, totals, t => t.MeldingenByFeed),
            Trend(DigestTableIds.TrendReferralsByProvider, "Verwijzingen per aanbieder, 12 maanden", "Aanbieder", trendMonths, providers, totals, t => t.ReferralsByProvider),
        ];

        int InMonths(string providerId, int count) =>
            trendMonths.TakeLast(count).Sum(m => totals.TryGetValue(m, out var t) ? t.ReferralsByProvider.GetValueOrDefault(providerId) : 0);

        var expected = document.Providers.Select(p =>
        {
            var thisMonth = InMonths(p.Id, 1);
            var three = InMonths(p.Id, 3);
            var expected3 = p.ExpectedMonthlyInstroom * 3;
            return new ExpectedInstroom(p.Id, p.Name, thisMonth, p.ExpectedMonthlyInstroom, InstroomFlags.Of(thisMonth, p.ExpectedMonthlyInstroom),
                three, expected3, InstroomFlags.Of(three, expected3));
        }).ToArray();

        var minutes = tally.ByProvider(MonthTally.Dimensions.MinutesToContact);
        var contactTimes = providers.Select(p =>
        {
            var histogram = minutes.GetValueOrDefault(p.Key) ?? Empty;
            return new ContactTime(p.Key, p.Label, histogram.Values.Sum(), Median(histogram));
        }).ToArray();

        return new InstroomDigest(month.Month, asOf, byFeed.Values.Sum(), kinds.Values.Sum(k => k.Values.Sum()), tables, expected, contactTimes, trendMonths);
    }

    private static readonly IReadOnlyDictionary<string, int> Empty = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>
    /// The median of the hours to first contact, from their counts by whole minutes: the middle one,
    /// or the mean of the middle two, in hours rounded to a tenth.
    /// </summary>
    private static double? Median(IReadOnlyDictionary<string, int> countsByMinutes)
    {
        var n = countsByMinutes.Values.Sum();
        if (n == 0)
        {
            return null;
        }

        var sorted = countsByMinutes.Select(c => (Minutes: long.Parse(c.Key, CultureInfo.InvariantCulture), Count: c.Value)).OrderBy(c => c.Minutes).ToArray();
        long At(int index)
        {
            foreach (var (value, count) in sorted)
            {
                if (index < count)
                {
                    return value;
                }

                index -= count;
            }

            throw new InvalidOperationException("The median's index lies beyond the counts.");
        }

        var middle = n % 2 == 1 ? At(n / 2) : (At((n / 2) - 1) + At(n / 2)) / 2.0;
        return Math.Round(middle / 60, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// The matches found in the month by what became of their follow-up: confirmed by both referrers by
    /// the deadline, by one, by neither, the deadline still running at <paramref name="asOf"/> (without
    /// both confirmations yet), or withdrawn (a melding of it retracted). The share followed up is the
    /// first column of the row's total.
    /// </summary>
    private static CountTable FollowUpTable(IReadOnlyCollection<MatchFollowUp> matches, DateTimeOffset asOf)
    {
        var cells = new int[5];
        foreach (var match in matches)
        {
            cells[match switch
            {
                { WithdrawnAt: not null } => 4,
                { ConfirmedInTime.Count: 2 } => 0,
                _ when match.DueAt > asOf => 3,
                { ConfirmedInTime.Count: 1 } => 1,
                _ => 2,
            }]++;
        }

        return new(DigestTableIds.MatchFollowUp, "Opvolging van matches (gevonden in de maand; termijn: matchFollowUpDays)", "Matches",
            ["Contact door beiden bevestigd", "Door één bevestigd", "Door geen van beiden", "Termijn loopt nog", "Ingetrokken"],
            [new CountRow("matches", "Matches", cells)]);
    }

    /// <summary>First contact by provider: met within or after the promise, not met with the promise passed (overdue at <paramref name="asOf"/>) or still running, or closed without it.</summary>
    private static CountTable ContactTable(IReadOnlyList<(string Key, string Label)> providers, MonthTally tally, DateTimeOffset asOf)
    {
        var contact = tally.ByProvider(MonthTally.Dimensions.Contact);
        var promises = tally.ByProvider(MonthTally.Dimensions.PromiseEnds);
        return new(DigestTableIds.ContactByProvider, "Eerste contact per aanbieder (termijn: de belofte van de aanbieder)", "Aanbieder",
            ["Contact binnen termijn", "Contact na termijn", "Zonder contact, termijn verstreken", "Zonder contact, binnen termijn", "Afgesloten zonder contact"],
            providers.Select(p =>
            {
                var c = contact.GetValueOrDefault(p.Key) ?? Empty;
                var open = promises.GetValueOrDefault(p.Key) ?? Empty;
                var overdue = open.Where(o => MonthTally.Overdue(o.Key, asOf)).Sum(o => o.Value);
                return new CountRow(p.Key, p.Label, [
                    c.GetValueOrDefault(MonthTally.ContactWithin), c.GetValueOrDefault(MonthTally.ContactAfter), overdue, open.Values.Sum() - overdue,
                    c.GetValueOrDefault(MonthTally.ClosedWithoutContact)]);
            }).ToArray());
    }

    private static string AgeBand(int age) => AgeBands.FirstOrDefault(b => age >= b.From && age <= b.To).Key ?? "12+";

    private static IReadOnlyList<(string Key, string Label)> AgeRows(IEnumerable<int> ages)
    {
        List<(string, string)> rows = [.. AgeBands.Select(b => (b.Key, $"{b.From}–{b.To}"))];
        // Only when the gemeente raised maxAge beyond the target group: then the table still adds up.
        if (ages.Any(age => AgeBand(age) == "12+"))
        {
            rows.Add(("12+", "12 en ouder"));
        }

        return rows;
    }

    private static IReadOnlyList<(string Key, string Label)> FeedRows(IEnumerable<string> seen) =>
        Rows(Feeds.All.Select(f => (f, FeedLabels.GetValueOrDefault(f, f))), seen);

    private static IReadOnlyList<(string Key, string Label)> ProviderRows(HubDocument document, IEnumerable<string> seen) =>
        Rows(document.Providers.Select(p => (p.Id, p.Name)), seen);

    /// <summary>The configured rows in their order (zero rows included, so months compare), then ids seen but no longer configured, by id.</summary>
    private static IReadOnlyList<(string Key, string Label)> Rows(IEnumerable<(string Key, string Label)> configured, IEnumerable<string> seen)
    {
        var rows = configured.ToList();
        var known = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(seen.Where(k => !known.Contains(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => (k, k)));
        return rows;
    }

    /// <summary>A table of one column: each row its count (counts without a row are not shown).</summary>
    private static CountTable Single(string id, string title, string rowHeader, string column, IReadOnlyList<(string Key, string Label)> rows, IReadOnlyDictionary<string, int> counts) =>
        new(id, title, rowHeader, [column], rows.Select(r => new CountRow(r.Key, r.Label, [counts.GetValueOrDefault(r.Key)])).ToArray());

    /// <summary>Meldingen per feed split in two columns: those with the property and the rest.</summary>
    private static CountTable ByFeed(
        string id, string title, IReadOnlyList<string> columns, IReadOnlyList<(string Key, string Label)> feeds, IReadOnlyDictionary<string, int> byFeed, IReadOnlyDictionary<string, int> with) =>
        new(id, title, "Feed", columns, feeds.Select(f => new CountRow(f.Key, f.Label, [with.GetValueOrDefault(f.Key), byFeed.GetValueOrDefault(f.Key) - with.GetValueOrDefault(f.Key)])).ToArray());

    /// <summary>Referrals per provider, each counted value in the column <paramref name="column"/> gives it.</summary>
    private static CountTable ByProvider(
        string id, string title, IReadOnlyList<string> columns, IReadOnlyList<(string Key, string Label)> providers,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> counts, Func<string, int> column) =>
        new(id, title, "Aanbieder", columns, providers.Select(p =>
        {
            var cells = new int[columns.Count];
            foreach (var (value, count) in counts.GetValueOrDefault(p.Key) ?? Empty)
            {
                cells[column(value)] += count;
            }

            return new CountRow(p.Key, p.Label, cells);
        }).ToArray());

    private static CountTable DeclinedTable(
        IReadOnlyList<(string Key, string Label)> providers, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> declined, IReadOnlyList<string> reasons)
    {
        // A reason code unknown here (or none: a row from before the code was kept) is counted as such rather than dropped.
        var unknown = declined.Values.SelectMany(d => d.Keys).Any(reason => !reasons.Contains(reason));
        IReadOnlyList<string> columns = [.. reasons.Select(r => DeclineLabels.GetValueOrDefault(r, r)), .. (unknown ? new[] { "Reden onbekend" } : Array.Empty<string>())];
        return ByProvider(DigestTableIds.DeclinedByProviderReason, "Afgewezen verwijzingen per aanbieder en reden", columns, providers, declined,
            reason => reasons.Contains(reason) ? reasons.ToList().IndexOf(reason) : reasons.Count);
    }

    private static CountTable Trend(
        string id, string title, string rowHeader, IReadOnlyList<string> months, IReadOnlyList<(string Key, string Label)> rows,
        IReadOnlyDictionary<string, MonthTotals> totals, Func<MonthTotals, IReadOnlyDictionary<string, int>> of) =>
        new(id, title, rowHeader, months, rows.Select(r => new CountRow(r.Key, r.Label,
            months.Select(m => totals.TryGetValue(m, out var t) ? of(t).GetValueOrDefault(r.Key) : 0).ToArray())).ToArray());
}
