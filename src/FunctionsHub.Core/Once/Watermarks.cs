namespace FunctionsHub.Core.Once;

/// <summary>
/// How far a recurring piece of work has got, by name (e.g. <c>deadlines</c>): an instant before which
/// everything the work looks for has been handled. Kept beside the once-ledger (table <c>once</c>), so
/// a fire that comes late, or the first after a restart, carries on from where the last one finished
/// instead of from its own clock.
/// </summary>
public interface IWatermarks
{
    /// <summary>The watermark, or null when the work has never advanced it.</summary>
    Task<DateTimeOffset?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the watermark forward to <paramref name="to"/>; never back: when it already stands at or
    /// after <paramref name="to"/> (a concurrent run got further) nothing changes. Of two runs advancing
    /// at the same moment the later instant stays.
    /// </summary>
    Task AdvanceAsync(string name, DateTimeOffset to, CancellationToken cancellationToken);
}
