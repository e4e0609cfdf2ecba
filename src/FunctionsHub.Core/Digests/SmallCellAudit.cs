namespace FunctionsHub.Core.Digests;

/// <summary>
/// The exact auditor of <see cref="SmallCells"/>: can a reader who knows the totals and the labels
/// (<c>&lt;5</c> is 1 to 4, <c>×</c> is 5 or more, a number is that number) pin a suppressed cell
/// down to one value?
/// <para>
/// The tables consistent with what the reader knows are the integer flows through a network
/// source → row i → column j → sink: the edge row i → column j carries cell (i, j), bounded to its
/// value when published, to [1, 4] for <c>&lt;5</c> and to [5, ∞) for <c>×</c>; the edge
/// source → row i is fixed to the row total and column j → sink to the column total where the reader
/// knows them (otherwise [0, ∞)), and sink → source to the grand total. That constraint matrix is a
/// network matrix, so it is totally unimodular: fixing one cell to a value keeps it so, and whenever
/// real (fractional) tables exist with the cell at an integer value, an integer table does too. The
/// values a cell can take therefore form an unbroken range of integers, and since the true table
/// is one of them, a cell is pinned exactly when neither its value + 1 nor its value − 1 is possible.
/// Each question is one feasible-flow check (lower bounds reduced to a max flow, as usual), so the
/// audit is exact, not a heuristic, and costs two small max flows per suppressed cell.
/// </para>
/// </summary>
public static class SmallCellAudit
{
    private const int Unbounded = 1 << 24;

    /// <summary>The first cell shown as <paramref name="kind"/> (reading order) that the reader can pin to one value, or null.</summary>
    public static (int Row, int Column)? FirstPinned(int[,] counts, CellShown[,] shown, CellShown kind)
    {
        for (var i = 0; i < counts.GetLength(0); i++)
        {
            for (var j = 0; j < counts.GetLength(1); j++)
            {
                if (shown[i, j] == kind && kind != CellShown.Count && IsPinned(counts, shown, i, j))
                {
                    return (i, j);
                }
            }
        }

        return null;
    }

    /// <summary>Whether cell (<paramref name="row"/>, <paramref name="column"/>) has a single value consistent with what is published and known.</summary>
    public static bool IsPinned(int[,] counts, CellShown[,] shown, int row, int column) =>
        !Feasible(counts, shown, row, column, counts[row, column] + 1) && !Feasible(counts, shown, row, column, counts[row, column] - 1);

    /// <summary>Whether some table consistent with what the reader knows has <paramref name="value"/> in the given cell.</summary>
    public static bool Feasible(int[,] counts, CellShown[,] shown, int row, int column, int value)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        const int source = 0, sink = 1;
        int RowNode(int i) => 2 + i;
        int ColumnNode(int j) => 2 + rows + j;
        var network = new LowerBoundedNetwork(2 + rows + columns);

        for (var i = 0; i < rows; i++)
        {
            var total = Enumerable.Range(0, columns).Sum(j => counts[i, j]);
            network.Add(source, RowNode(i), columns >= 2 ? total : 0, columns >= 2 ? total : Unbounded);
        }

        for (var j = 0; j < columns; j++)
        {
            var total = Enumerable.Range(0, rows).Sum(i => counts[i, j]);
            network.Add(ColumnNode(j), sink, rows >= 2 ? total : 0, rows >= 2 ? total : Unbounded);
        }

        var grand = counts.Cast<int>().Sum();
        network.Add(sink, source, rows * columns >= 2 ? grand : 0, rows * columns >= 2 ? grand : Unbounded);

        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var (low, high) = shown[i, j] switch
                {
                    CellShown.Count => (counts[i, j], counts[i, j]),
                    CellShown.LessThanFive => (1, SmallCells.Threshold - 1),
                    _ => (SmallCells.Threshold, Unbounded),
                };
                if (i == row && j == column)
                {
                    if (value < low || value > high)
                    {
                        return false;
                    }

                    (low, high) = (value, value);
                }

                network.Add(RowNode(i), ColumnNode(j), low, high);
            }
        }

        return network.HasFeasibleCirculation();
    }

    /// <summary>
    /// A circulation with lower and upper bounds per edge. Feasibility by the textbook reduction: each
    /// lower bound is sent up front (a surplus at its head, a deficit at its tail), and a max flow from a
    /// super source to a super sink must then move every surplus to a deficit. Dinic's max flow.
    /// </summary>
    private sealed class LowerBoundedNetwork(int nodes)
    {
        private readonly int[] _excess = new int[nodes];
        private readonly List<(int From, int To, int Capacity)> _edges = [];
        private bool _contradictory;

        public void Add(int from, int to, int low, int high)
        {
            if (low > high)
            {
                _contradictory = true;
                return;
            }

            _edges.Add((from, to, high - low));
            _excess[to] += low;
            _excess[from] -= low;
        }

        public bool HasFeasibleCirculation()
        {
            if (_contradictory)
            {
                return false;
            }

            var flow = new MaxFlow(nodes + 2);
            int superSource = nodes, superSink = nodes + 1;
            foreach (var (from, to, capacity) in _edges)
            {
                flow.AddEdge(from, to, capacity);
            }

            long needed = 0;
            for (var v = 0; v < nodes; v++)
            {
                if (_excess[v] > 0)
                {
                    flow.AddEdge(superSource, v, _excess[v]);
                    needed += _excess[v];
                }
                else if (_excess[v] < 0)
                {
                    flow.AddEdge(v, superSink, -_excess[v]);
                }
            }

            return flow.Run(superSource, superSink) == needed;
        }
    }

    private sealed class MaxFlow(int nodes)
    {
        private readonly List<int>[] _adjacent = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        private readonly List<int> _to = [];
        private readonly List<long> _capacity = [];
        private readonly int[] _level = new int[nodes];
        private readonly int[] _next = new int[nodes];

        public void AddEdge(int from, int to, long capacity)
        {
            _adjacent[from].Add(_to.Count);
            _to.Add(to);
            _capacity.Add(capacity);
            _adjacent[to].Add(_to.Count);
            _to.Add(from);
            _capacity.Add(0);
        }

        public long Run(int source, int sink)
        {
            long total = 0;
            while (Levels(source, sink))
            {
                Array.Clear(_next);
                long pushed;
                while ((pushed = Push(source, sink, long.MaxValue)) > 0)
                {
                    total += pushed;
                }
            }

            return total;
        }

        private bool Levels(int source, int sink)
        {
            Array.Fill(_level, -1);
            _level[source] = 0;
            var queue = new Queue<int>([source]);
            while (queue.TryDequeue(out var v))
            {
                foreach (var e in _adjacent[v])
                {
                    if (_capacity[e] > 0 && _level[_to[e]] < 0)
                    {
                        _level[_to[e]] = _level[v] + 1;
                        queue.Enqueue(_to[e]);
                    }
                }
            }

            return _level[sink] >= 0;
        }

        private long Push(int v, int sink, long limit)
        {
            if (v == sink)
            {
                return limit;
            }

            for (; _next[v] < _adjacent[v].Count; _next[v]++)
            {
                var e = _adjacent[v][_next[v]];
                if (_capacity[e] <= 0 || _level[_to[e]] != _level[v] + 1)
                {
                    continue;
                }

                var pushed = Push(_to[e], sink, Math.Min(limit, _capacity[e]));
                if (pushed > 0)
                {
                    _capacity[e] -= pushed;
                    _capacity[e ^ 1] += pushed;
                    return pushed;
                }
            }

            return 0;
        }
    }
}
