using FunctionsHub.Benchmarks;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using FunctionsHub.Core;
using FunctionsHub.EndToEnd.Tests;
using FunctionsHub.Testing;

namespace FunctionsHub.LoadBenchmark;

/// <summary>
/// One benchmark run against one hub: transaction counts, a fixed rate, saturation and the raw
/// storage floor, in that order, each after the previous one drained. The load is school meldingen
/// with consent about a fresh child each, so each goes to cjg only (the transaction scenario
/// <see cref="TransactionScenario.SchoolWithConsentToOneProvider"/>).
/// </summary>
public sealed class LoadRun(HubUnderTest hub, BenchmarkOptions options)
{
    private const string Inbox = "inbox-cjg";
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(5);

    private readonly StringBuilder _report = new();
    private double _hubRequestsPerMelding;

    public async Task<string> RunAsync()
    {
        Header();
        await TransactionCountsAsync();
        await FixedRateAsync();
        await SaturationAsync();
        var endToEnd = await EndToEndAsync();
        await FloorAsync(endToEnd);
        _report.AppendLine($"notifications received by the benchmark's callback endpoint: {hub.Callbacks.Received}");
        _report.AppendLine($"load average at the end: {BenchmarkMachine.LoadAverage()}");
        return _report.ToString();
    }

    private void Header()
    {
        _report.AppendLine("FunctionsHub load benchmark");
        _report.AppendLine();
        _report.AppendLine($"machine      {BenchmarkMachine.Describe()}");
        _report.AppendLine($"runtime      {BenchmarkMachine.Runtime(typeof(LoadRun).Assembly)}");
        _report.AppendLine("storage      Azurite's blob, queue and table services as three node processes (a JavaScript thread each, as the services are apart in Azure), persisting to a temporary folder");
        _report.AppendLine($"load average {BenchmarkMachine.LoadAverage()} at the start (1, 5, 15 min; the machine is shared, so other work competes for its cores)");
        _report.AppendLine($"settings     --rate {options.Rate} --duration {options.Duration.TotalSeconds:0} --concurrency {options.Concurrency} --backlog-limit {options.BacklogLimit}");
        _report.AppendLine($"host.json    queues batchSize {hub.Setting("AzureFunctionsJobHost:extensions:queues:batchSize")}, maxPollingInterval {hub.Setting("AzureFunctionsJobHost:extensions:queues:maxPollingInterval")}, " +
            $"visibilityTimeout {hub.Setting("AzureFunctionsJobHost:extensions:queues:visibilityTimeout")}; inbox transport {hub.Setting("Hub:Inbox:Transport")}");
        _report.AppendLine("load         signed school meldingen with consent, a fresh BSN each, to cjg; inbox-cjg read (receive + delete) by the benchmark");
        _report.AppendLine("notifications delivered by DeliverNotification as deployed: every callback URL of the demo document leads to the benchmark's receiver, which answers 204");
        _report.AppendLine();
    }

    private async Task TransactionCountsAsync()
    {
        var scenarios = hub.Scenarios();
        hub.Counter.Counting = true;
        await scenarios.WarmUpAsync();
        _report.AppendLine("Storage transactions per melding (POST until routed and the trigger's delete; idle polling and notification delivery left out)");
        _report.AppendLine();
        _report.AppendLine("| scenario | transactions | of which table | queue |");
        _report.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var scenario in Enum.GetValues<TransactionScenario>())
        {
            // The earlier scenario's notifications delivered first; a delivery overlapping this one is left out of its count.
            await NotificationsDeliveredAsync();
            var counts = await scenarios.RunAsync(scenario);
            var table = counts.Count(r => !r.IsLeftOut && r.Service == "table");
            _report.AppendLine($"| {scenario} | {counts.Transactions} | {table} | {counts.Transactions - table} |");
        }

        hub.Counter.Counting = false;
        _report.AppendLine();
        Console.Error.WriteLine("transaction counts done");
    }

    private async Task FixedRateAsync()
    {
        await using var reader = new InboxReader(hub.Queues.GetQueueClient(Inbox));
        await WarmUpAsync(reader);

        var sent = new ConcurrentDictionary<string, long>();
        var accepted = new ConcurrentBag<double>();
        var refused = 0;
        var total = (int)(options.Rate * options.Duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Open loop: each POST leaves at its time whatever the earlier ones are doing, so a slow answer cannot hide queueing.
            var due = start + (long)(i * (double)Stopwatch.Frequency / options.Rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            sends.Add(Task.Run(async () =>
            {
                var (status, meldingId, at, took) = await SendAsync();
                if (status == HttpStatusCode.Accepted)
                {
                    sent[meldingId] = at;
                    accepted.Add(took.TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }));
        }

        var dispatching = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(sends);
        var answering = Stopwatch.GetElapsedTime(start);
        await DrainedAsync(reader, sent.Keys);
        await NotificationsDeliveredAsync();
        var toInbox = sent.Select(s => Stopwatch.GetElapsedTime(s.Value, reader.Arrivals[s.Key]).TotalMilliseconds).ToArray();

        _report.AppendLine($"Fixed rate: {options.Rate} meldingen/s for {options.Duration.TotalSeconds:0} s ({total} sent over {dispatching.TotalSeconds:0.0} s, the last answer {answering.TotalSeconds:0.0} s after the first POST; {accepted.Count} answered 202, {refused} otherwise)");
        _report.AppendLine();
        _report.AppendLine("| latency | p50 | p95 | p99 | max |");
        _report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        _report.AppendLine($"| POST until 202 | {Ms(accepted, 50)} | {Ms(accepted, 95)} | {Ms(accepted, 99)} | {Ms(accepted, 100)} |");
        _report.AppendLine($"| POST until the referral is received from inbox-cjg | {Ms(toInbox, 50)} | {Ms(toInbox, 95)} | {Ms(toInbox, 99)} | {Ms(toInbox, 100)} |");
        _report.AppendLine();
        Console.Error.WriteLine("fixed rate done");
    }

    private async Task SaturationAsync()
    {
        await using var reader = new InboxReader(hub.Queues.GetQueueClient(Inbox));
        var sent = new ConcurrentDictionary<string, long>();
        var refused = 0;
        var paused = false;
        var pausedTime = TimeSpan.Zero;
        int maxIntake = 0, maxInbox = 0, maxNotifications = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);

        var senders = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                if (Volatile.Read(ref paused))
                {
                    await Task.Delay(20);
                    continue;
                }

                var (status, meldingId, at, _) = await SendAsync();
                if (status == HttpStatusCode.Accepted)
                {
                    sent[meldingId] = at;
                }
                else
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToArray();

        // Azurite's dequeue slows down as a queue grows: senders pause above the backlog limit and resume below half of it.
        var interval = TimeSpan.FromMilliseconds(250);
        while (Stopwatch.GetTimestamp() < end)
        {
            var intake = await hub.ApproximateCountAsync(QueueNames.MeldingenIntake);
            maxIntake = Math.Max(maxIntake, intake);
            maxInbox = Math.Max(maxInbox, await hub.ApproximateCountAsync(Inbox));
            maxNotifications = Math.Max(maxNotifications, await hub.ApproximateCountAsync(QueueNames.NotificationsOut));
            if (intake > options.BacklogLimit)
            {
                Volatile.Write(ref paused, true);
            }
            else if (intake < options.BacklogLimit / 2)
            {
                Volatile.Write(ref paused, false);
            }

            await Task.Delay(interval);
            if (Volatile.Read(ref paused))
            {
                pausedTime += interval;
            }
        }

        await Task.WhenAll(senders);
        var duration = Stopwatch.GetElapsedTime(start, end);
        var inWindow = sent.Keys.Count(id => reader.Arrivals.TryGetValue(id, out var at) && at <= end);
        var drainStart = Stopwatch.GetTimestamp();
        await DrainedAsync(reader, sent.Keys);
        var drain = Stopwatch.GetElapsedTime(drainStart);
        await NotificationsDeliveredAsync();

        var sending = duration - pausedTime;
        var intakeRate = sent.Count / sending.TotalSeconds;
        var endToEnd = inWindow / duration.TotalSeconds;
        _report.AppendLine($"Saturation: {options.Concurrency} concurrent senders for {options.Duration.TotalSeconds:0} s ({sent.Count} answered 202, {refused} otherwise; " +
            $"senders paused {pausedTime.TotalSeconds:0.0} s for the intake backlog; max backlog intake {maxIntake}, inbox-cjg {maxInbox}, notifications-out {maxNotifications}; the rest drained {drain.TotalSeconds:0.0} s after)");
        _report.AppendLine();
        _report.AppendLine("| throughput | per second |");
        _report.AppendLine("| --- | ---: |");
        _report.AppendLine($"| intake (202 answers while sending) | {intakeRate:0.0} |");
        _report.AppendLine($"| end to end, the intake backlog growing (referrals received from inbox-cjg during the {options.Duration.TotalSeconds:0} s) | {endToEnd:0.0} |");
        _report.AppendLine();
        Console.Error.WriteLine("saturation done");
    }

    /// <summary>
    /// The hub at the floor's concurrency: each sender keeps one melding in flight and posts the next
    /// once the referral of the last was read from inbox-cjg, as each floor worker does one melding's
    /// operations after the other. No backlog builds, so this measures the hub's work per melding
    /// rather than Azurite looking through a backlog on every queue operation.
    /// </summary>
    private async Task<double> EndToEndAsync()
    {
        await using var reader = new InboxReader(hub.Queues.GetQueueClient(Inbox));
        var toInbox = new ConcurrentBag<double>();
        var refused = 0;
        hub.Counter.Reset();
        hub.Counter.Counting = true;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var senders = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var (status, meldingId, at, _) = await SendAsync();
                if (status != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                await reader.ArrivalOf(meldingId).WaitAsync(DrainDeadline);
                toInbox.Add(Stopwatch.GetElapsedTime(at, reader.Arrivals[meldingId]).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(senders);
        var duration = Stopwatch.GetElapsedTime(start);
        await NotificationsDeliveredAsync();
        hub.Counter.Counting = false;
        var counts = hub.Counter.Snapshot();
        var endToEnd = toInbox.Count / duration.TotalSeconds;
        _hubRequestsPerMelding = counts.Count(_ => true) / (double)toInbox.Count;

        _report.AppendLine($"End to end at the floor's concurrency: {options.Concurrency} senders for {options.Duration.TotalSeconds:0} s, each posting its next melding once the referral of its last was received from inbox-cjg " +
            $"({toInbox.Count} received over {duration.TotalSeconds:0.0} s, {refused} not answered 202)");
        _report.AppendLine();
        _report.AppendLine("| | per second | POST until received p50 | p95 |");
        _report.AppendLine("| --- | ---: | ---: | ---: |");
        _report.AppendLine($"| end to end | {endToEnd:0.0} | {Ms(toInbox, 50)} | {Ms(toInbox, 95)} |");
        _report.AppendLine();
        _report.AppendLine($"Every storage request of the hub in this phase, until its notifications were delivered, per melding: {_hubRequestsPerMelding:0.0} " +
            $"(the melding's own {counts.Transactions / (double)toInbox.Count:0.0}, delivering its melding.routed {counts.Count(r => r.IsDelivery) / (double)toInbox.Count:0.0}, " +
            $"the triggers' polling that found nothing {counts.IdlePolling / (double)toInbox.Count:0.0})");
        _report.AppendLine();
        Console.Error.WriteLine("end to end done");
        return endToEnd;
    }

    /// <summary>
    /// What storage alone allows: per melding the fewest operations any design needs, done directly
    /// with the SDK by as many workers as there were senders: record the melding (insert), hand it
    /// to routing (enqueue, dequeue, delete), record the referral (insert) and deliver it (send to
    /// an inbox queue, read off by an <see cref="InboxReader"/> as inbox-cjg was).
    /// </summary>
    private async Task FloorAsync(double endToEnd)
    {
        var meldingen = hub.Tables.GetTableClient("floormeldingen");
        var referrals = hub.Tables.GetTableClient("floorreferrals");
        var intake = hub.Queues.GetQueueClient("floor-intake");
        var inbox = hub.Queues.GetQueueClient("floor-inbox");
        await meldingen.CreateIfNotExistsAsync();
        await referrals.CreateIfNotExistsAsync();
        await intake.CreateIfNotExistsAsync();
        await using var reader = new InboxReader(inbox);

        // A message the size of the hub's: the melding itself.
        var message = new BinaryData(Encoding.UTF8.GetBytes(Melding.Body("school", "FLOOR", Melding.NewBsn()).ToJsonString()));
        var completed = 0;
        var emptyReceives = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var id = $"mld_{Guid.NewGuid():N}";
                await meldingen.AddEntityAsync(new TableEntity(id, "") { ["PartnerId"] = Melding.SchoolPartner, ["State"] = "accepted", ["ReceivedAt"] = DateTimeOffset.UtcNow });
                await intake.SendMessageAsync(message);
                QueueMessage? received;
                while ((received = (await intake.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.FirstOrDefault()) is null)
                {
                    // Another worker took the one just sent (the queue is not FIFO); one is on its way.
                    Interlocked.Increment(ref emptyReceives);
                }

                await intake.DeleteMessageAsync(received.MessageId, received.PopReceipt);
                await referrals.AddEntityAsync(new TableEntity(id, "cjg") { ["State"] = "sent", ["Kind"] = "referral" });
                await inbox.SendMessageAsync(message);
                Interlocked.Increment(ref completed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var duration = Stopwatch.GetElapsedTime(start);
        var floor = completed / duration.TotalSeconds;

        _report.AppendLine($"Raw storage floor: {options.Concurrency} workers for {options.Duration.TotalSeconds:0} s, 6 operations per melding " +
            $"(insert, enqueue, dequeue, delete, insert, send; {emptyReceives} extra empty dequeues), inbox read as above");
        _report.AppendLine();
        _report.AppendLine("| | meldingen/s | storage operations/s |");
        _report.AppendLine("| --- | ---: | ---: |");
        _report.AppendLine($"| raw floor | {floor:0.0} | {floor * 6:0} |");
        _report.AppendLine($"| hub end to end | {endToEnd:0.0} | {endToEnd * _hubRequestsPerMelding:0} (at {_hubRequestsPerMelding:0.0} per melding, counted above) |");
        _report.AppendLine($"| ratio end to end / floor | {endToEnd / floor:P0} | |");
        _report.AppendLine();
        Console.Error.WriteLine("floor done");
    }

    /// <summary>A few meldingen through the whole path first, so the fixed rate does not measure start-up (JIT, first connections).</summary>
    private async Task WarmUpAsync(InboxReader reader)
    {
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, meldingId, _, _) = await SendAsync();
            if (status == HttpStatusCode.Accepted)
            {
                ids.Add(meldingId);
            }
        }

        await DrainedAsync(reader, ids);
        await NotificationsDeliveredAsync();
    }

    private async Task<(HttpStatusCode Status, string MeldingId, long At, TimeSpan Took)> SendAsync()
    {
        var body = Melding.Body("school", $"BENCH-{Guid.NewGuid():N}", Melding.NewBsn()).ToJsonString();
        var at = Stopwatch.GetTimestamp();
        var (status, meldingId) = await hub.PostAsync("school", body);
        return (status, meldingId, at, Stopwatch.GetElapsedTime(at));
    }

    /// <summary>
    /// Until notifications-out is empty: what the phase enqueued is delivered, so the next phase starts
    /// on an account in the state a deployed hub keeps it in.
    /// </summary>
    private Task NotificationsDeliveredAsync() =>
        Poll.UntilAsync(async () => await hub.ApproximateCountAsync(QueueNames.NotificationsOut) == 0, DrainDeadline, $"{QueueNames.NotificationsOut} empty ({hub.Callbacks.Received} delivered so far)");

    private static Task DrainedAsync(InboxReader reader, ICollection<string> meldingIds) =>
        Poll.UntilAsync(() => Task.FromResult(meldingIds.All(reader.Arrivals.ContainsKey)), DrainDeadline, $"{meldingIds.Count} referrals in {Inbox}");

    private static string Ms(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return "-";
        }

        // Nearest rank.
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return $"{sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]:0} ms";
    }

}
