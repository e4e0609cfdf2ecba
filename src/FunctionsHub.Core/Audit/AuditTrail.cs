namespace FunctionsHub.Core.Audit;

/// <param name="Key">Deterministic per fact (e.g. <c>match-notified:{meldingId}</c>), so a retry records it once.</param>
/// <param name="Summary">Ids and codes only.</param>
public sealed record AuditEvent(string Key, string Type, DateTimeOffset At, string Summary);

/// <summary>
/// What was done about a melding beyond its routing (content withheld, match notified, consent
/// withdrawn): only a record; "done once" is the once-ledger's, and the decision is in the child's file.
/// </summary>
public interface IAuditTrail
{
    /// <summary>The melding's events, in the order they happened.</summary>
    Task<IReadOnlyList<AuditEvent>> EventsAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>Records an event under its key (again: overwritten, not doubled).</summary>
    Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: leaves only <paramref name="tombstone"/> of the melding's events (written first, so an
    /// interrupted call leaves the tombstone and some events, which a repeat removes).
    /// </summary>
    Task TombstoneAsync(string meldingId, AuditEvent tombstone, CancellationToken cancellationToken);
}
