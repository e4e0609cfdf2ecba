using System.Text.Json;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Campaigns;

/// <summary>
/// The silent-partner reminder against the demo document (three months of silence; <c>basta-info</c>
/// to schools and police every 3 months from 1 September 2026; one gemeente subscriber): a partner
/// quiet for three months is reminded once, the gemeente told, the running campaign sent to it; a new
/// melding ends the period and the next silence is reminded again.
/// </summary>
public sealed class SilentPartnerRemindersTests
{
    // OBS De Regenboog's last melding: 10 November 2026, 13:00 in Amsterdam. Silent from 10 February 2027, 12:00 UTC,
    // when basta-info's current occurrence is that of 1 December 2026.
    private static readonly DateTimeOffset LastMelding = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SilentAt = new(2027, 2, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly RoutingWorld _world = new();

    private IReadOnlyList<OutboundNotification> Silent => _world.Outbox.SentOfType(NotificationTypes.PartnerSilent);

    private IReadOnlyList<OutboundNotification> Campaign => _world.Outbox.SentOfType(NotificationTypes.CampaignMessage);

    private Task<int> RemindAsync() => _world.SilentPartners().RemindAsync(CancellationToken.None);

    private Task MeldingAsync(string partner, DateTimeOffset at) => _world.Referrers.RecordMeldingAsync(partner, at, null, CancellationToken.None);

    /// <summary>Every partner but OBS De Regenboog has sent recently, so only it can be silent.</summary>
    private async Task OthersActiveAsync(DateTimeOffset at)
    {
        foreach (var partner in _world.Document.Partners.Where(p => p.Id != TestHub.SchoolPartner))
        {
            await MeldingAsync(partner.Id, at);
        }
    }

    [Fact]
    public async Task A_partner_quiet_for_three_months_is_reminded_once_the_gemeente_told_and_the_running_campaign_sent_to_it()
    {
        await MeldingAsync(TestHub.SchoolPartner, LastMelding);
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(SilentAt.AddMinutes(-1));
        Assert.Equal(0, await RemindAsync());

        _world.Time.SetUtcNow(SilentAt);
        var reminded = await RemindAsync();
        _world.Time.Advance(TimeSpan.FromDays(1));
        var again = await RemindAsync();

        Assert.Equal((1, 0), (reminded, again));
        var told = Assert.Single(Silent);
        Assert.Equal(new NotificationRecipient(RecipientKinds.Subscriber, "gemeente-jeugd"), told.Recipient);
        Assert.Equal(SilentAt, told.Notification.OccurredAt);
        // About the organisation only: these properties and no others.
        Assert.Equal(
            """{"partner":{"id":"obs-de-regenboog","name":"OBS De Regenboog"},"feed":"school","quietSince":"2026-11-10","everSent":true,"silentPartnerMonths":3,"campaigns":["basta-info"]}""",
            JsonSerializer.Serialize(told.Notification.Data));

        var reminder = Assert.Single(Campaign);
        Assert.Equal(new NotificationRecipient(RecipientKinds.Partner, TestHub.SchoolPartner), reminder.Recipient);
        Assert.Equal("basta-info", reminder.Notification.Data.GetProperty("campaignId").GetString());
        Assert.Equal("2026-12-01", reminder.Notification.Data.GetProperty("occurrence").GetString());
    }

    [Fact]
    public async Task The_reminders_campaign_message_has_an_id_of_its_own_so_it_is_not_taken_for_the_occurrences_own_send()
    {
        await MeldingAsync(TestHub.SchoolPartner, LastMelding);
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 5, 0, TimeSpan.Zero));
        await _world.Campaigns(null).FireAsync(CancellationToken.None); // the occurrence's own send, on its day
        _world.Time.SetUtcNow(SilentAt);
        await RemindAsync();

        var toSchool = Campaign.Where(n => n.Recipient.Id == TestHub.SchoolPartner).ToArray();
        Assert.Equal(2, toSchool.Length);
        Assert.All(toSchool, n => Assert.Equal("2026-12-01", n.Notification.Data.GetProperty("occurrence").GetString()));
        Assert.NotEqual(toSchool[0].Notification.Id, toSchool[1].Notification.Id);
    }

    [Fact]
    public async Task A_partner_that_sent_within_the_period_is_not_reminded()
    {
        await MeldingAsync(TestHub.SchoolPartner, SilentAt.AddMonths(-3).AddHours(1));
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(SilentAt);

        Assert.Equal(0, await RemindAsync());
        Assert.Empty(_world.Outbox.Sent);
    }

    [Fact]
    public async Task A_partner_that_never_sent_is_silent_three_months_after_the_hub_first_looked_and_one_outside_every_audience_gets_no_campaign()
    {
        var firstLook = new DateTimeOffset(2026, 11, 12, 8, 0, 0, TimeSpan.Zero);
        _world.Time.SetUtcNow(firstLook);
        Assert.Equal(0, await RemindAsync());
        _world.Time.SetUtcNow(firstLook.AddMonths(3).AddMinutes(-1));
        Assert.Equal(0, await RemindAsync());

        _world.Time.SetUtcNow(firstLook.AddMonths(3));
        Assert.Equal(4, await RemindAsync());

        Assert.Equal(
            _world.Document.Partners.Select(p => p.Id).Order(StringComparer.Ordinal),
            Silent.Select(n => n.Notification.Data.GetProperty("partner").GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.All(Silent, n =>
        {
            Assert.False(n.Notification.Data.GetProperty("everSent").GetBoolean());
            Assert.Equal("2026-11-12", n.Notification.Data.GetProperty("quietSince").GetString());
        });
        var welfare = Silent.Single(n => n.Notification.Data.GetProperty("feed").GetString() == Feeds.Welfare);
        Assert.Equal(0, welfare.Notification.Data.GetProperty("campaigns").GetArrayLength());
        // Schools and police get the occurrence current on 12 February 2027: 1 December 2026.
        Assert.Equal(
            ["cbs-de-wegwijzer", TestHub.SchoolPartner, TestHub.PolicePartner],
            Campaign.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(Campaign, n => Assert.Equal("2026-12-01", n.Notification.Data.GetProperty("occurrence").GetString()));
    }

    [Fact]
    public async Task A_new_melding_ends_the_silent_period_and_the_next_silence_is_reminded_again()
    {
        await MeldingAsync(TestHub.SchoolPartner, LastMelding);
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(SilentAt);
        await RemindAsync();

        // The partner sends again on 20 February: not silent until 20 May.
        var next = new DateTimeOffset(2027, 2, 20, 9, 0, 0, TimeSpan.Zero);
        await MeldingAsync(TestHub.SchoolPartner, next);
        await OthersActiveAsync(next.AddMonths(3).AddDays(-1));
        _world.Time.SetUtcNow(next.AddMonths(3).AddMinutes(-1));
        Assert.Equal(0, await RemindAsync());
        _world.Time.SetUtcNow(next.AddMonths(3));
        Assert.Equal(1, await RemindAsync());

        Assert.Equal(2, Silent.Count);
        Assert.Equal(["2026-11-10", "2027-02-20"], Silent.Select(n => n.Notification.Data.GetProperty("quietSince").GetString()));
        Assert.Equal(2, Silent.Select(n => n.Notification.Id).Distinct().Count());
    }

    [Fact]
    public async Task Routing_a_melding_records_the_partners_last_melding_also_when_the_referrer_gave_no_address()
    {
        var melding = TestMeldingen.School() with { Referrer = new Referrer("J. de Vries", "intern begeleider", null, "010-1234567") };

        await _world.Routing().RouteAsync(melding, CancellationToken.None);

        var activity = await _world.Referrers.ActivityAsync(TestHub.SchoolPartner, melding.ReceivedAt.AddMonths(4), CancellationToken.None);
        Assert.Equal(new PartnerActivity(TestHub.SchoolPartner, melding.ReceivedAt, EverSent: true), activity);
        Assert.Empty(_world.Referrers.All);
    }

    [Fact]
    public async Task Two_fires_at_the_same_moment_remind_once()
    {
        await MeldingAsync(TestHub.SchoolPartner, LastMelding);
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(SilentAt);
        using var bothStarted = new Barrier(2);

        var fires = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            bothStarted.SignalAndWait(TimeSpan.FromSeconds(10));
            return await RemindAsync();
        })));

        Assert.Equal(1, fires.Sum());
        Assert.Single(Silent);
        Assert.Single(Campaign);
    }

    [Fact]
    public async Task A_failure_halfway_through_a_reminder_is_finished_by_the_next_fire_under_the_same_ids()
    {
        await MeldingAsync(TestHub.SchoolPartner, LastMelding);
        await OthersActiveAsync(SilentAt.AddDays(-10));
        _world.Time.SetUtcNow(SilentAt);
        _world.Faults.FailAtPoint = "outbox:after"; // the campaign message is enqueued, then the fire dies

        Assert.Equal(0, await RemindAsync());
        Assert.Single(_world.Outbox.Sent);
        _world.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await RemindAsync());

        // The campaign message again under its id (the receiver drops it), the gemeente told once.
        Assert.Equal(2, Campaign.Count);
        Assert.Single(Campaign.Select(n => n.Notification.Id).Distinct());
        Assert.Single(Silent);
    }

    [Fact]
    public async Task A_disabled_partner_is_never_reminded()
    {
        var document = TestHub.Demo();
        document.Partners = document.Partners.Select(p => p.Id == TestHub.SchoolPartner ? p with { Enabled = false } : p).ToArray();
        var world = new RoutingWorld(document);
        await world.Referrers.RecordMeldingAsync(TestHub.SchoolPartner, LastMelding, null, CancellationToken.None);
        world.Time.SetUtcNow(SilentAt.AddMonths(6));

        await world.SilentPartners().RemindAsync(CancellationToken.None);

        Assert.DoesNotContain(world.Outbox.Sent, n => n.Recipient.Id == TestHub.SchoolPartner
            || n.Notification.Data.GetRawText().Contains(TestHub.SchoolPartner, StringComparison.Ordinal));
    }
}
