using System.Text.Json;
using Azure.Data.Tables;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Instroom digests in Table Storage, one entity per month (PartitionKey <c>instroom</c>, RowKey the
/// month): the digest as <see cref="HubJson"/> JSON, split over string properties <c>Json0</c>,
/// <c>Json1</c>, ... of at most <see cref="ChunkChars"/> characters (a property holds at most 64 KiB,
/// UTF-16), with <c>Chunks</c> and <c>CompiledAt</c> beside it for the listing. One entity, so a save
/// replaces a month at once; the entity limit of 1 MiB leaves room for about 15 chunks, far more than
/// a gemeente's digest (tens of KB) needs; a digest too large fails the save rather than being cut.
/// A row from the skeleton (<c>MeldingCount</c>, no JSON) is not a digest any more: not found, not listed.
/// </summary>
public sealed class TableDigestStore(HubTables tables) : IDigestStore
{
    private const string Partition = "instroom";

    /// <summary>32,000 UTF-16 characters: 64,000 bytes, under the 64 KiB of a string property.</summary>
    public const int ChunkChars = 32_000;

    /// <summary>Chunks an entity holds within its 1 MiB, with room for the other properties.</summary>
    public const int MaxChunks = 15;

    public async Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(digest, HubJson.Default.InstroomDigest);
        var chunks = json.Chunk(ChunkChars).Select(c => new string(c)).ToArray();
        if (chunks.Length > MaxChunks)
        {
            throw new InvalidOperationException($"The digest of {digest.Month} is {json.Length} characters of JSON, more than one table entity holds.");
        }

        var entity = new TableEntity(Partition, digest.Month)
        {
            ["CompiledAt"] = digest.CompiledAt,
            ["Chunks"] = chunks.Length,
        };
        for (var i = 0; i < chunks.Length; i++)
        {
            entity[$"Json{i}"] = chunks[i];
        }

        await tables.Digests.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken)
    {
        var response = await tables.Digests.GetEntityIfExistsAsync<TableEntity>(Partition, month, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value!.GetInt32("Chunks") is not { } chunks)
        {
            return null;
        }

        var json = string.Concat(Enumerable.Range(0, chunks).Select(i => response.Value.GetString($"Json{i}")));
        return JsonSerializer.Deserialize(json, HubJson.Default.InstroomDigest);
    }

    public async Task<IReadOnlyList<StoredDigest>> ListAsync(CancellationToken cancellationToken)
    {
        var listed = new List<StoredDigest>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var e in tables.Digests.QueryAsync<TableEntity>(filter, select: ["RowKey", "CompiledAt", "Chunks"], cancellationToken: cancellationToken))
        {
            if (e.GetInt32("Chunks") is not null && e.GetDateTimeOffset("CompiledAt") is { } compiledAt)
            {
                listed.Add(new StoredDigest(e.RowKey, compiledAt));
            }
        }

        return listed.OrderByDescending(d => d.Month, StringComparer.Ordinal).ToArray();
    }
}
