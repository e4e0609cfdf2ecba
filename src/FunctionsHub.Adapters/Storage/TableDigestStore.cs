using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Instroom digests in Table Storage, one entity per month.</summary>
public sealed class TableDigestStore(HubTables tables) : IDigestStore
{
    private const string Partition = "instroom";

    public async Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, digest.Month)
        {
            ["MeldingCount"] = digest.MeldingCount,
            ["CompiledAt"] = digest.CompiledAt,
        };
        await tables.Digests.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken)
    {
        var response = await tables.Digests.GetEntityIfExistsAsync<TableEntity>(Partition, month, cancellationToken: cancellationToken);
        return response.HasValue
            ? new InstroomDigest(month, response.Value!.GetInt32("MeldingCount")!.Value, response.Value.GetDateTimeOffset("CompiledAt")!.Value)
            : null;
    }
}
