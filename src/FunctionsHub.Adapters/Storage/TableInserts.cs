using Azure;
using Azure.Data.Tables;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Insert-if-absent, the building block of every idempotent write in the hub.</summary>
public static class TableInserts
{
    /// <summary>
    /// Adds the entity and returns null; when one with its keys exists, returns that one instead (read
    /// with <paramref name="readExisting"/>). The table's key decides which of two racing writers was first.
    /// </summary>
    public static async Task<T?> AddOrGetExistingAsync<T>(this TableClient table, TableEntity entity, Func<Task<T?>> readExisting, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await readExisting()
                ?? throw new InvalidOperationException($"{table.Name} {entity.PartitionKey}/{entity.RowKey} conflicted but cannot be read.", e);
        }
    }
}
