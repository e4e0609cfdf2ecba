using System.Globalization;

namespace FunctionsHub.Core.Digests;

/// <summary>
/// The monthly instroom digest for the gemeente, as compiled and stored: counts of meldingen and
/// referrals (never anything about one child), not yet protected. Whoever shows it turns each
/// <see cref="CountTable"/> into a <see cref="PublishedTable"/> and protects the small numbers of
/// <see cref="Expected"/> and <see cref="ContactTimes"/> likewise; the raw digest is never answered.
/// </summary>
/// <param name="Month"><c>yyyy-MM</c>, a calendar month in <c>gemeente.timeZone</c>.</param>
/// <param name="CompiledAt">When it was compiled: the feedback figures are as reported by then.</param>
/// <param name="MeldingCount">Meldingen received in the month (the grand total of <c>meldingen-by-feed</c>).</param>
/// <param name="ReferralCount">Their referrals (the grand total of <c>referrals-by-provider-kind</c>).</param>
/// <param name="Tables">The breakdowns, ids in <see cref="DigestTableIds"/>, in that order.</param>
/// <param name="Expected">Per configured provider: its instroom against <c>expectedMonthlyInstroom</c>.</param>
/// <param name="ContactTimes">Per provider: the median time to first contact.</param>
/// <param name="TrendMonths">The 12 months of the trend tables, oldest first, ending with <paramref name="Month"/>.</param>
public sealed record InstroomDigest(
    string Month,
    DateTimeOffset CompiledAt,
    int MeldingCount,
    int ReferralCount,
    IReadOnlyList<CountTable> Tables,
    IReadOnlyList<ExpectedInstroom> Expected,
    IReadOnlyList<ContactTime> ContactTimes,
    IReadOnlyList<string> TrendMonths)
{
    public CountTable? Table(string id) => Tables.FirstOrDefault(t => t.Id == id);
}

/// <summary>
/// A provider's referrals against what the gemeente expects (<c>expectedMonthlyInstroom</c>), this
/// month and over the last three (this one and the two before), each with its flag.
/// </summary>
/// <param name="Expected">Null when the provider has no expectation configured (then the flags are <see cref="InstroomFlags.NoExpectation"/>).</param>
/// <param name="Flag">One of <see cref="InstroomFlags"/>: below 50 %, above 150 % of <paramref name="Expected"/>, or within.</param>
/// <param name="ExpectedLast3Months">Three times <paramref name="Expected"/>.</param>
public sealed record ExpectedInstroom(
    string ProviderId,
    string ProviderName,
    int Referrals,
    int? Expected,
    string Flag,
    int ReferralsLast3Months,
    int? ExpectedLast3Months,
    string FlagLast3Months);

public static class InstroomFlags
{
    public const string Below = "below";
    public const string Within = "within";
    public const string Above = "above";
    public const string NoExpectation = "no-expectation";

    /// <summary>Below 50 % or above 150 % of the expectation (both bounds inclusive of "within").</summary>
    public static string Of(int actual, int? expected) => expected switch
    {
        null => NoExpectation,
        { } e when actual * 2 < e => Below,
        { } e when actual * 2 > e * 3 => Above,
        _ => Within,
    };
}

/// <summary>
/// How long a provider took to first contact for the month's referrals it reported contact for:
/// the median of (first contact reported to have occurred) − (referral created), in hours to one decimal.
/// </summary>
/// <param name="Contacted">How many referrals the median is over; publish the median only when this is not small.</param>
/// <param name="MedianHoursToContact">Null when <paramref name="Contacted"/> is 0.</param>
public sealed record ContactTime(string ProviderId, string ProviderName, int Contacted, double? MedianHoursToContact);

/// <summary>The stable ids of the digest's tables (the CSV's <c>table</c> column, the JSON key), in the order compiled.</summary>
public static class DigestTableIds
{
    public const string MeldingenByFeed = "meldingen-by-feed";
    public const string MeldingenByPartner = "meldingen-by-partner";
    public const string MeldingenByWijk = "meldingen-by-wijk";
    public const string MeldingenByAge = "meldingen-by-age";
    public const string CategoryMentions = "category-mentions";
    public const string AcuteByFeed = "acute-by-feed";
    public const string MatchesByFeed = "matches-by-feed";
    public const string MatchFollowUp = "match-follow-up";
    public const string ConsentByFeed = "consent-by-feed";
    public const string RetractedByFeed = "retracted-by-feed";
    public const string ReferralsByProviderKind = "referrals-by-provider-kind";
    public const string ReferralsByProviderConsentBasis = "referrals-by-provider-consent-basis";
    public const string ReferralsByProviderStatus = "referrals-by-provider-status";
    public const string ContactByProvider = "contact-by-provider";
    public const string DeclinedByProviderReason = "declined-by-provider-reason";
    public const string TrendMeldingenByFeed = "trend-meldingen-by-feed";
    public const string TrendReferralsByProvider = "trend-referrals-by-provider";
}

/// <summary>A stored digest as listed: its month and when it was compiled, no figures.</summary>
public sealed record StoredDigest(string Month, DateTimeOffset CompiledAt);

/// <summary>Where the gemeente reads a month's digest, in each format (rendered, with small counts protected, by the publication side).</summary>
public sealed record DigestLinks(string Json, string Csv, string Html)
{
    public static DigestLinks For(string month) =>
        new($"/api/digests/{month}", $"/api/digests/{month}?format=csv", $"/api/digests/{month}?format=html");
}

/// <summary><c>GET /api/digests</c>: the months stored, newest first, with their links.</summary>
public sealed record DigestListing(IReadOnlyList<DigestListingItem> Digests);

public sealed record DigestListingItem(string Month, DateTimeOffset CompiledAt, DigestLinks Links);

/// <summary>
/// The answer to <c>POST /api/digests/{month}/compile</c>: which month, when, and where to read it.
/// No figures: the counts are read through the links, with small counts protected.
/// </summary>
public sealed record CompiledDigestAnswer(string Month, DateTimeOffset CompiledAt, DigestLinks Links);

/// <summary>
/// <c>digest.published</c> data for the gemeente's subscribers: a month's digest is ready, and where to
/// read it. No figures at all, so nothing about children travels in a notification.
/// </summary>
public sealed record DigestPublishedData(string Month, DateTimeOffset CompiledAt, DigestLinks Links);

/// <summary>A calendar month in the gemeente's time zone, as the UTC instants that bound it.</summary>
public sealed record DigestMonth(string Month, DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>The earliest month the hub compiles: older months are a typing error, not history.</summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>The month before the one <paramref name="now"/> falls in, in the gemeente.</summary>
    public static DigestMonth Previous(DateTimeOffset now, GemeenteCalendar calendar)
    {
        var previous = calendar.DateOf(now).AddMonths(-1);
        return Of(previous.Year, previous.Month, calendar);
    }

    /// <summary>The month <paramref name="now"/> falls in, in the gemeente.</summary>
    public static DigestMonth Current(DateTimeOffset now, GemeenteCalendar calendar)
    {
        var today = calendar.DateOf(now);
        return Of(today.Year, today.Month, calendar);
    }

    public static DigestMonth Parse(string month, GemeenteCalendar calendar)
    {
        var first = DateOnly.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);
        return Of(first.Year, first.Month, calendar);
    }

    /// <summary>A <c>yyyy-MM</c> text as a month, or null when it is not one (or before <see cref="Earliest"/>).</summary>
    public static DigestMonth? TryParse(string? month, GemeenteCalendar calendar) =>
        month is { Length: 7 }
        && DateOnly.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
        && first >= Earliest
            ? Of(first.Year, first.Month, calendar)
            : null;

    /// <summary>The month <paramref name="months"/> before (negative: after) this one.</summary>
    public DigestMonth Before(int months, GemeenteCalendar calendar)
    {
        var first = DateOnly.ParseExact(Month, "yyyy-MM", CultureInfo.InvariantCulture).AddMonths(-months);
        return Of(first.Year, first.Month, calendar);
    }

    private static DigestMonth Of(int year, int month, GemeenteCalendar calendar)
    {
        var (from, until) = calendar.MonthBounds(year, month);
        return new DigestMonth(new DateOnly(year, month, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture), from, until);
    }
}
