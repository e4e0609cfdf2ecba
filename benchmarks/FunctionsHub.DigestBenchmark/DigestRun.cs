using FunctionsHub.Benchmarks;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using FunctionsHub.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsHub.DigestBenchmark;

/// <summary>
/// Seeds the instroom with a month of N routed meldingen (and N/10 in the months either side), then
/// times the compile of that month with the real adapters against raw scans on the same Azurite.
/// </summary>
public sealed class DigestRun(DigestOptions options, TableServiceClient service, RequestCount requests)
{
    private const string RawTable = "benchraw";
    private const string RawPartition = "p";
    private readonly StringBuilder _report = new();

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var document = LoadDemoDocument();
        var calendar = document.Gemeente.Calendar();
        var month = options.Month is { } m ? DigestMonth.Parse(m, calendar) : DigestMonth.Current(DateTimeOffset.UtcNow, calendar).Before(2, calendar);
        var tables = new HubTables(service, "bench");
        var instroom = new TableInstroomLog(tables);
        var stored = new TableDigestStore(tables);

        _report.AppendLine("FunctionsHub digest benchmark");
        _report.AppendLine();
        _report.AppendLine($"machine      {BenchmarkMachine.Describe()}");
        _report.AppendLine($"runtime      {BenchmarkMachine.Runtime(typeof(DigestRun).Assembly)}");
        _report.AppendLine($"load average {BenchmarkMachine.LoadAverage()} at the start (1, 5, 15 min; the machine is shared)");
        _report.AppendLine($"settings     --meldingen {options.Meldingen} --raw {options.RawEntities} --repeat {options.Repeat} --info-repeat {options.InfoRepeat} --month {month.Month} (in {document.Gemeente.TimeZone}: {month.From:u} to {month.Until:u})");
        _report.AppendLine("adapter      TableInstroomLog keeps one entity per melding in a partition per UTC month, and each gemeente month's counts (its tally) as rows of the same partitions, written in the same transactions; the compile reads the month's tally rows (one query per UTC month it touches: two)");
        _report.AppendLine();

        // Seeding: not measured, only reported.
        Console.Error.WriteLine("Seeding ...");
        var seeder = new InstroomSeeder(instroom, document, options.SeedParallelism);
        var around = Math.Max(1, options.Meldingen / 10);
        var seeded = new List<(string Month, InstroomSeeder.Seeded Seeded)>();
        foreach (var (what, count) in new[] { (month.Before(1, calendar), around), (month, options.Meldingen), (month.Before(-1, calendar), around) })
        {
            seeded.Add((what.Month, await seeder.SeedAsync(what, count, what.Month, cancellationToken)));
        }

        var rawSeeding = await SeedRawAsync(cancellationToken);

        // The trend's earlier months stored as the timer leaves them (compiled after their month ended). Their
        // own trends do not matter here (the trend takes only each month's feed and provider totals), so each
        // is compiled without one, rather than reading the eleven months before it from the instroom.
        var storedCompilation = Compilation(document, tables, instroom, stored);
        var watch = Stopwatch.StartNew();
        for (var k = 11; k >= 1; k--)
        {
            var before = month.Before(k, calendar);
            var counts = await instroom.TallyAsync(before.Month, before.From, before.Until, cancellationToken);
            await stored.SaveAsync(InstroomFigures.Compile(before, counts, [], document, DateTimeOffset.UtcNow, calendar), cancellationToken);
        }

        var storingEarlier = watch.Elapsed;

        _report.AppendLine("Seeding (not measured; parallel, through TableInstroomLog.RecordAsync, statuses through FindReferralAsync + TryMoveStatusAsync)");
        _report.AppendLine();
        _report.AppendLine("| month | meldingen | referrals | status moves | took | meldingen/s |");
        _report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (what, s) in seeded)
        {
            _report.AppendLine($"| {what}{(what == month.Month ? " (measured)" : "")} | {s.Meldingen:N0} | {s.Referrals:N0} | {s.StatusMoves:N0} | {s.Took.TotalSeconds:0.0} s | {s.Meldingen / s.Took.TotalSeconds:0} |");
        }

        _report.AppendLine($"| raw partition ({RawTable}/{RawPartition}) | {options.RawEntities:N0} entities | | | {rawSeeding.TotalSeconds:0.0} s | |");
        _report.AppendLine();
        _report.AppendLine($"The 11 months before {month.Month} compiled (each without a trend of its own) and stored first, as the timer leaves them: {storingEarlier.TotalSeconds:0.0} s.");
        _report.AppendLine();

        // What each read touches, counted once, untimed.
        var monthQueries = TableInstroomLog.MonthQueries(month.From, month.Until);
        var tallyQueries = TableInstroomLog.TallyQueries(month.Month, month.From, month.Until);
        var trendTallyQueries = Enumerable.Range(1, 11).SelectMany(k => month.Before(k, calendar) is var b ? TableInstroomLog.TallyQueries(b.Month, b.From, b.Until) : []).ToArray();
        var monthEntities = await ScanAsync(tables.Instroom, monthQueries, cancellationToken);
        var (tallyRows, tallyChars) = await MeasureTallyAsync(tables.Instroom, tallyQueries, cancellationToken);
        var trendTallyRows = await ScanAsync(tables.Instroom, trendTallyQueries, cancellationToken);

        Console.Error.WriteLine("Measuring ...");
        var loadBefore = BenchmarkMachine.LoadAverage();
        var raw = await Measurement.TakeAsync($"raw scan, one partition of {options.RawEntities:N0} entities", options.Repeat, requests, SettleAsync,
            () => ScanPartitionAsync(service.GetTableClient(RawTable), RawPartition, cancellationToken));
        var compileStored = await Measurement.TakeAsync("CompileAsync, trend from the 11 stored digests", options.Repeat, requests, SettleAsync, async () =>
        {
            await storedCompilation.CompileAsync(month, cancellationToken);
            return tallyRows + 11;
        });

        // For information, without a warm-up of their own (the setup and the runs above went through these paths).
        var compileUnstored = await Measurement.TakeAsync("CompileAsync, no stored digests (the trend from the 11 months' tallies)", options.InfoRepeat, requests, SettleAsync, async () =>
        {
            await Compilation(document, tables, instroom, new NoEarlierDigests(stored)).CompileAsync(month, cancellationToken);
            return tallyRows + trendTallyRows;
        }, warmUp: false);
        var tallyRead = await Measurement.TakeAsync("the month's tally (TableInstroomLog.TallyAsync)", options.InfoRepeat, requests, SettleAsync, async () =>
        {
            await instroom.TallyAsync(month.Month, month.From, month.Until, cancellationToken);
            return tallyRows;
        }, warmUp: false);
        var recount = await Measurement.TakeAsync("the month counted from its meldingen instead (ReceivedAsync, then MonthTally.Of)", options.InfoRepeat, requests, SettleAsync, async () =>
        {
            MonthTally.Of(await instroom.ReceivedAsync(month.From, month.Until, cancellationToken));
            return monthEntities;
        }, warmUp: false);
        var tally = await instroom.TallyAsync(month.Month, month.From, month.Until, cancellationToken);
        var earlier = new List<MonthTotals>();
        for (var k = 1; k < 12; k++)
        {
            earlier.Add(MonthTotals.Of((await stored.FindAsync(month.Before(k, calendar).Month, cancellationToken))!));
        }

        var figures = await Measurement.TakeAsync("InstroomFigures.Compile from the tally in memory (no storage)", options.InfoRepeat, requests, SettleAsync, () =>
        {
            InstroomFigures.Compile(month, tally, earlier, document, DateTimeOffset.UtcNow, calendar);
            return Task.FromResult(0L);
        });
        var compiled = InstroomFigures.Compile(month, tally, earlier, document, DateTimeOffset.UtcNow, calendar);
        var trend = await Measurement.TakeAsync("the 11 stored digests read (IDigestStore.FindAsync, one after the other)", options.InfoRepeat, requests, SettleAsync, async () =>
        {
            for (var k = 1; k < 12; k++)
            {
                await stored.FindAsync(month.Before(k, calendar).Month, cancellationToken);
            }

            return 11L;
        }, warmUp: false);
        var save = await Measurement.TakeAsync("the digest saved (IDigestStore.SaveAsync)", options.InfoRepeat, requests, SettleAsync, async () =>
        {
            await stored.SaveAsync(compiled, cancellationToken);
            return 1L;
        }, warmUp: false);
        var loadAfter = BenchmarkMachine.LoadAverage();

        var digest = (await stored.FindAsync(month.Month, cancellationToken))!;
        var recounted = MonthTally.Of(await instroom.ReceivedAsync(month.From, month.Until, cancellationToken));
        var same = recounted.Counts.Count == tally.Counts.Count && recounted.Counts.All(c => tally.Counts.GetValueOrDefault(c.Key) == c.Value);
        _report.AppendLine($"Measured: {options.Repeat} runs of the raw scan and of the compile with stored digests, each after one warm-up; {options.InfoRepeat} of each other, without; one after the other, each after Azurite's save to disk settled (load average {loadBefore} before, {loadAfter} after).");
        _report.AppendLine($"The month {month.Month}: {digest.MeldingCount:N0} meldingen, {digest.ReferralCount:N0} referrals ({monthEntities:N0} instroom entities in its UTC days); " +
            $"its tally: {tallyRows:N0} rows ({tally.Counts.Count:N0} counts, {tallyChars:N0} characters of JSON), read by {tallyQueries.Count} queries; " +
            $"the tally {(same ? "equals" : "DIFFERS FROM")} the month counted from its meldingen; the digest is {JsonSerializer.Serialize(digest, HubJson.Default.InstroomDigest).Length:N0} characters of JSON.");
        _report.AppendLine();
        _report.AppendLine("| measurement | entities (or digests) read | requests | median | min |");
        _report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var x in new[] { compileStored, compileUnstored, tallyRead, figures, trend, save, recount, raw })
        {
            _report.AppendLine($"| {x.Name} | {x.Entities:N0} | {x.Requests:N0} | {Ms(x.Median)} | {Ms(x.Min)} |");
        }

        _report.AppendLine();
        _report.AppendLine("Target: compiling a month of 100,000 meldingen takes at most 1.5 × a raw scan of one partition of 100,000 entities (ratio = compile median / raw scan median).");
        _report.AppendLine();
        _report.AppendLine($"| N meldingen | compile | entities read | compile median / min | raw {options.RawEntities / 1000}k scan median / min | ratio (medians) | target | met? |");
        _report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (label, x) in new[] { ("trend from stored digests", compileStored), ("no stored digests", compileUnstored) })
        {
            var ratio = x.Median / raw.Median;
            _report.AppendLine($"| {digest.MeldingCount:N0} | {label} | {x.Entities:N0} | {Ms(x.Median)} / {Ms(x.Min)} | {Ms(raw.Median)} / {Ms(raw.Min)} | {ratio:0.00} | 1.50 | {(ratio <= 1.5 ? "yes" : "no")} |");
        }

        _report.AppendLine();
        _report.AppendLine($"For information: counting the month from its meldingen / raw {options.RawEntities / 1000}k scan {recount.Median / raw.Median:0.00}; " +
            $"compile (stored trend) / counting from the meldingen {compileStored.Median / recount.Median:0.000}.");
        return _report.ToString();
    }

    /// <summary>The tally rows the queries read and their counts' JSON length (untimed).</summary>
    private static async Task<(long Rows, long Chars)> MeasureTallyAsync(TableClient table, IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        long rows = 0, chars = 0;
        foreach (var filter in filters)
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                rows++;
                chars += e.GetString("Counts")?.Length ?? 0;
            }
        }

        return (rows, chars);
    }

    /// <summary>The use case with the real adapters; the ledger and outbox are not used by <see cref="DigestCompilation.CompileAsync"/>.</summary>
    /// <summary>
    /// Before each timed run: Azurite on disk writes its whole table database to one JSON file (LokiJS,
    /// every 5 s when something changed, hundreds of MB here, blocking its one thread meanwhile). A run
    /// that writes (the compile saves its digest) would otherwise make the next run wait for that save.
    /// So: wait past the interval, then a point read, which returns once any save has finished.
    /// </summary>
    private async Task SettleAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(6));
        await service.GetTableClient(RawTable).GetEntityIfExistsAsync<TableEntity>(RawPartition, "0000000");
    }

    private static DigestCompilation Compilation(HubDocument document, HubTables tables, TableInstroomLog instroom, IDigestStore digests) =>
        new(new FixedHubDocument(document), instroom, new TableMatchFollowUps(tables), digests, new TableOnceLedger(tables), new NoNotifications(), TimeProvider.System, NullLogger<DigestCompilation>.Instance);

    /// <summary>One partition of small entities (three properties), inserted in batches of 100.</summary>
    private async Task<TimeSpan> SeedRawAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"  {RawTable}: {options.RawEntities:N0} entities in one partition ...");
        var watch = Stopwatch.StartNew();
        var table = service.GetTableClient(RawTable);
        await table.CreateIfNotExistsAsync(cancellationToken);
        var batches = Enumerable.Range(0, (options.RawEntities + 99) / 100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (b, ct) =>
        {
            var actions = Enumerable.Range(b * 100, Math.Min(100, options.RawEntities - (b * 100)))
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(RawPartition, i.ToString("D7", CultureInfo.InvariantCulture))
                {
                    ["Type"] = "row",
                    ["Value"] = i,
                    ["At"] = DateTimeOffset.UnixEpoch.AddMinutes(i),
                }));
            await table.SubmitTransactionAsync(actions, ct);
        });
        return watch.Elapsed;
    }

    /// <summary>A single query over one partition, every page read, nothing else done with the entities.</summary>
    private static Task<long> ScanPartitionAsync(TableClient table, string partition, CancellationToken cancellationToken) =>
        ScanAsync(table, [TableClient.CreateQueryFilter($"PartitionKey eq {partition}")], cancellationToken);

    /// <summary>The adapter's own queries (<see cref="TableInstroomLog.MonthQueries"/>) at once, as it runs them, entities only counted.</summary>
    private static async Task<long> ScanAsync(TableClient table, IReadOnlyList<string> filters, CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(filters.Select(async filter =>
        {
            long n = 0;
            await foreach (var _ in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                n++;
            }

            return n;
        }));
        return counts.Sum();
    }

    private static HubDocument LoadDemoDocument()
    {
        var path = Path.Combine(Azurite.RepositoryRoot(), "demo", "hub-config.json");
        return JsonSerializer.Deserialize(File.ReadAllText(path), HubJson.Default.HubDocument)!.WithDefaults();
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:N0} ms";

}
