using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Melding records in Table Storage, one entity per melding (PartitionKey = melding id).</summary>
public sealed class TableMeldingStore(HubTables tables) : IMeldingStore
{
    private TableClient Table => tables.Meldingen;

    public Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken) =>
        Table.AddOrGetExistingAsync(ToEntity(record), () => FindAsync(record.MeldingId, cancellationToken), cancellationToken);

    public async Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(meldingId, "", cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<MeldingState> MoveAsync(string meldingId, MeldingState to, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = (await Table.GetEntityAsync<TableEntity>(meldingId, "", select: ["State"], cancellationToken: cancellationToken)).Value;
            var from = MeldingLifecycle.Parse(stored.GetString("State"));
            if (!MeldingLifecycle.CanMove(from, to))
            {
                return from;
            }

            try
            {
                await Table.UpdateEntityAsync(new TableEntity(meldingId, "") { ["State"] = to.Name() }, stored.ETag, TableUpdateMode.Merge, cancellationToken);
                return to;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Another writer moved it since the read: decide again from what it stored.
            }
        }
    }

    public async Task<int> CountReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"ReceivedAt ge {from} and ReceivedAt lt {until}");
        var count = 0;
        await foreach (var _ in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    private static TableEntity ToEntity(MeldingRecord r) => new(r.MeldingId, "")
    {
        ["PartnerId"] = r.PartnerId,
        ["Feed"] = r.Feed,
        ["BodyFingerprint"] = r.BodyFingerprint,
        ["ReceivedAt"] = r.ReceivedAt,
        ["ReportedAt"] = r.ReportedAt,
        ["AgeYears"] = r.AgeYears,
        ["Wijk"] = r.Wijk,
        ["Categories"] = string.Join(',', r.Categories),
        ["Urgency"] = r.Urgency,
        ["AcuteReason"] = r.AcuteReason,
        ["ChildPseudonym"] = r.ChildPseudonym,
        ["State"] = r.State.Name(),
    };

    private static MeldingRecord FromEntity(TableEntity e) => new()
    {
        MeldingId = e.PartitionKey,
        PartnerId = e.GetString("PartnerId"),
        Feed = e.GetString("Feed"),
        BodyFingerprint = e.GetString("BodyFingerprint"),
        ReceivedAt = e.GetDateTimeOffset("ReceivedAt")!.Value,
        ReportedAt = e.GetDateTimeOffset("ReportedAt")!.Value,
        AgeYears = e.GetInt32("AgeYears")!.Value,
        Wijk = e.GetString("Wijk"),
        Categories = e.GetString("Categories") is { Length: > 0 } c ? c.Split(',') : [],
        Urgency = e.GetString("Urgency"),
        AcuteReason = e.GetString("AcuteReason"),
        ChildPseudonym = e.GetString("ChildPseudonym"),
        State = MeldingLifecycle.Parse(e.GetString("State")),
    };
}
