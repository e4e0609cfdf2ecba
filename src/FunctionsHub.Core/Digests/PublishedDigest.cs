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
    PublishedTrend? Trend);

/// <summary>
/// A provider (or other subject) whose instroom is out of line. <paramref name="Actual"/> is a row
/// total of one of the digest's tables (which the threat model treats as known), published as
/// 0, <c>&lt;5</c> or the count; <paramref name="Expected"/> is the gemeente's own expectation, not a count of children.
/// </summary>
public sealed record PublishedFlag(string Subject, PublishedCell Actual, int Expected, string Finding)
{
    /// <summary>E.g. <c>BASTA!: &lt;5 referrals, expected 6: below 50 % for 3 months</c>.</summary>
    public string Text => $"{Subject}: {Actual.Text} referrals, expected {Expected.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Finding}";
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
    public static PublishedDigest Publish(
        string month,
        string gemeente,
        DateTimeOffset compiledAt,
        IReadOnlyList<CountTable> tables,
        IReadOnlyList<DigestFlag> flags,
        CountTable? trend)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(flags);
        var published = tables.Select(SmallCells.Protect).ToArray();
        var publishedFlags = flags.Select(f => new PublishedFlag(f.Subject, SmallCells.Cell(f.Actual), f.Expected, f.Finding)).ToArray();
        return new PublishedDigest(month, gemeente, compiledAt, published, publishedFlags, trend is null ? null : Trend(trend));
    }

    /// <summary>
    /// The compiled digest as published: every table protected (the trend of meldingen by feed among
    /// them), the referrals-by-provider trend as the chart, and a flag per provider whose instroom this
    /// month is below 50 % or above 150 % of what the gemeente expects. A flag's count is the provider's
    /// row total in <c>referrals-by-provider-kind</c>, a total the threat model treats as known; the
    /// three-month finding is said in words only, since its sum is not a total of any one table.
    /// The median time to first contact is compiled and stored but not published yet.
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
            digest.Table(DigestTableIds.TrendReferralsByProvider));
    }

    private static string Finding(ExpectedInstroom expected)
    {
        var month = expected.Flag == InstroomFlags.Below ? "below 50 %" : "above 150 %";
        return expected.FlagLast3Months == expected.Flag ? $"{month}, and over the last 3 months too" : $"{month} this month";
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
