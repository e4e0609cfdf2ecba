using System.Text.Json;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>The routing tables (consents, children, audit, referrals) and notifications-out over the real storage protocol.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RoutingTablesTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, TimeSpan.FromHours(1));
    private static readonly string Child = new('a', 64);

    private readonly HubTables _tables = azurite.Tables();

    [Fact]
    public async Task Consent_records_round_trip_per_child_and_a_repeat_overwrites()
    {
        var store = new TableConsentStore(_tables);
        var given = new ConsentRecord("cns_1", "given", ["all"], "parent", At, "mld_1");

        await store.RecordAsync(Child, given, CancellationToken.None);
        await store.RecordAsync(Child, given, CancellationToken.None);
        await store.RecordAsync(new string('b', 64), given with { ConsentId = "cns_2" }, CancellationToken.None);

        var records = await store.ForChildAsync(Child, CancellationToken.None);
        var only = Assert.Single(records);
        Assert.Equal(given with { Scope = only.Scope }, only);
        Assert.Equal(["all"], only.Scope);
    }

    [Fact]
    public async Task The_child_index_lists_every_melding_about_a_child_with_its_referrer()
    {
        var index = new TableChildIndex(_tables);
        var referrer = new Referrer("J. de Vries", "ib", "ib@school.example", null);

        await index.AddAsync(Child, new ChildMelding("mld_1", "obs-de-regenboog", "school", At, referrer), CancellationToken.None);
        await index.AddAsync(Child, new ChildMelding("mld_2", "politie-basisteam-voorbeeldstad", "police", At.AddDays(3), referrer with { Email = null, Phone = "0900" }), CancellationToken.None);

        var meldingen = (await index.MeldingenAsync(Child, CancellationToken.None)).OrderBy(m => m.MeldingId).ToArray();
        Assert.Equal(["mld_1", "mld_2"], meldingen.Select(m => m.MeldingId));
        Assert.Equal(referrer, meldingen[0].Referrer);
        Assert.Equal(At.AddDays(3), meldingen[1].ReportedAt);
    }

    [Fact]
    public async Task The_first_stored_decision_wins_and_events_are_recorded_once_per_key()
    {
        var audit = new TableAuditTrail(_tables);
        var first = new RoutingDecision([new ProviderDecision("basta", "referral", "parental-consent", ["police-offence"], "cns_1")], ["police-offence"], null, [], At);
        var second = first with { Providers = [new ProviderDecision("basta", "signal", "none", ["police-offence"])] };

        var stored = await audit.AddDecisionAsync("mld_1", first, CancellationToken.None);
        var again = await audit.AddDecisionAsync("mld_1", second, CancellationToken.None);
        await audit.AddEventAsync("mld_1", new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);
        await audit.AddEventAsync("mld_1", new AuditEvent("match-notified:mld_0", "match.found", At, "sent"), CancellationToken.None);

        var record = await audit.ReadAsync("mld_1", CancellationToken.None);
        Assert.Equal(Json(first), Json(stored));
        Assert.Equal(Json(first), Json(again));
        Assert.Equal(Json(first), Json(record.Decision!));
        Assert.True(record.Has("match-notified:mld_0"));
        Assert.Single(record.Events);
    }

    private static string Json(RoutingDecision decision) => JsonSerializer.Serialize(decision, HubJson.Default.RoutingDecision);

    [Fact]
    public async Task A_melding_without_audit_reads_as_empty()
    {
        var record = await new TableAuditTrail(_tables).ReadAsync("mld_never", CancellationToken.None);

        Assert.Null(record.Decision);
        Assert.Empty(record.Events);
    }

    [Fact]
    public async Task Notifications_go_to_notifications_out_as_base64_json()
    {
        var data = JsonSerializer.SerializeToElement(new MatchFoundData("mld_1", new PartnerRef("p", "P"), new Referrer("R", null, "r@x.example", null)), HubJson.Default.MatchFoundData);
        var notification = new OutboundNotification(new NotificationRecipient("partner", "p"), new NotificationEnvelope("match.found", $"ntf_{Guid.NewGuid():N}", At, data));

        await new StorageQueueNotifications(azurite.Queues()).EnqueueAsync(notification, CancellationToken.None);

        var queue = azurite.Queue(QueueNames.NotificationsOut, Azure.Storage.Queues.QueueMessageEncoding.Base64);
        var messages = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString());
        var mine = Assert.Single(messages, m => m.Contains(notification.Notification.Id));
        var read = JsonSerializer.Deserialize(mine, HubJson.Default.OutboundNotification)!;
        Assert.Equal("match.found", read.Notification.Type);
        Assert.Equal("mld_1", read.Notification.Data.GetProperty("meldingId").GetString());
    }
}
