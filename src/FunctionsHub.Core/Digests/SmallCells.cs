namespace FunctionsHub.Core.Digests;

/// <summary>
/// Small-cell protection of one digest table (docs/decisions.md, "Digest publication").
/// <para>
/// What a reader is assumed to know (the threat model): every total of a table that sums two or more
/// cells (row totals when the table has two or more columns, column totals when it has two or more
/// rows, the grand total), exactly, whether published or not, because other tables and headline
/// figures of the same digest give them away; and what the labels mean: <c>&lt;5</c> is 1 to 4,
/// <c>×</c> is 5 or more (a zero is always published as 0 and a count from 1 to 4 always as
/// <c>&lt;5</c>, so a hidden cell can only be 5 or more). A "total" of a single cell is that cell,
/// and is published as the cell is.
/// </para>
/// <para>
/// The rule: counts from 1 to 4 show as <c>&lt;5</c> (primary suppression). Then the table is
/// audited: a suppressed cell is pinned when everything the reader knows allows it only one value.
/// While a cell is pinned, a published count of 5 or more is hidden as <c>×</c> (secondary
/// suppression): the smallest that unpins it on its own, else the next-smallest in its row or column,
/// else in the table; and the table is audited again. A hidden count that turns out to be pinned itself
/// protects nothing and is published after all, so that no suppressed cell of the result is pinned. When
/// nothing is left to hide and a cell is still pinned, the table is withheld: no rows are published,
/// only its totals, which the reader knows anyway.
/// </para>
/// </summary>
public static class SmallCells
{
    /// <summary>The smallest count that may be published as a number (other than 0).</summary>
    public const int Threshold = 5;

    public static PublishedTable Protect(CountTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var counts = Counts(table);
        int rows = counts.GetLength(0), columns = counts.GetLength(1);

        var shown = new CellShown[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                shown[i, j] = counts[i, j] is > 0 and < Threshold ? CellShown.LessThanFive : CellShown.Count;
            }
        }

        var withheld = false;
        while (SmallCellAudit.FirstPinned(counts, shown, CellShown.LessThanFive) is var (pi, pj))
        {
            if (NextToHide(counts, shown, pi, pj) is not var (hi, hj))
            {
                withheld = true;
                break;
            }

            shown[hi, hj] = CellShown.Hidden;
        }

        // A hidden count that the reader can still work out protects nothing (and is 5 or more): it is
        // published after all. That leaves what the reader can derive unchanged, so no other cell moves.
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (shown[i, j] == CellShown.Hidden && SmallCellAudit.IsPinned(counts, shown, i, j))
                {
                    shown[i, j] = CellShown.Count;
                }
            }
        }

        return Publish(table, counts, shown, withheld);
    }

    /// <summary>
    /// Whether <see cref="Protect"/> withheld the table: it has no rows as published although it had
    /// counts (a compiled table without rows, or all zeros, is never withheld).
    /// </summary>
    public static bool IsWithheld(PublishedTable table) =>
        table.Rows.Count == 0 && table.GrandTotal is not { Shown: CellShown.Count, Count: 0 };

    /// <summary>A single count as published on its own: 0, <c>&lt;5</c> or the count.</summary>
    public static PublishedCell Cell(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count is > 0 and < Threshold ? new PublishedCell(CellShown.LessThanFive, null) : new PublishedCell(CellShown.Count, count);
    }

    private static int[,] Counts(CountTable table)
    {
        var counts = new int[table.Rows.Count, table.Columns.Count];
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            if (row.Counts.Count != table.Columns.Count)
            {
                throw new ArgumentException($"Row {row.Key} of table {table.Id} has {row.Counts.Count} counts for {table.Columns.Count} columns.", nameof(table));
            }

            for (var j = 0; j < table.Columns.Count; j++)
            {
                counts[i, j] = row.Counts[j] >= 0 ? row.Counts[j] : throw new ArgumentException($"Table {table.Id} has a negative count.", nameof(table));
            }
        }

        return counts;
    }

    // Which published count of 5 or more to hide next for a pinned cell: the smallest that unpins it on
    // its own (typically the corner that closes a cycle of hidden cells); failing that, the smallest
    // in its row or column, then anywhere (it can still help through a longer cycle). Ties: reading
    // order, so the result is deterministic.
    private static (int Row, int Column)? NextToHide(int[,] counts, CellShown[,] shown, int pinnedRow, int pinnedColumn)
    {
        var candidates = new List<(int Row, int Column)>();
        for (var i = 0; i < counts.GetLength(0); i++)
        {
            for (var j = 0; j < counts.GetLength(1); j++)
            {
                if (shown[i, j] == CellShown.Count && counts[i, j] >= Threshold)
                {
                    candidates.Add((i, j));
                }
            }
        }

        var bySize = candidates.OrderBy(c => counts[c.Row, c.Column]).ToList();

        // A cell can only unpin another on its own if a change to it can be balanced within every known
        // total: by another suppressed cell in its row (when row totals are known, i.e. 2+ columns) and
        // in its column (when column totals are known, i.e. 2+ rows). The others are not tried.
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        bool RowCanBalance(int i) => columns == 1 || Enumerable.Range(0, columns).Any(j => shown[i, j] != CellShown.Count);
        bool ColumnCanBalance(int j) => rows == 1 || Enumerable.Range(0, rows).Any(i => shown[i, j] != CellShown.Count);
        foreach (var (i, j) in bySize.Where(c => RowCanBalance(c.Row) && ColumnCanBalance(c.Column)))
        {
            shown[i, j] = CellShown.Hidden;
            var unpins = !SmallCellAudit.IsPinned(counts, shown, pinnedRow, pinnedColumn);
            shown[i, j] = CellShown.Count;
            if (unpins)
            {
                return (i, j);
            }
        }

        var inLine = bySize.Where(c => c.Row == pinnedRow || c.Column == pinnedColumn).ToList();
        return inLine.Count > 0 ? inLine[0] : bySize.Count > 0 ? bySize[0] : null;
    }

    private static PublishedTable Publish(CountTable table, int[,] counts, CellShown[,] shown, bool withheld)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        PublishedCell CellAt(int i, int j) => shown[i, j] == CellShown.Count ? new PublishedCell(CellShown.Count, counts[i, j]) : new PublishedCell(shown[i, j], null);

        // A total of two or more cells is known to the reader anyway, so it is published (as <5 when 1..4);
        // the total of a single cell is that cell, published as the cell is.
        var publishedRows = new List<PublishedRow>();
        if (!withheld)
        {
            for (var i = 0; i < rows; i++)
            {
                var cells = Enumerable.Range(0, columns).Select(j => CellAt(i, j)).ToArray();
                var total = columns == 1 ? cells[0] : Cell(Enumerable.Range(0, columns).Sum(j => counts[i, j]));
                publishedRows.Add(new PublishedRow(table.Rows[i].Key, table.Rows[i].Label, cells, total));
            }
        }

        // Withheld, a single-cell total is hidden with its cell.
        PublishedCell Single(int i, int j) => withheld ? new PublishedCell(CellShown.Hidden, null) : CellAt(i, j);
        var columnTotals = Enumerable.Range(0, columns)
            .Select(j => rows == 1 ? Single(0, j) : Cell(Enumerable.Range(0, rows).Sum(i => counts[i, j])))
            .ToArray();
        var grandTotal = rows * columns == 1 ? Single(0, 0) : Cell(counts.Cast<int>().Sum());
        return new PublishedTable(table.Id, table.Title, table.RowHeader, table.Columns, publishedRows, columnTotals, grandTotal);
    }
}
