namespace FunctionsHub.Core.Digests;

/// <summary>
/// One table of the digest as compiled: counts of meldingen or referrals (never anything about one
/// child) by row and column, e.g. referrals by provider (rows) and kind (columns). Row, column and
/// grand totals are derived from the counts, never stored beside them. Small-cell protection turns it
/// into a <see cref="PublishedTable"/> before anyone sees it.
/// </summary>
/// <param name="Id">Stable, e.g. <c>meldingen-by-feed</c>: the CSV's <c>table</c> column and the JSON key.</param>
/// <param name="Title">For people, in Dutch or English as the gemeente reads it.</param>
/// <param name="RowHeader">What the rows are (e.g. "Provider").</param>
/// <param name="Columns">Column headings; a one-dimensional breakdown has one column ("Meldingen").</param>
public sealed record CountTable(string Id, string Title, string RowHeader, IReadOnlyList<string> Columns, IReadOnlyList<CountRow> Rows);

/// <param name="Key">Stable id of the row (a feed, partner, provider or wijk id, an age band, ...).</param>
/// <param name="Label">For people (a provider's name, "Onbekende wijk", "8–9").</param>
/// <param name="Counts">One count per column of the table.</param>
public sealed record CountRow(string Key, string Label, IReadOnlyList<int> Counts);

/// <summary>How a published cell reads: a count, <c>&lt;5</c> (a count from 1 to 4), or hidden to protect another cell.</summary>
public enum CellShown
{
    Count,
    LessThanFive,
    Hidden,
}

/// <summary>A cell as published: <paramref name="Count"/> only when <paramref name="Shown"/> is <see cref="CellShown.Count"/>.</summary>
public sealed record PublishedCell(CellShown Shown, int? Count)
{
    /// <summary>As a reader sees it: the number, <c>&lt;5</c>, or <c>×</c> (hidden).</summary>
    public string Text => Shown switch
    {
        CellShown.Count => Count!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CellShown.LessThanFive => "<5",
        _ => "×",
    };
}

public sealed record PublishedRow(string Key, string Label, IReadOnlyList<PublishedCell> Cells, PublishedCell Total);

/// <summary>A <see cref="CountTable"/> after small-cell protection, with its row, column and grand totals as published.</summary>
public sealed record PublishedTable(
    string Id,
    string Title,
    string RowHeader,
    IReadOnlyList<string> Columns,
    IReadOnlyList<PublishedRow> Rows,
    IReadOnlyList<PublishedCell> ColumnTotals,
    PublishedCell GrandTotal);
