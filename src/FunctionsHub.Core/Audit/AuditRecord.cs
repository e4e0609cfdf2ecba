using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Audit;

/// <summary>What the hub decided about a melding and what it did since; content-free.</summary>
public sealed record AuditRecord(RoutingDecision? Decision, IReadOnlyList<AuditEvent> Events)
{
    public bool Has(string key) => Events.Any(e => e.Key == key);
}

/// <param name="Key">Deterministic per fact (e.g. <c>match-notified:{meldingId}</c>), so a retry records it once.</param>
/// <param name="Summary">Ids and codes only.</param>
public sealed record AuditEvent(string Key, string Type, DateTimeOffset At, string Summary);
