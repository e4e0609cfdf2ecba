using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.Once;

/// <summary>What one pass over the items due since a watermark came to.</summary>
/// <param name="Watermark">Where the watermark stands after the pass: the earliest item not handled, or the pass's now.</param>
/// <param name="FirstFailure">The first item's failure, if any failed: the caller reports the pass, then fails with it.</param>
public sealed record DuePass(int Claimed, int AlreadyDone, int Held, int Failed, DateTimeOffset Watermark, Exception? FirstFailure);

/// <summary>
/// Work that falls due over time, for a timer: each due item done once (claimed in the once-ledger under
/// <see cref="Scope"/> and its key) and the timer's progress kept as a watermark, so that late, missed or
/// concurrent fires miss and repeat nothing. The first-contact deadlines and the match follow-ups both
/// go through it.
/// </summary>
public sealed record DueWork(IOnceLedger Ledger, IWatermarks Watermarks, TimeProvider Time, ILogger Logger, string Scope, string WatermarkName, TimeSpan Lease)
{
    /// <summary>
    /// Does <paramref name="work"/> once for each of <paramref name="due"/>, in order of due time: an item
    /// whose work fails gives its claim back and the others still run; one held by another fire is left to
    /// it. Then moves the watermark (never back) to the earliest item not handled, or to <paramref name="now"/>
    /// when all were: everything due before it is done.
    /// </summary>
    public async Task<DuePass> RunAsync<T>(
        IEnumerable<T> due,
        Func<T, (string Key, DateTimeOffset DueAt)> identify,
        Func<T, Task> work,
        Action<string, Exception> onFailed,
        Action<string> onHeld,
        DateTimeOffset dueFrom,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        int claimed = 0, done = 0, held = 0, failed = 0;
        DateTimeOffset? earliestUnhandled = null;
        Exception? firstFailure = null;
        foreach (var item in due.OrderBy(i => identify(i).DueAt).ThenBy(i => identify(i).Key, StringComparer.Ordinal))
        {
            var (key, dueAt) = identify(item);
            ClaimState state;
            try
            {
                state = await Ledger.DoOnceAsync(Scope, key, Time.GetUtcNow(), Lease, () => work(item), Logger, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The claim is given back; the other items still run, and the next fire tries this one again.
                onFailed(key, e);
                failed++;
                firstFailure ??= e;
                earliestUnhandled ??= dueAt;
                continue;
            }

            switch (state)
            {
                case ClaimState.Claimed:
                    claimed++;
                    break;
                case ClaimState.Done:
                    done++;
                    break;
                default:
                    onHeld(key);
                    held++;
                    earliestUnhandled ??= dueAt;
                    break;
            }
        }

        // In order of due time, the first item not handled is the earliest: everything due before it was handled.
        var watermark = earliestUnhandled ?? now;
        if (watermark > dueFrom)
        {
            await Watermarks.AdvanceAsync(WatermarkName, watermark, cancellationToken);
        }
        else
        {
            watermark = dueFrom;
        }

        return new DuePass(claimed, done, held, failed, watermark, firstFailure);
    }
}
