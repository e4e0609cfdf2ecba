namespace FunctionsHub.Core.Intake;

/// <summary>
/// The meldingen as intake stores them, one per (partner, webhook-id): written once, by the first
/// delivery, and read by id.
/// </summary>
public interface IMeldingStore
{
    /// <summary>Adds the record, or returns the one already stored under its id.</summary>
    Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken);

    Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>Removes the record (retention); one already gone is no error.</summary>
    Task RemoveAsync(string meldingId, CancellationToken cancellationToken);
}
