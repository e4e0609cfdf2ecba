using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Instroom;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The month tallies (<see cref="MonthTally"/>) as rows of the instroom table, next to the meldingen
/// they count: a write of a melding (its record, a status move) is submitted in one entity-group
/// transaction with the change it makes to its month's counts, so the counts can never miss a write
/// nor count one twice.
/// </summary>
/// <remarks>
/// Many writers at once must not fight over one counter row (a compare-and-set would make them retry,
/// and reading the row first would cost every melding a request more). So each writer adds to rows
/// of its own: this process has <see cref="Slots"/> slots, one write at a time each, and a slot
/// writes to <c>~tally|{month}|{process}-{slot}|{UTC hour}|{n}</c> in the melding's partition. Nobody
/// else writes a slot's rows, so the slot knows their counts and version without reading them: a
/// write is the one transaction it would be without the tally. The hour (and <c>n</c>, when a row
/// grows past <see cref="MaxChars"/>) keeps every row small, so a write never carries much more
/// than the melding itself. A month's tally is the sum of its rows: a few per slot and hour that
/// saw writes, against one entity per melding (docs/performance.md, "Digest compilation").
/// </remarks>
public sealed class TallyRows(TableClient table, TimeProvider time)
{
    /// <summary>Sorts after every melding's RowKey (<c>{yyyy-MM-dd}:{id}</c>), so no day range of the instroom reads a tally row.</summary>
    public const string RowPrefix = "~tally|";

    /// <summary>Writes of this process at once; more wait for a free slot.</summary>
    public const int Slots = 8;

    /// <summary>
    /// A row whose counts would outgrow this continues in the next (a string property holds 32K UTF-16
    /// characters): each write carries its row whole, so the bound keeps a write near the size of the
    /// melding it comes with, while a month still has few rows (an hour's counts of one writer are a few
    /// thousand characters).
    /// </summary>
    public const int MaxChars = 8_000;

    private readonly string _process = RandomNumberGenerator.GetHexString(8, lowercase: true);
    private readonly SemaphoreSlim _free = new(Slots);
    private readonly ConcurrentStack<Slot> _slots = new(Enumerable.Range(0, Slots).Reverse().Select(i => new Slot(i)));

    /// <summary>
    /// Submits <paramref name="change"/> (a melding's write, in partition <paramref name="partition"/>)
    /// with <paramref name="counts"/> added to the tally of <paramref name="month"/>, in one transaction.
    /// False when the change was refused for its own condition (the entity exists, or moved on from the
    /// version it names), and then the tally did not change either.
    /// </summary>
    public async Task<bool> SubmitAsync(
        string partition, string month, TableTransactionAction change, IEnumerable<KeyValuePair<string, int>> counts, CancellationToken cancellationToken)
    {
        var delta = counts.ToArray();
        await _free.WaitAsync(cancellationToken);
        _slots.TryPop(out var slot);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var row = slot!.RowFor(partition, month, time.GetUtcNow(), _process);
                var sum = MonthTally.From(row.Counts);
                sum.Add(delta);
                var json = Serialize(sum);
                if (json.Length > MaxChars && row.Counts.Count > 0)
                {
                    row = slot.Next(row);
                    sum = MonthTally.From(delta);
                    json = Serialize(sum);
                }

                var entity = new TableEntity(partition, row.RowKey) { ["Counts"] = json };
                TableTransactionAction add = row.Version is { } version
                    ? new(TableTransactionActionType.UpdateReplace, entity, version)
                    : new(TableTransactionActionType.Add, entity);
                try
                {
                    var response = await table.SubmitTransactionAsync([change, add], cancellationToken);
                    row.Saved(sum.Counts, response.Value[1].Headers.ETag);
                    return true;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 409 or 412)
                {
                    return false;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status is 409 or 412 && attempt < 3)
                {
                    // What the slot knew of its row is behind: a write whose answer was lost (and retried
                    // by the client) did land. Read the row as it is and add to that.
                    await slot.ReloadAsync(table, row, cancellationToken);
                }
            }
        }
        finally
        {
            _slots.Push(slot!);
            _free.Release();
        }
    }

    /// <summary>The queries of the tally rows of <paramref name="month"/> in the partitions named: one each, a RowKey range.</summary>
    public static IReadOnlyList<string> Queries(string month, IEnumerable<string> partitions) =>
        partitions.Select(partition => TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MonthPrefix(month)} and RowKey lt {MonthEnd(month)}")).ToArray();

    /// <summary>The month's tally: every row the <paramref name="queries"/> (<see cref="Queries"/>) read, summed.</summary>
    public async Task<MonthTally> ReadAsync(IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        var rows = await Task.WhenAll(queries.Select(async filter =>
        {
            var counts = new List<Dictionary<string, int>>();
            await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["Counts"], cancellationToken: cancellationToken))
            {
                counts.Add(Deserialize(e));
            }

            return counts;
        }));

        return MonthTally.From(rows.SelectMany(r => r).SelectMany(c => c));
    }

    private static string MonthPrefix(string month) => $"{RowPrefix}{month}|";

    /// <summary>The first RowKey after every row of the month (<c>}</c> follows <c>|</c>).</summary>
    private static string MonthEnd(string month) => $"{RowPrefix}{month}}}";

    private static string Serialize(MonthTally tally) => JsonSerializer.Serialize(tally.Counts.ToDictionary(), InstroomJson.Default.DictionaryStringInt32);

    private static Dictionary<string, int> Deserialize(TableEntity e) =>
        JsonSerializer.Deserialize(e.GetString("Counts") ?? "{}", InstroomJson.Default.DictionaryStringInt32)!;

    /// <summary>One writer: its current row per partition and month, as it last wrote it.</summary>
    private sealed class Slot(int number)
    {
        private readonly Dictionary<(string Partition, string Month), Row> _rows = [];

        public Row RowFor(string partition, string month, DateTimeOffset now, string process)
        {
            var hour = now.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
            if (!_rows.TryGetValue((partition, month), out var row) || row.Hour != hour)
            {
                row = new Row(partition, month, $"{process}-{number}", hour, 0);
                _rows[(partition, month)] = row;
            }

            return row;
        }

        public Row Next(Row full)
        {
            var next = new Row(full.Partition, full.Month, full.Writer, full.Hour, full.Sequence + 1);
            _rows[(full.Partition, full.Month)] = next;
            return next;
        }

        public async Task ReloadAsync(TableClient table, Row row, CancellationToken cancellationToken)
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.Partition, row.RowKey, cancellationToken: cancellationToken);
            if (stored.HasValue)
            {
                row.Saved(Deserialize(stored.Value!), stored.Value!.ETag);
            }
            else
            {
                row.Saved(new Dictionary<string, int>(), null);
            }
        }
    }

    private sealed class Row(string partition, string month, string writer, string hour, int sequence)
    {
        public string Partition => partition;

        public string Month => month;

        public string Writer => writer;

        public string Hour => hour;

        public int Sequence => sequence;

        public string RowKey { get; } = $"{MonthPrefix(month)}{writer}|{hour}|{sequence.ToString(CultureInfo.InvariantCulture)}";

        public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

        /// <summary>The row's version when it exists; null for a row not written yet.</summary>
        public ETag? Version { get; private set; }

        public void Saved(IReadOnlyDictionary<string, int> counts, ETag? version)
        {
            Counts = counts;
            Version = version;
        }
    }
}
