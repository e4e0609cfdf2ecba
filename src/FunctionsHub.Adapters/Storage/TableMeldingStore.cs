using Azure;
using Azure.Data.Tables;
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

    // Unconditional (a record is never changed once stored); a record already gone (404) is no error to the SDK.
    public async Task RemoveAsync(string meldingId, CancellationToken cancellationToken) =>
        await Table.DeleteEntityAsync(meldingId, "", ETag.All, cancellationToken);

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
    };
}
