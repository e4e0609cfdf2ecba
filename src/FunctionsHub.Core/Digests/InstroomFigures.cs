using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Digests;

/// <summary>
/// What the trend needs of one month: meldingen per feed and referrals per provider. Taken from the
/// month's stored digest where there is one, otherwise counted from the month's instroom.
/// </summary>
public sealed record MonthTotals(string Month, IReadOnlyDictionary<string, int> MeldingenByFeed, IReadOnlyDictionary<string, int> ReferralsByProvider)
{
    public static MonthTotals Of(string month, IReadOnlyCollection<RoutedMelding> meldingen) =>
        new(month,
            meldingen.GroupBy(m => m.Feed, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            meldingen.SelectMany(m => m.Referrals).GroupBy(r => r.ProviderId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

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

    private enum Contact
    {
        WithinPromise,
        AfterPromise,
        Overdue,
        PromiseRunning,
        ClosedWithoutContact,
    }

    /// <param name="earlier">Totals of the eleven months before <paramref name="month"/>, any order; a month missing counts as none.</param>
    /// <param name="asOf">The moment the feedback is judged at (the compilation): overdue means the promise passed before it without contact.</param>
    public static InstroomDigest Compile(
        DigestMonth month, IReadOnlyList<RoutedMelding> meldingen, IReadOnlyCollection<MonthTotals> earlier, HubDocument document, DateTimeOffset asOf, GemeenteCalendar calendar)
    {
        var referrals = meldingen.SelectMany(m => m.Referrals).ToArray();
        var feeds = FeedRows(meldingen.Select(m => m.Feed));
        var providers = ProviderRows(document, referrals.Select(r => r.ProviderId).Concat(earlier.SelectMany(t => t.ReferralsByProvider.Keys)));
        var trendMonths = Enumerable.Range(0, 12).Select(k => month.Before(11 - k, calendar).Month).ToArray();
        var totals = earlier.Where(t => t.Month != month.Month).GroupBy(t => t.Month).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        totals[month.Month] = MonthTotals.Of(month.Month, meldingen);
        var declineReasons = ReferralLifecycle.ReasonsFor(ReferralStatus.Declined);
        var contacts = referrals.Select(r => (Referral: r, Contact: ContactOf(r, asOf), ContactedAt: ContactedAt(r))).ToArray();

        List<CountTable> tables =
        [
            Single(DigestTableIds.MeldingenByFeed, "Meldingen per feed", "Feed", "Meldingen", feeds, meldingen.Select(m => m.Feed)),
            Single(DigestTableIds.MeldingenByPartner, "Meldingen per partner", "Partner", "Meldingen",
                Rows(document.Partners.Select(p => (p.Id, p.Name)), meldingen.Select(m => m.PartnerId)), meldingen.Select(m => m.PartnerId)),
            Single(DigestTableIds.MeldingenByWijk, "Meldingen per wijk", "Wijk", "Meldingen",
                [.. Rows(document.Wijken.Select(w => (w.Id, w.Name)), meldingen.Select(m => m.Wijk).OfType<string>()), (UnknownWijk, "Onbekende wijk")],
                meldingen.Select(m => m.Wijk ?? UnknownWijk)),
            Single(DigestTableIds.MeldingenByAge, "Meldingen per leeftijd (jaren)", "Leeftijd", "Meldingen", AgeRows(meldingen),
                meldingen.Select(m => AgeBand(m.AgeYears))),
            Single(DigestTableIds.CategoryMentions, "Categorieën (vermeldingen: een melding kan er meer hebben)", "Categorie", "Vermeldingen",
                Rows(Taxonomy.Categories.Select(c => (c, c)), meldingen.SelectMany(m => m.Categories)),
                meldingen.SelectMany(m => m.Categories.Distinct(StringComparer.Ordinal))),
            ByColumns(DigestTableIds.AcuteByFeed, "Acute meldingen per feed", "Feed", ["Acuut", "Niet acuut"], feeds, meldingen, m => m.Feed,
                m => m.Urgency == Urgencies.Acute ? 0 : 1),
            ByColumns(DigestTableIds.MatchesByFeed, "Matches per feed (meldingen over een kind dat een andere organisatie binnen 12 maanden meldde)", "Feed",
                ["Match", "Geen match"], feeds, meldingen, m => m.Feed, m => m.Matched ? 0 : 1),
            ByColumns(DigestTableIds.ConsentByFeed, "Toestemming per feed (met toestemming: minstens één verwijzing op toestemming van ouders)", "Feed",
                ["Met toestemming", "Zonder toestemming"], feeds, meldingen, m => m.Feed,
                m => m.Referrals.Any(r => r.ConsentBasis == ConsentBases.ParentalConsent) ? 0 : 1),
            ByColumns(DigestTableIds.ReferralsByProviderKind, "Verwijzingen per aanbieder en soort", "Aanbieder", ["Verwijzing", "Zorgsignaal"], providers,
                referrals, r => r.ProviderId, r => r.Kind == ReferralKinds.Referral ? 0 : 1),
            ByColumns(DigestTableIds.ReferralsByProviderConsentBasis, "Verwijzingen per aanbieder en grondslag", "Aanbieder",
                ["Toestemming ouders", "Acute veiligheid", "Geen (zorgsignaal)"], providers, referrals, r => r.ProviderId,
                r => r.ConsentBasis switch { ConsentBases.ParentalConsent => 0, ConsentBases.AcuteSafety => 1, _ => 2 }),
            ByColumns(DigestTableIds.ReferralsByProviderStatus, "Verwijzingen per aanbieder en laatst gemelde status", "Aanbieder",
                ["Geen status", .. Statuses.Select(s => StatusLabels[s])], providers, referrals, r => r.ProviderId,
                r => r.Status is { } s ? 1 + Array.IndexOf(Statuses, s) : 0),
            ByColumns(DigestTableIds.ContactByProvider, "Eerste contact per aanbieder (termijn: de belofte van de aanbieder)", "Aanbieder",
                ["Contact binnen termijn", "Contact na termijn", "Zonder contact, termijn verstreken", "Zonder contact, binnen termijn", "Afgesloten zonder contact"],
                providers, contacts, c => c.Referral.ProviderId, c => (int)c.Contact),
            DeclinedTable(providers, referrals, declineReasons),
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

        var hoursByProvider = contacts.Where(c => c.ContactedAt is not null)
            .ToLookup(c => c.Referral.ProviderId, c => (c.ContactedAt!.Value - c.Referral.CreatedAt).TotalHours, StringComparer.Ordinal);
        var contactTimes = providers.Select(p =>
        {
            var hours = hoursByProvider[p.Key].Order().ToArray();
            return new ContactTime(p.Key, p.Label, hours.Length, Median(hours));
        }).ToArray();

        return new InstroomDigest(month.Month, asOf, meldingen.Count, referrals.Length, tables, expected, contactTimes, trendMonths);
    }

    /// <summary>When contact was first reported; for a row from before <c>ContactedAt</c> was kept, the time of a later step (an upper bound).</summary>
    private static DateTimeOffset? ContactedAt(ReferralRecord r) =>
        r.ContactedAt ?? (r.Status is { } s && ReferralLifecycle.MeansContact(s) ? r.StatusAt : null);

    private static Contact ContactOf(ReferralRecord r, DateTimeOffset asOf) => ContactedAt(r) switch
    {
        { } at => at <= r.RespondBefore ? Contact.WithinPromise : Contact.AfterPromise,
        null when r.Status is { } s && ReferralLifecycle.IsEnd(s) => Contact.ClosedWithoutContact,
        null => r.RespondBefore <= asOf ? Contact.Overdue : Contact.PromiseRunning,
    };

    private static double? Median(double[] sorted) => sorted.Length == 0
        ? null
        : Math.Round(sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2, 1, MidpointRounding.AwayFromZero);

    private static string AgeBand(int age) => AgeBands.FirstOrDefault(b => age >= b.From && age <= b.To).Key ?? "12+";

    private static IReadOnlyList<(string Key, string Label)> AgeRows(IReadOnlyList<RoutedMelding> meldingen)
    {
        List<(string, string)> rows = [.. AgeBands.Select(b => (b.Key, $"{b.From}–{b.To}"))];
        // Only when the gemeente raised maxAge beyond the target group: then the table still adds up.
        if (meldingen.Any(m => AgeBand(m.AgeYears) == "12+"))
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

    /// <summary>A table of one column: each key counts once in its row (keys without a row are not counted).</summary>
    private static CountTable Single(string id, string title, string rowHeader, string column, IReadOnlyList<(string Key, string Label)> rows, IEnumerable<string> keys)
    {
        var counts = keys.CountBy(k => k, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        return new(id, title, rowHeader, [column], rows.Select(r => new CountRow(r.Key, r.Label, [counts.GetValueOrDefault(r.Key)])).ToArray());
    }

    /// <summary>
    /// A table whose columns divide the items: each item counts once, in its row's column <paramref name="column"/>
    /// gives; one pass over the items (a month is 100,000 meldingen and twice the referrals).
    /// </summary>
    private static CountTable ByColumns<T>(
        string id, string title, string rowHeader, IReadOnlyList<string> columns, IReadOnlyList<(string Key, string Label)> rows,
        IEnumerable<T> items, Func<T, string> row, Func<T, int> column)
    {
        var counts = rows.ToDictionary(r => r.Key, _ => new int[columns.Count], StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (counts.TryGetValue(row(item), out var cells))
            {
                cells[column(item)]++;
            }
        }

        return new(id, title, rowHeader, columns, rows.Select(r => new CountRow(r.Key, r.Label, counts[r.Key])).ToArray());
    }

    private static CountTable DeclinedTable(IReadOnlyList<(string Key, string Label)> providers, IReadOnlyList<ReferralRecord> referrals, IReadOnlyList<string> reasons)
    {
        var declined = referrals.Where(r => r.Status == ReferralStatus.Declined).ToArray();
        // A reason code unknown here (or none: a row from before the code was kept) is counted as such rather than dropped.
        var unknown = declined.Any(r => r.StatusReason is null || !reasons.Contains(r.StatusReason));
        IReadOnlyList<string> columns = [.. reasons.Select(r => DeclineLabels.GetValueOrDefault(r, r)), .. (unknown ? new[] { "Reden onbekend" } : Array.Empty<string>())];
        return ByColumns(DigestTableIds.DeclinedByProviderReason, "Afgewezen verwijzingen per aanbieder en reden", "Aanbieder", columns, providers, declined,
            r => r.ProviderId, r => r.StatusReason is { } reason && reasons.Contains(reason) ? reasons.ToList().IndexOf(reason) : reasons.Count);
    }

    private static CountTable Trend(
        string id, string title, string rowHeader, IReadOnlyList<string> months, IReadOnlyList<(string Key, string Label)> rows,
        IReadOnlyDictionary<string, MonthTotals> totals, Func<MonthTotals, IReadOnlyDictionary<string, int>> of) =>
        new(id, title, rowHeader, months, rows.Select(r => new CountRow(r.Key, r.Label,
            months.Select(m => totals.TryGetValue(m, out var t) ? of(t).GetValueOrDefault(r.Key) : 0).ToArray())).ToArray());
}
