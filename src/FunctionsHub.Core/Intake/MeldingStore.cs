namespace FunctionsHub.Core.Intake;

public interface IMeldingStore
{
    /// <summary>Adds the record, or returns the one already stored under its id.</summary>
    Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken);

    Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the melding to <paramref name="to"/> when <see cref="MeldingLifecycle"/> allows it from the
    /// stored state, by compare-and-set on the row (re-read on a conflict), and answers the state it
    /// ends in: a late "accepted" leaves "routed" as it is, and two writers cannot both move it.
    /// </summary>
    Task<MeldingState> MoveAsync(string meldingId, MeldingState to, CancellationToken cancellationToken);

    Task<int> CountReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);
}
