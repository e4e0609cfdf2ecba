using System.Diagnostics;
using CsCheck;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Core.Tests.Digests;

public sealed class SmallCellsTests
{
    private static CountTable Table(params int[][] rows) =>
        new("t", "T", "Row", Enumerable.Range(0, rows[0].Length).Select(j => $"c{j}").ToArray(),
            rows.Select((r, i) => new CountRow($"r{i}", $"Row {i}", r)).ToArray());

    private static string[][] Texts(PublishedTable table) => table.Rows.Select(r => r.Cells.Select(c => c.Text).ToArray()).ToArray();

    [Fact]
    public void Counts_from_1_to_4_read_less_than_five_zeros_stay_zero_and_the_rest_is_shown_when_nothing_can_be_derived()
    {
        // Every <5 cell has another <5 cell in its row and column with room to move: 2+3 and 3+2 both fit.
        var published = SmallCells.Protect(Table([2, 3, 10], [3, 2, 10], [0, 0, 7]));

        Assert.Equal([["<5", "<5", "10"], ["<5", "<5", "10"], ["0", "0", "7"]], Texts(published));
        Assert.Equal(["15", "15", "7"], published.Rows.Select(r => r.Total.Text));
        Assert.Equal(["5", "5", "27"], published.ColumnTotals.Select(c => c.Text));
        Assert.Equal("37", published.GrandTotal.Text);
    }

    [Fact]
    public void A_lone_small_cell_is_protected_by_hiding_the_next_smallest_cells_of_its_row_and_column()
    {
        // 3 alone would follow from its row total 3 + 7 + 20; hiding 7 (row) and 6 (column) and their corner leaves a cycle.
        var published = SmallCells.Protect(Table([3, 7, 20], [6, 9, 30], [40, 50, 60]));

        Assert.Equal([["<5", "×", "20"], ["×", "×", "30"], ["40", "50", "60"]], Texts(published));
        Assert.Equal(["30", "45", "150"], published.Rows.Select(r => r.Total.Text));
    }

    [Fact]
    public void In_a_one_column_table_the_row_totals_are_the_cells_and_only_the_grand_total_is_known()
    {
        var published = SmallCells.Protect(Table([3], [7], [12]));

        Assert.Equal([["<5"], ["×"], ["12"]], Texts(published));
        Assert.Equal(["<5", "×", "12"], published.Rows.Select(r => r.Total.Text));
        Assert.Equal("22", published.GrandTotal.Text);
    }

    [Fact]
    public void A_table_whose_small_cell_cannot_be_protected_is_withheld_with_only_its_totals()
    {
        // The row total 3 lies wholly in the first column: no cell can be hidden to blur that.
        var published = SmallCells.Protect(Table([3, 0], [10, 12]));

        Assert.True(SmallCells.IsWithheld(published));
        Assert.Empty(published.Rows);
        Assert.Equal(["13", "12"], published.ColumnTotals.Select(c => c.Text));
        Assert.Equal("25", published.GrandTotal.Text);
    }

    [Fact]
    public void Two_ones_that_make_a_row_total_of_2_are_pinned_and_the_table_is_withheld()
    {
        Assert.True(SmallCells.IsWithheld(SmallCells.Protect(Table([1, 1], [20, 30]))));
    }

    [Fact]
    public void An_empty_table_and_a_table_of_zeros_are_not_withheld()
    {
        Assert.False(SmallCells.IsWithheld(SmallCells.Protect(new CountTable("t", "T", "Row", ["a"], []))));
        Assert.False(SmallCells.IsWithheld(SmallCells.Protect(Table([0, 0], [0, 0]))));
    }

    [Fact]
    public void The_largest_digest_table_is_protected_within_seconds()
    {
        // 40 rows × 6 columns with a small count in every other row: the worst shape the digest has.
        var rows = Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 6).Select(j => (i + j) % 7 == 0 ? 1 + (i % 4) : 5 + ((i * 7 + j * 3) % 40)).ToArray()).ToArray();
        var clock = Stopwatch.StartNew();
        var published = SmallCells.Protect(Table(rows));

        // A guard against an exponential slip, not a benchmark: the machine may be busy.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.False(SmallCells.IsWithheld(published));
        Assert.Contains(published.Rows.SelectMany(r => r.Cells), c => c.Shown == CellShown.Hidden);
    }

    private static readonly Gen<int> SmallCount = Gen.Frequency((3, Gen.Int[0, 0]), (4, Gen.Int[1, 4]), (3, Gen.Int[5, 9]));

    private static readonly Gen<int[][]> SmallTables =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 3]).SelectMany((rows, columns) => SmallCount.Array[columns].Array[rows]);

    [Fact]
    public void No_suppressed_cell_of_a_random_small_table_can_be_recovered_from_what_is_published_and_the_totals()
    {
        var withheld = 0;
        var protectedTables = 0;
        var withSecondary = 0;
        SmallTables.Sample(rows =>
        {
            var table = Table(rows);
            var published = SmallCells.Protect(table);

            AssertLabelsAreHonest(table, published);
            if (SmallCells.IsWithheld(published))
            {
                Interlocked.Increment(ref withheld);
                return;
            }

            Interlocked.Increment(ref protectedTables);
            if (published.Rows.Any(r => r.Cells.Any(c => c.Shown == CellShown.Hidden)))
            {
                Interlocked.Increment(ref withSecondary);
            }

            foreach (var (cell, values) in Enumerate.Values(published, table))
            {
                Assert.True(values.Count >= 2, $"Cell {cell} of {Show(rows)} can only be {string.Join(",", values)} given {Show(published)}");
            }
        }, iter: 3000, threads: 1);

        Assert.True(protectedTables > 1000, $"only {protectedTables} tables were published, {withheld} withheld: the generator is too harsh");
        Assert.True(withSecondary > 200, $"only {withSecondary} tables needed a hidden count: the generator does not exercise secondary suppression");
    }

    private static void AssertLabelsAreHonest(CountTable table, PublishedTable published)
    {
        var cells = published.Rows.SelectMany(r => r.Cells.Append(r.Total)).Concat(published.ColumnTotals).Append(published.GrandTotal);
        Assert.All(cells, c => Assert.False(c is { Shown: CellShown.Count, Count: > 0 and < 5 }, "a count from 1 to 4 is published"));
        for (var i = 0; i < published.Rows.Count; i++)
        {
            for (var j = 0; j < table.Columns.Count; j++)
            {
                var (count, cell) = (table.Rows[i].Counts[j], published.Rows[i].Cells[j]);
                switch (cell.Shown)
                {
                    case CellShown.Count: Assert.Equal(count, cell.Count); break;
                    case CellShown.LessThanFive: Assert.InRange(count, 1, 4); break;
                    default: Assert.True(count >= 5, "× stands for 5 or more"); break;
                }

                if (count == 0)
                {
                    Assert.Equal(new PublishedCell(CellShown.Count, 0), cell);
                }
            }
        }
    }

    private static string Show(int[][] rows) => string.Join(" / ", rows.Select(r => string.Join(" ", r)));

    private static string Show(PublishedTable t) => string.Join(" / ", t.Rows.Select(r => string.Join(" ", r.Cells.Select(c => c.Text))));

    /// <summary>
    /// Brute force, independent of the production auditor: every integer table that agrees with the
    /// published cells (a number is that number, &lt;5 is 1..4, × is 5 or more) and with the totals the
    /// reader knows (row totals of 2+ columns, column totals of 2+ rows, the grand total), and for each
    /// suppressed cell the distinct values it takes. Stops as soon as every suppressed cell has two.
    /// </summary>
    private static class Enumerate
    {
        /// <returns>Per suppressed cell the values seen (collection stops at 2).</returns>
        public static List<((int Row, int Column) Cell, HashSet<int> Values)> Values(PublishedTable published, CountTable truth)
        {
            int m = truth.Rows.Count, n = truth.Columns.Count;
            var rowTotals = truth.Rows.Select(r => r.Counts.Sum()).ToArray();
            var columnTotals = Enumerable.Range(0, n).Select(j => truth.Rows.Sum(r => r.Counts[j])).ToArray();
            var grand = rowTotals.Sum();
            var suppressed = new List<(int I, int J)>();
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    if (published.Rows[i].Cells[j].Shown != CellShown.Count)
                    {
                        suppressed.Add((i, j));
                    }
                }
            }

            var seen = suppressed.Select(_ => new HashSet<int>()).ToList();
            var table = new int[m, n];
            var budget = 20_000_000;

            bool Done() => seen.All(s => s.Count >= 2);

            bool Fill(int k)
            {
                if (--budget < 0)
                {
                    throw new InvalidOperationException("Brute force budget exhausted: make the generated tables smaller.");
                }

                if (k == m * n)
                {
                    if ((n >= 2 && Enumerable.Range(0, m).Any(i => Enumerable.Range(0, n).Sum(j => table[i, j]) != rowTotals[i]))
                        || (m >= 2 && Enumerable.Range(0, n).Any(j => Enumerable.Range(0, m).Sum(i => table[i, j]) != columnTotals[j]))
                        || (m * n >= 2 && table.Cast<int>().Sum() != grand))
                    {
                        return false;
                    }

                    for (var s = 0; s < suppressed.Count; s++)
                    {
                        if (seen[s].Count < 2)
                        {
                            seen[s].Add(table[suppressed[s].I, suppressed[s].J]);
                        }
                    }

                    return Done();
                }

                var (ci, cj) = (k / n, k % n);
                var cell = published.Rows[ci].Cells[cj];
                var (low, high) = cell.Shown switch
                {
                    CellShown.Count => (cell.Count!.Value, cell.Count!.Value),
                    CellShown.LessThanFive => (1, 4),
                    _ => (5, m * n >= 2 ? grand : 5 + 1),
                };
                var rowSoFar = Enumerable.Range(0, cj).Sum(j => table[ci, j]);
                var columnSoFar = Enumerable.Range(0, ci).Sum(i => table[i, cj]);
                for (var v = low; v <= high; v++)
                {
                    if ((n >= 2 && rowSoFar + v > rowTotals[ci]) || (m >= 2 && columnSoFar + v > columnTotals[cj]) || (m * n >= 2 && v > grand))
                    {
                        break;
                    }

                    table[ci, cj] = v;
                    if (Fill(k + 1))
                    {
                        return true;
                    }
                }

                table[ci, cj] = 0;
                return false;
            }

            Fill(0);
            return suppressed.Select((cell, s) => (cell, seen[s])).ToList();
        }
    }
}
