using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Once;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Watermarks in the once table, beside the claims they summarise: PartitionKey = the work's name
/// (e.g. <c>deadlines</c>), RowKey = <c>watermark</c>, property <c>At</c>. No once-ledger key has that
/// scope. Advanced by compare-and-set on the row's ETag, so of two fires the later instant stays.
/// </summary>
public sealed class TableWatermarks(HubTables tables) : IWatermarks
{
    private const string Row = "watermark";
    private const string At = "At";

    /// <summary>Writes that lose to a concurrent one before this gives up (each loss means another fire advanced it).</summary>
    private const int MaxAttempts = 10;

    public async Task<DateTimeOffset?> ReadAsync(string name, CancellationToken cancellationToken) =>
        (await FindAsync(name, cancellationToken))?.GetDateTimeOffset(At);

    public async Task AdvanceAsync(string name, DateTimeOffset to, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var stored = await FindAsync(name, cancellationToken);
            if (stored?.GetDateTimeOffset(At) >= to)
            {
                return;
            }

            try
            {
                var row = new TableEntity(name, Row) { [At] = to };
                if (stored is null)
                {
                    await tables.Once.AddEntityAsync(row, cancellationToken);
                }
                else
                {
                    await tables.Once.UpdateEntityAsync(row, stored.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another run wrote it between the read and this write: read again, and keep the later instant.
            }
        }

        throw new IOException($"The watermark {name} kept changing; gave up after {MaxAttempts} attempts.");
    }

    private async Task<TableEntity?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await tables.Once.GetEntityIfExistsAsync<TableEntity>(name, Row, cancellationToken: cancellationToken)) is { HasValue: true } found ? found.Value : null;
}
