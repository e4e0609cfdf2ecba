using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The retention purge through the real hub on Azurite: a school and a welfare melding about one
/// child (a match), a consent, a provider's status, every notification delivered; then the hub's
/// clock moves 25 months on and the purge timer is fired through the admin endpoint. Afterwards no
/// row in any table names the meldingen, their referrals, their match, the child's pseudonym, the
/// consent or any notification about them, but the two tombstones; and the purge found its work by
/// reading the retention index as one key range and everything else by key, never a whole table.
/// </summary>
public sealed class RetentionPurgeTests(PurgeHubFixture hub) : IClassFixture<PurgeHubFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task After_the_purge_no_row_anywhere_holds_what_derives_from_the_purged_meldingen_but_their_tombstones()
    {
        var bsn = Melding.NewBsn();
        var school = await hub.ReportChildAsync(bsn);
        var welfare = await hub.ReportChildAsync(bsn, "welfare");
        var matchId = Identifiers.MatchId(school, welfare);
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.MatchFound, r => r.Body.Contains(school, StringComparison.Ordinal));
        await hub.DeliveredAsync("partner", Melding.WelfarePartner, NotificationTypes.MatchFound, r => r.Body.Contains(welfare, StringComparison.Ordinal));

        var consent = await hub.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, $$"""
            { "bsn": "{{bsn}}", "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }
            """);
        Assert.Equal(HttpStatusCode.Accepted, consent.StatusCode);
        var consentId = JsonDocument.Parse(await consent.Content.ReadAsStringAsync()).RootElement.GetProperty("consentId").GetString()!;
        var referral = hub.ReferralIds.For(school, "cjg");
        var status = await hub.PostSignedAsync($"/api/referrals/{referral}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("contacted"));
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.ReferralStatusChanged, r => r.Body.Contains(referral, StringComparison.Ordinal));

        // Every notification about them delivered, and its delivery record written.
        var notifications = hub.Callbacks.Received.Where(r => Names(r.Body, school, welfare, matchId)).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()!).Distinct().ToArray();
        Assert.True(notifications.Length >= 5, $"expected melding.routed (2), match.found (2) and referral.status-changed; got {notifications.Length}");
        await Poll.UntilAsync(async () =>
        {
            foreach (var id in notifications)
            {
                if (!(await hub.Tables.Deliveries.GetEntityIfExistsAsync<TableEntity>(id, "record")).HasValue)
                {
                    return false;
                }
            }

            return true;
        }, Deadline, "a delivery record for every notification about the meldingen");
        var pseudonym = hub.Services.GetRequiredService<ChildPseudonym>().Of(bsn);
        var traces = new[] { school[4..], welfare[4..], matchId, pseudonym, consentId }.Concat(notifications).ToArray();
        Assert.NotEmpty(await RowsNamingAsync(traces));

        // 25 months later (both meldingen were reported today): the purge.
        hub.Clock.Shift(DateTimeOffset.UtcNow.AddMonths(25) - DateTimeOffset.UtcNow);
        var lastMonth = hub.Clock.GetUtcNow().AddMonths(-24).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        hub.Counter.Reset();
        hub.Counter.KeepingUris = true;
        hub.Counter.Counting = true;
        await PurgeAsync();
        hub.Counter.Counting = false;

        var left = await RowsNamingAsync(traces);
        Assert.True(left.All(IsTombstone), "rows left that name what was purged:\n" + string.Join("\n", left.Where(r => !IsTombstone(r))));
        Assert.Equal(new[] { school, welfare }.Order(StringComparer.Ordinal), left.Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.All(left, tombstone => Assert.DoesNotContain(pseudonym, tombstone.Text, StringComparison.Ordinal));

        // The gemeente's audit of a purged melding: 410, and the tombstone's month, feed and purge date.
        var audit = await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/{school}/audit");
        Assert.Equal(HttpStatusCode.Gone, audit.StatusCode);
        var problem = JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("Melding purged", true), (problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString()!.Contains("feed school", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, (await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/mld_{Guid.NewGuid():N}/audit")).StatusCode);

        // How it found its work: the retention index as one key range up to the last month past its term, every
        // other query within one partition (a query is a GET of "{table}()"; reads and deletes name their row).
        var queries = hub.Counter.Uris.Where(u => u.AbsolutePath.EndsWith("()", StringComparison.Ordinal))
            .Select(u => (Table: TableOf(u), Filter: Uri.UnescapeDataString(u.Query))).ToArray();
        var index = Assert.Single(queries, q => q.Table.EndsWith("retention", StringComparison.Ordinal));
        Assert.Contains($"PartitionKey le '{lastMonth}'", index.Filter, StringComparison.Ordinal);
        Assert.All(queries.Where(q => q != index), q => Assert.Contains("PartitionKey eq", q.Filter, StringComparison.Ordinal));
    }

    private async Task PurgeAsync()
    {
        var done = hub.Logs.Lines.Count(l => l.Contains("Retention purge done", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/PurgeRetention", "{}")).StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(hub.Logs.Lines.Count(l => l.Contains("Retention purge done", StringComparison.Ordinal)) > done), Deadline, "the purge done");
    }

    private static bool Names(string text, params string[] ids) => ids.Any(id => text.Contains(id, StringComparison.Ordinal) || text.Contains(id[4..], StringComparison.Ordinal));

    /// <summary>The table a request went to: the last path segment, without its key part.</summary>
    private static string TableOf(Uri uri) => uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1].Split('(')[0];

    private static bool IsTombstone(FoundRow row) => row.Table.EndsWith("audit", StringComparison.Ordinal) && row.RowKey == "purged";

    /// <summary>Every row of every table of this hub whose keys or values contain one of <paramref name="traces"/>: a scan, as only a test may.</summary>
    private async Task<IReadOnlyList<FoundRow>> RowsNamingAsync(IReadOnlyList<string> traces)
    {
        var service = StorageAccount.TableService(hub.Configuration);
        var prefix = hub.Configuration["Hub:Storage:TablePrefix"] ?? "";
        var found = new List<FoundRow>();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = HubFixture.TextOf(entity);
                if (traces.Any(t => text.Contains(t, StringComparison.Ordinal)))
                {
                    found.Add(new FoundRow(table.Name, entity.PartitionKey, entity.RowKey, text));
                }
            }
        }

        return found;
    }

    private sealed record FoundRow(string Table, string PartitionKey, string RowKey, string Text)
    {
        public override string ToString() => $"{Table} {PartitionKey} {RowKey}: {Text}";
    }
}

/// <summary>
/// A hub of its own for the purge: its clock can be moved on (timers and polling keep real time, only
/// "now" moves), and its storage clients count their requests when told to. The other timers are off,
/// so that only the purge runs in the moved-on time.
/// </summary>
public sealed class PurgeHubFixture : HubFixture
{
    public ShiftedClock Clock { get; } = new();

    public StorageRequestCounter Counter { get; } = new() { Counting = false };

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobs.CheckDeadlines.Disabled"] = "true",
            ["AzureWebJobs.CompileDigest.Disabled"] = "true",
            ["AzureWebJobs.SendCampaigns.Disabled"] = "true",
        });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton(Counter.Setup);
    }
}

/// <summary>The system clock, moved on by a fixed amount: "now" jumps, timers and timestamps run as they do.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _shiftTicks;

    public void Shift(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    public override long GetTimestamp() => System.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => System.CreateTimer(callback, state, dueTime, period);
}
