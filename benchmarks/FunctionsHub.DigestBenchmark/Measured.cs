using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Notifications;

namespace FunctionsHub.DigestBenchmark;

/// <summary>Storage requests sent (each retry counted), for the requests column; the runs measured are sequential.</summary>
public sealed class RequestCount : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}

/// <summary>One measurement: one warm-up (or none, for the costly ones shown for information), then <c>repeat</c> timed runs; each run says how many entities it read.</summary>
public sealed record Measurement(string Name, long Entities, long Requests, IReadOnlyList<TimeSpan> Runs)
{
    public TimeSpan Median => Runs.Order().ElementAt(Runs.Count / 2) is var upper && Runs.Count % 2 == 1
        ? upper
        : (Runs.Order().ElementAt((Runs.Count / 2) - 1) + upper) / 2;

    public TimeSpan Min => Runs.Min();

    public static async Task<Measurement> TakeAsync(string name, int repeat, RequestCount requests, Func<Task> settle, Func<Task<long>> run, bool warmUp = true)
    {
        Console.Error.WriteLine($"  {name} ...");
        if (warmUp)
        {
            await run(); // connections, JIT
        }

        var runs = new List<TimeSpan>();
        long entities = 0, sent = 0;
        for (var i = 0; i < repeat; i++)
        {
            await settle();
            var before = requests.Count;
            var watch = Stopwatch.StartNew();
            entities = await run();
            runs.Add(watch.Elapsed);
            sent = requests.Count - before;
        }

        Console.Error.WriteLine($"    {string.Join(", ", runs.Select(r => $"{r.TotalMilliseconds:0} ms"))}");
        return new Measurement(name, entities, sent, runs);
    }
}

/// <summary>
/// The stored digests, except that no earlier month is found: the compile reads the trend's eleven
/// earlier months from the instroom, as it does before the timer has stored any.
/// </summary>
public sealed class NoEarlierDigests(IDigestStore stored) : IDigestStore
{
    public Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken) => stored.SaveAsync(digest, cancellationToken);

    public Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken) => Task.FromResult<InstroomDigest?>(null);

    public Task<IReadOnlyList<StoredDigest>> ListAsync(CancellationToken cancellationToken) => stored.ListAsync(cancellationToken);
}

/// <summary>CompileAsync announces nothing; the compilation needs an outbox all the same.</summary>
public sealed class NoNotifications : INotificationOutbox
{
    public Task EnqueueAsync(OutboundNotification notification, CancellationToken cancellationToken) => Task.CompletedTask;
}
