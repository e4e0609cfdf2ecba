using System.Web;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.DataRetention;
using FunctionsHub.Testing;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// The daily purge reads the retention index's months past their term and nothing else: the requests
/// it sends (counted and read back by <see cref="StorageRequestCounter"/>) are one query (and its
/// continuation pages, if any) whose only condition is the upper bound of the PartitionKey. Never a
/// scan that reads the months still in their term, whose number grows with every month the hub keeps.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionIndexReadTests
{
    private readonly StorageRequestCounter _counter = new() { KeepingUris = true };
    private readonly string _table;
    private readonly TableRetentionIndex _index;

    public RetentionIndexReadTests(AzuriteFixture azurite)
    {
        var prefix = TestNames.TablePrefix();
        _table = prefix + "retention";
        _index = new TableRetentionIndex(new HubTables(StorageAccount.TableService(azurite.Configuration, setup: _counter.Setup), prefix));
    }

    [Fact]
    public async Task Reading_the_months_through_one_is_one_query_bounding_the_partition_key_from_above_and_nothing_else()
    {
        var noted = new List<RetentionEntry>();
        foreach (var month in new[] { "2024-01", "2024-02", "2024-12", "2025-01", "2025-02", "2026-06" })
        {
            for (var i = 0; i < 3; i++)
            {
                var reportedAt = DateTimeOffset.Parse($"{month}-15T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
                var entry = new RetentionEntry(month, $"mld_{Guid.NewGuid():N}", Guid.NewGuid().ToString("N"), reportedAt, reportedAt.AddDays(1), "obs-de-regenboog", Feeds.School);
                await _index.NoteAsync(entry, CancellationToken.None);
                noted.Add(entry);
            }
        }

        _counter.Reset();

        var through = await _index.ThroughAsync("2025-01", CancellationToken.None);

        Assert.Equal(
            noted.Where(e => string.CompareOrdinal(e.Month, "2025-01") <= 0).OrderBy(e => e.Month, StringComparer.Ordinal).ThenBy(e => e.MeldingId, StringComparer.Ordinal),
            through);
        var counts = _counter.Snapshot();
        Assert.All(counts.All.Keys, request => Assert.Equal(("query", _table), (request.Kind, request.Resource)));
        var pages = _counter.Uris.Select(uri => HttpUtility.ParseQueryString(uri.Query)).ToArray();
        Assert.Equal(counts.Transactions, pages.Length);
        Assert.Single(pages, page => page["NextPartitionKey"] is null);
        Assert.Equal("PartitionKey le '2025-01'", Assert.Single(pages.Select(page => page["$filter"]).Distinct()));
    }
}
