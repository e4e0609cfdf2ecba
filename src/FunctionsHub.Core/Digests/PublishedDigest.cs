namespace FunctionsHub.Core.Digests;

/// <summary>
/// The monthly digest as the gemeente reads it: every table after small-cell protection, flags in
/// words whose counts went through the same rule, and the 12-month trend. Everything the formats
/// (JSON, CSV, HTML) render comes from here, so nothing unprotected can reach them.
/// </summary>
/// <param name="Month"><c>yyyy-MM</c>.</param>
/// <param name="Gemeente">The gemeente's name, for the title.</param>
public sealed record PublishedDigest(
    string Month,
    string Gemeente,
    DateTimeOffset CompiledAt,
    IReadOnlyList<PublishedTable> Tables,
    IReadOnlyList<PublishedFlag> Flags,
    PublishedTrend? Trend,
    IReadOnlyList<PublishedFeedback> Feedback);

/// <summary>
/// What a provider's feedback says, per provider (SPEC's evaluation of output and outcome): shares read
/// off the protected tables, so they tell nothing their published cells do not, and the median time to
/// first contact only over 10 or more contacts (docs/decisions.md, "Digest publication").
/// </summary>
/// <param name="WithStatus">Share of its referrals with any status reported (<c>referrals-by-provider-status</c>).</param>
/// <param name="ContactedWithinPromise">
/// Share contacted within its promise, of its referrals whose promise has come to pass: contacted,
/// overdue or closed without contact (<c>contact-by-provider</c>; those still within the promise do not count).
/// </param>
/// <param name="MedianHoursToContact">Median hours from referral to first reported contact, whole hours.</param>
public sealed record PublishedFeedback(string ProviderId, string ProviderName, PublishedFigure WithStatus, PublishedFigure ContactedWithinPromise, PublishedFigure MedianHoursToContact);

/// <summary>A share or a median as published: <see cref="Value"/> only where shown.</summary>
/// <param name="Text">As a reader sees it: <c>83 %</c>, <c>12 u</c>, <c>—</c> (nothing to measure) or <c>×</c> (withheld).</param>
public sealed record PublishedFigure(string Text, double? Value)
{
    public static readonly PublishedFigure Nothing = new("—", null);

    public static readonly PublishedFigure Withheld = new("×", null);
}

/// <summary>
/// A provider (or other subject) whose instroom is out of line. <paramref name="Actual"/> is a row
/// total of one of the digest's tables (which the threat model treats as known), published as
/// 0, <c>&lt;5</c> or the count; <paramref name="Expected"/> is the gemeente's own expectation, not a count of children.
/// </summary>
public sealed record PublishedFlag(string Subject, PublishedCell Actual, int Expected, string Finding)
{
    /// <summary>In Dutch like the rest of the page, e.g. <c>BASTA!: &lt;5 verwijzingen, verwacht 6: onder 50 %, ook over de laatste 3 maanden</c>.</summary>
    public string Text => $"{Subject}: {Actual.Text} verwijzingen, verwacht {Expected.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Finding}";
}

/// <summary>A flag as compiled, before its count is published.</summary>
public sealed record DigestFlag(string Subject, int Actual, int Expected, string Finding);

/// <summary>Monthly series over the last 12 months (oldest first), protected together as one table of series × months.</summary>
public sealed record PublishedTrend(string Title, IReadOnlyList<string> Months, IReadOnlyList<PublishedSeries> Series);

/// <param name="Values">One published cell per month of <see cref="PublishedTrend.Months"/>.</param>
public sealed record PublishedSeries(string Key, string Label, IReadOnlyList<PublishedCell> Values);

/// <summary>
/// The seam between the digest as compiled and as published: the only way to a
/// <see cref="PublishedDigest"/>, so every count passes <see cref="SmallCells"/>.
/// </summary>
public static class DigestPublication
{
    /// <param name="tables">The digest's tables as compiled.</param>
    /// <param name="flags">Out-of-line subjects; their actual counts are published like a single count.</param>
    /// <param name="trend">Series (rows) by month (columns, oldest first), or null; protected as one table.</param>
    /// <param name="contactTimes">
    /// Per provider, its contacts and median time to first contact: with the tables <c>referrals-by-provider-status</c>
    /// and <c>contact-by-provider</c>, each provider's <see cref="PublishedFeedback"/>; none without.
    /// </param>
    public static PublishedDigest Publish(
        string month,
        string gemeente,
        DateTimeOffset compiledAt,
        IReadOnlyList<CountTable> tables,
        IReadOnlyList<DigestFlag> flags,
        CountTable? trend,
        IReadOnlyList<ContactTime>? contactTimes = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(flags);
        var published = tables.Select(SmallCells.Protect).ToArray();
        var publishedFlags = flags.Select(f => new PublishedFlag(f.Subject, SmallCells.Cell(f.Actual), f.Expected, f.Finding)).ToArray();
        return new PublishedDigest(month, gemeente, compiledAt, published, publishedFlags, trend is null ? null : Trend(trend), Feedback(published, contactTimes ?? []));
    }

    /// <summary>The least number of contacts a median time to first contact is published over: below it, it is nearly one family's time.</summary>
    public const int MedianMinimum = 10;

    /// <summary>
    /// The compiled digest as published: every table protected (the trend of meldingen by feed among
    /// them), the referrals-by-provider trend as the chart, and a flag per provider whose instroom this
    /// month is below 50 % or above 150 % of what the gemeente expects. A flag's count is the provider's
    /// row total in <c>referrals-by-provider-kind</c>, a total the threat model treats as known; the
    /// three-month finding is said in words only, since its sum is not a total of any one table. Then
    /// each provider's feedback (<see cref="PublishedFeedback"/>).
    /// </summary>
    public static PublishedDigest Publish(InstroomDigest digest, string gemeente)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var flags = digest.Expected
            .Where(e => e.Expected is not null && e.Flag is InstroomFlags.Below or InstroomFlags.Above)
            .Select(e => new DigestFlag(e.ProviderName, e.Referrals, e.Expected!.Value, Finding(e)))
            .ToArray();
        return Publish(
            digest.Month,
            gemeente,
            digest.CompiledAt,
            digest.Tables.Where(t => t.Id != DigestTableIds.TrendReferralsByProvider).ToArray(),
            flags,
            digest.Table(DigestTableIds.TrendReferralsByProvider),
            digest.ContactTimes);
    }

    /// <summary>
    /// Per provider row of the published status and contact tables: a share only where every cell it is
    /// computed from is published as a count (then it adds nothing to them), <c>×</c> otherwise; the
    /// median only over <see cref="MedianMinimum"/> or more contacts, rounded to whole hours.
    /// </summary>
    private static PublishedFeedback[] Feedback(IReadOnlyList<PublishedTable> tables, IReadOnlyList<ContactTime> contactTimes)
    {
        var statuses = tables.FirstOrDefault(t => t.Id == DigestTableIds.ReferralsByProviderStatus);
        var contacts = tables.FirstOrDefault(t => t.Id == DigestTableIds.ContactByProvider);
        if (statuses is null || contacts is null)
        {
            return [];
        }

        return contactTimes.Select(time =>
        {
            var status = statuses.Rows.FirstOrDefault(r => r.Key == time.ProviderId);
            var contact = contacts.Rows.FirstOrDefault(r => r.Key == time.ProviderId);

            // Column 0 of the status table: no status; of the contact table: 0 within the promise, 3 still within it.
            var withStatus = status is null ? PublishedFigure.Withheld : Share(Number(status.Total) - Number(status.Cells[0]), Number(status.Total));
            var withinPromise = contact is null ? PublishedFigure.Withheld : Share(Number(contact.Cells[0]), Number(contact.Total) - Number(contact.Cells[3]));
            var median = time.MedianHoursToContact is not { } hours
                ? PublishedFigure.Nothing
                : time.Contacted < MedianMinimum
                    ? PublishedFigure.Withheld
                    : new PublishedFigure($"{Math.Round(hours, MidpointRounding.AwayFromZero).ToString(System.Globalization.CultureInfo.InvariantCulture)} u", Math.Round(hours, MidpointRounding.AwayFromZero));
            return new PublishedFeedback(time.ProviderId, time.ProviderName, withStatus, withinPromise, median);
        }).ToArray();
    }

    /// <summary>The count of a cell published as a number, else null (which every sum or difference with it is too).</summary>
    private static int? Number(PublishedCell cell) => cell.Shown == CellShown.Count ? cell.Count : null;

    /// <summary>A share of published numbers: <c>—</c> when there is nothing to divide by, <c>×</c> when a count it needs is not published.</summary>
    private static PublishedFigure Share(int? part, int? whole)
    {
        if (whole == 0)
        {
            return PublishedFigure.Nothing;
        }

        if (part is not { } p || whole is not { } w)
        {
            return PublishedFigure.Withheld;
        }

        var percent = Math.Round(100.0 * p / w, MidpointRounding.AwayFromZero);
        return new PublishedFigure($"{percent.ToString(System.Globalization.CultureInfo.InvariantCulture)} %", percent);
    }

    private static string Finding(ExpectedInstroom expected)
    {
        var month = expected.Flag == InstroomFlags.Below ? "onder 50 %" : "boven 150 %";
        return expected.FlagLast3Months == expected.Flag ? $"{month}, ook over de laatste 3 maanden" : $"{month}, alleen deze maand";
    }

    private static PublishedTrend Trend(CountTable trend)
    {
        var protectedTrend = SmallCells.Protect(trend);
        return new PublishedTrend(
            trend.Title,
            trend.Columns,
            protectedTrend.Rows.Select(r => new PublishedSeries(r.Key, r.Label, r.Cells)).ToArray());
    }
}
