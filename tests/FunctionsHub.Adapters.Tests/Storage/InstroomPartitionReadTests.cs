using System.Text.RegularExpressions;
using System.Web;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// The digest's month read and the deadline search read only what they cover: the instroom holds
/// meldingen on many days, inside and outside the range, and the requests they send (counted and read
/// back by <see cref="StorageRequestCounter"/>) are, for the month, one query per UTC month it touches
/// naming that month's partition and bounding the RowKey to the UTC days in range, and for the deadlines
/// one query (plus continuation pages if any) whose <c>$filter</c> bounds the PartitionKey (the month)
/// and the RowKey (the day) from below and above: never a scan of the whole table, whose cost would
/// grow with every day the hub has been running.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class InstroomPartitionReadTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");
    private readonly StorageRequestCounter _counter = new() { KeepingUris = true };
    private readonly string _table;
    private readonly TableInstroomLog _log;

    // Far from every other test's days, should they ever share the table.
    private readonly int _year = Random.Shared.Next(2200, 9000);

    public InstroomPartitionReadTests(AzuriteFixture azurite)
    {
        var prefix = TestNames.TablePrefix();
        _table = prefix + "instroom";
        _log = new TableInstroomLog(new HubTables(StorageAccount.TableService(azurite.Configuration, setup: _counter.Setup), prefix));
    }

    [GeneratedRegex("^PartitionKey ge '(?<fromMonth>[^']+)' and PartitionKey le '(?<untilMonth>[^']+)' and RowKey ge '(?<from>[^']+)' and RowKey lt '(?<until>[^']+);' and ")]
    private static partial Regex DayBounds();

    /// <summary>A melding every other day from March to August, each with a referral due in 5 days and one in 30.</summary>
    private async Task<IReadOnlyList<RoutedMelding>> SeedAsync()
    {
        var seeded = new List<RoutedMelding>();
        for (var at = new DateTimeOffset(_year, 3, 1, 10, 0, 0, TimeSpan.Zero); at.Month <= 8; at = at.AddDays(2))
        {
            var meldingId = $"mld_{Guid.NewGuid():N}";
            var routed = new RoutedMelding(
                meldingId, "obs-de-regenboog", Feeds.School, at, Amsterdam.MonthOf(at), 9, "west", ["wellbeing"], Urgencies.Normal, null, false, at.AddSeconds(2),
                [
                    new ReferralRecord(TestReferralIds.For(meldingId, "jeugdteam"), meldingId, "jeugdteam", ReferralKinds.Referral, ConsentBases.ParentalConsent, at, at.AddDays(5), DispatchState.Sent),
                    new ReferralRecord(TestReferralIds.For(meldingId, "basta"), meldingId, "basta", ReferralKinds.Signal, ConsentBases.None, at, at.AddDays(30), DispatchState.Sent),
                ]);
            await _log.RecordAsync(routed, CancellationToken.None);
            seeded.Add(routed);
        }

        // What was counted so far is the seeding (and the table's creation): the reads come next.
        _counter.Reset();
        return seeded;
    }

    /// <summary>
    /// Asserts that every request since the seeding was one query on the instroom table (its first page
    /// and any continuation pages, all with one filter) bounding the months and the days to [<paramref name="fromDay"/>,
    /// <paramref name="untilDay"/>].
    /// </summary>
    private void AssertOneQueryOfTheDays(string fromDay, string untilDay)
    {
        var counts = _counter.Snapshot();
        Assert.All(counts.All.Keys, request => Assert.Equal(("query", _table), (request.Kind, request.Resource)));
        var pages = _counter.Uris.Select(uri => HttpUtility.ParseQueryString(uri.Query)).ToArray();
        Assert.Equal(counts.Transactions, pages.Length);

        // One query: one first page, every further request a continuation of it.
        Assert.Single(pages, page => page["NextPartitionKey"] is null);
        var filter = Assert.Single(pages.Select(page => page["$filter"]).Distinct());
        Assert.NotNull(filter);

        // Bounded from below and above by the days, every other condition in conjunction with the bounds.
        var bounds = DayBounds().Match(filter);
        Assert.True(bounds.Success, $"The query's filter does not bound the PartitionKey and the RowKey from below and above: {filter}");
        Assert.Equal(fromDay, bounds.Groups["from"].Value);
        Assert.Equal(untilDay, bounds.Groups["until"].Value);
        Assert.Equal(fromDay[..7], bounds.Groups["fromMonth"].Value);
        Assert.Equal(untilDay[..7], bounds.Groups["untilMonth"].Value);
        Assert.DoesNotContain(" or ", filter, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Reading_a_digest_month_queries_the_utc_months_it_touches_by_partition_and_their_days_in_range_and_nothing_else()
    {
        var seeded = await SeedAsync();
        // May in Amsterdam (summer time): from 30 April 22:00 to 31 May 22:00 UTC, so 32 UTC days.
        var from = new DateTimeOffset(_year, 5, 1, 0, 0, 0, TimeSpan.FromHours(2));
        var until = new DateTimeOffset(_year, 6, 1, 0, 0, 0, TimeSpan.FromHours(2));

        var received = await _log.ReceivedAsync(from, until, CancellationToken.None);

        var expected = seeded.Where(r => r.ReceivedAt >= from && r.ReceivedAt < until).ToArray();
        Assert.Equal(expected.Select(r => r.MeldingId), received.Select(r => r.MeldingId));
        Assert.InRange(expected.Length, 1, seeded.Count - 1);
        Assert.All(received, r => Assert.Equal(2, r.Referrals.Count));

        // Every request a query of the instroom; the first pages: April's partition from 30 April (the
        // two hours its bounds borrow) and May's, each bounded to the UTC days 30 April to 31 May; any
        // further request a continuation of one.
        var counts = _counter.Snapshot();
        Assert.All(counts.All.Keys, request => Assert.Equal(("query", _table), (request.Kind, request.Resource)));
        var pages = _counter.Uris.Select(uri => HttpUtility.ParseQueryString(uri.Query)).ToArray();
        Assert.Equal(counts.Transactions, pages.Length);
        string[] filters = [$"PartitionKey eq '{_year}-04' and RowKey ge '{_year}-04-30' and RowKey lt '{_year}-05-31;'", $"PartitionKey eq '{_year}-05' and RowKey ge '{_year}-04-30' and RowKey lt '{_year}-05-31;'"];
        Assert.Equal(filters, pages.Where(page => page["NextPartitionKey"] is null).Select(page => page["$filter"]).Order(StringComparer.Ordinal));
        Assert.All(pages.Where(page => page["NextPartitionKey"] is not null), page => Assert.Contains(page["$filter"], filters));
    }

    [Fact]
    public async Task The_digest_reads_a_month_as_the_tally_rows_of_that_month_in_the_partitions_it_touches_and_nothing_else()
    {
        var seeded = await SeedAsync();
        var (from, until) = Amsterdam.MonthBounds(_year, 5);

        var tally = await _log.TallyAsync($"{_year}-05", from, until, CancellationToken.None);

        var may = seeded.Where(r => r.Month == $"{_year}-05").ToArray();
        Assert.InRange(may.Length, 1, seeded.Count - 1);
        Assert.Equal(may.Length, tally.Of(MonthTally.Dimensions.Feed).Values.Sum());

        // One page per partition (a month's tally is a few rows, not one per melding), each the month's
        // tally rows by RowKey range: none of the meldingen around them, no other month's counts.
        var counts = _counter.Snapshot();
        Assert.All(counts.All.Keys, request => Assert.Equal(("query", _table), (request.Kind, request.Resource)));
        var filters = _counter.Uris.Select(uri => HttpUtility.ParseQueryString(uri.Query)["$filter"]).Order(StringComparer.Ordinal);
        Assert.Equal(
            [$"PartitionKey eq '{_year}-04' and RowKey ge '~tally|{_year}-05|' and RowKey lt '~tally|{_year}-05}}'", $"PartitionKey eq '{_year}-05' and RowKey ge '~tally|{_year}-05|' and RowKey lt '~tally|{_year}-05}}'"],
            filters);
    }

    [Fact]
    public async Task The_deadline_search_reads_only_the_days_from_the_longest_promise_before_the_watermark_to_now_in_one_query()
    {
        var seeded = await SeedAsync();
        // A fire at 24 June 09:00 whose watermark (the last fire) is 19 June 09:00: due since then are the
        // referrals of 5 days received from the 14th (and of 30 days, from May on, which the days read do not reach).
        var dueFrom = new DateTimeOffset(_year, 6, 19, 9, 0, 0, TimeSpan.Zero);
        var receivedFrom = dueFrom.AddDays(-9);
        var dueBefore = new DateTimeOffset(_year, 6, 24, 9, 0, 0, TimeSpan.Zero);

        var due = await _log.DueAsync(receivedFrom, dueFrom, dueBefore, CancellationToken.None);

        var expected = seeded
            .Where(r => r.ReceivedAt.UtcDateTime.Date >= receivedFrom.UtcDateTime.Date && r.ReceivedAt.UtcDateTime.Date <= dueBefore.UtcDateTime.Date)
            .SelectMany(r => r.Referrals)
            .Where(r => r.RespondBefore >= dueFrom && r.RespondBefore < dueBefore)
            .Select(r => r.ReferralId)
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, due.Select(r => r.ReferralId).Order(StringComparer.Ordinal));
        AssertOneQueryOfTheDays($"{_year}-06-10", $"{_year}-06-24");
        // The due window is the server's filter, not the adapter's: only meldingen with a referral that
        // can have fallen due since the watermark come back.
        var filter = HttpUtility.ParseQueryString(_counter.Uris.First().Query)["$filter"]!;
        Assert.Contains($"FirstRespondBefore lt datetime'{dueBefore.UtcDateTime:yyyy-MM-ddTHH:mm:ss}", filter, StringComparison.Ordinal);
        Assert.Contains($"LastRespondBefore ge datetime'{dueFrom.UtcDateTime:yyyy-MM-ddTHH:mm:ss}", filter, StringComparison.Ordinal);
    }
}
