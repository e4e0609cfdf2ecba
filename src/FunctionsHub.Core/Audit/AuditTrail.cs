using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Audit;

/// <summary>The audit trail per melding: the routing decision, then what was done. Only a record: "done once" is the once-ledger's.</summary>
public interface IAuditTrail
{
    Task<AuditRecord> ReadAsync(string meldingId, CancellationToken cancellationToken);

    /// <summary>Stores the decision unless one is stored already; returns the stored one.</summary>
    Task<RoutingDecision> AddDecisionAsync(string meldingId, RoutingDecision decision, CancellationToken cancellationToken);

    /// <summary>Records an event under its key (again: overwritten, not doubled).</summary>
    Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken);

}
