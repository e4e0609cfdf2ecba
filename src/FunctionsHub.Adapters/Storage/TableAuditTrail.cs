using System.Text.Json;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The audit trail: PartitionKey = melding id; RowKey <c>decision</c> holds the routing decision as
/// JSON, every other row an event under its deterministic key. One partition read gives it all.
/// </summary>
public sealed class TableAuditTrail(HubTables tables) : IAuditTrail
{
    private const string DecisionKey = "decision";

    public async Task<AuditRecord> ReadAsync(string meldingId, CancellationToken cancellationToken)
    {
        RoutingDecision? decision = null;
        var events = new List<AuditEvent>();
        await foreach (var e in tables.Audit.QueryAsync<TableEntity>(e => e.PartitionKey == meldingId, cancellationToken: cancellationToken))
        {
            if (e.RowKey == DecisionKey)
            {
                decision = JsonSerializer.Deserialize(e.GetString("Details"), HubJson.Default.RoutingDecision);
            }
            else
            {
                events.Add(new AuditEvent(e.RowKey, e.GetString("Type"), e.GetDateTimeOffset("At")!.Value, e.GetString("Summary")));
            }
        }

        return new AuditRecord(decision, events.OrderBy(e => e.At).ToArray());
    }

    public async Task<RoutingDecision> AddDecisionAsync(string meldingId, RoutingDecision decision, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(meldingId, DecisionKey)
        {
            ["Type"] = DecisionKey,
            ["At"] = decision.DecidedAt,
            ["Details"] = JsonSerializer.Serialize(decision, HubJson.Default.RoutingDecision),
        };
        return await tables.Audit.AddOrGetExistingAsync(entity, async () => (await ReadAsync(meldingId, cancellationToken)).Decision, cancellationToken)
            ?? decision;
    }

    public async Task AddEventAsync(string meldingId, AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(meldingId, auditEvent.Key)
        {
            ["Type"] = auditEvent.Type,
            ["At"] = auditEvent.At,
            ["Summary"] = auditEvent.Summary,
        };
        await tables.Audit.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }
}
