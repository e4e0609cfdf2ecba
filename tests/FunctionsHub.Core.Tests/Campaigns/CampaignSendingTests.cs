using System.Collections.Concurrent;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Core.Tests.Campaigns;

/// <summary>
/// The campaign timer against the demo campaign <c>basta-info</c> (schools and police, every 3 months
/// from 1 September 2026 at 09:00 in Amsterdam): each recipient gets each occurrence once, whatever
/// the timer does; new referrers get the current occurrence once; unsubscribed and expired addresses
/// get nothing.
/// </summary>
public sealed class CampaignSendingTests
{
    // 1 December 2026, 09:00 in Amsterdam (winter time) is the second occurrence.
    private static readonly DateTimeOffset December = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] AudiencePartners = [TestHub.SchoolPartner, "cbs-de-wegwijzer", TestHub.PolicePartner];

    private readonly RoutingWorld _world = new();
    private readonly RecordingMail _mail = new();

    public CampaignSendingTests()
    {
        _world.Time.SetUtcNow(December.AddMinutes(5));
    }

    private async Task<DirectoryReferrer> ReferrerAsync(string partner, string email, DateTimeOffset? lastMelding = null)
    {
        var referrer = new DirectoryReferrer(partner, _world.ReferrerKeys.Of(email), "Referrer " + email, email, lastMelding ?? December.AddDays(-20));
        await _world.Referrers.RecordReferrerAsync(referrer, CancellationToken.None);
        return referrer;
    }

    /// <summary>Two at OBS De Regenboog, one at both schools, one police officer, one youth worker (welfare: not in the audience).</summary>
    private async Task SeedAsync()
    {
        await ReferrerAsync(TestHub.SchoolPartner, "ib@obs-de-regenboog.example");
        await ReferrerAsync(TestHub.SchoolPartner, "directie@obs-de-regenboog.example");
        await ReferrerAsync(TestHub.SchoolPartner, "zorg@scholengroep.example");
        await ReferrerAsync("cbs-de-wegwijzer", "ZORG@scholengroep.example");
        await ReferrerAsync(TestHub.PolicePartner, "jeugdagent@politie.example");
        await ReferrerAsync(TestHub.WelfarePartner, "m.yilmaz@jongerenwerk.example");
    }

    private static readonly string[] AudienceAddresses =
        ["directie@obs-de-regenboog.example", "ib@obs-de-regenboog.example", "jeugdagent@politie.example", "zorg@scholengroep.example"];

    private IReadOnlyList<OutboundNotification> Webhooks => _world.Outbox.SentOfType(NotificationTypes.CampaignMessage);

    [Fact]
    public async Task A_due_occurrence_goes_once_to_each_partner_of_the_audience_and_once_to_each_address_of_their_referrers()
    {
        await SeedAsync();

        var fire = await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(AudiencePartners.Order(StringComparer.Ordinal), Webhooks.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(Webhooks, n => Assert.Equal(RecipientKinds.Partner, n.Recipient.Kind));
        // The same address under both schools gets one mail, whatever its capitalisation.
        Assert.Equal(AudienceAddresses, _mail.Sent.Select(m => m.To.ToLowerInvariant()).Order(StringComparer.Ordinal));
        Assert.All(_mail.Sent, m => Assert.Equal("campaign.basta-info.2026-12-01." + _world.ReferrerKeys.Of(m.To), m.MessageId));
        Assert.Equal((7, 0, 0), (fire.Sent, fire.AlreadyDone, fire.Failed));
        var data = Webhooks[0].Notification.Data;
        Assert.Equal("2026-12-01", data.GetProperty("occurrence").GetString());
        Assert.Equal(December, Webhooks[0].Notification.OccurredAt);
    }

    [Fact]
    public async Task Firing_again_sends_nothing_more()
    {
        await SeedAsync();
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromHours(1));

        var again = await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(3, Webhooks.Count);
        Assert.Equal(4, _mail.Sent.Count);
        Assert.Equal(0, again.Sent);
    }

    [Fact]
    public async Task Two_fires_at_the_same_moment_send_one_mail_and_one_webhook_per_recipient()
    {
        await SeedAsync();
        // Each mail waits until both fires are under way, so that they overlap for real.
        using var bothStarted = new Barrier(2);
        var fires = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            bothStarted.SignalAndWait(TimeSpan.FromSeconds(10));
            return await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        })).ToArray();

        var results = await Task.WhenAll(fires);

        Assert.Equal(AudiencePartners.Length, Webhooks.Count);
        Assert.Equal(AudiencePartners.Length, Webhooks.Select(n => n.Notification.Id).Distinct().Count());
        Assert.Equal(AudienceAddresses.Length, _mail.Sent.Count);
        Assert.Equal(AudienceAddresses.Length, _mail.Sent.Select(m => m.To.ToLowerInvariant()).Distinct().Count());
        Assert.Equal(7, results.Sum(r => r.Sent));
    }

    [Fact]
    public async Task A_relay_failure_after_k_of_n_mails_stops_the_mail_and_the_next_fire_sends_the_rest_none_twice()
    {
        await SeedAsync();
        _mail.FailAt = 3; // the third mail: the relay is down

        var first = await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        Assert.Equal(2, _mail.Sent.Count);
        Assert.Equal(3, Webhooks.Count); // webhooks are not the relay's
        Assert.True(first.Failed >= 1);

        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(AudienceAddresses, _mail.Sent.Select(m => m.To.ToLowerInvariant()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_crash_while_enqueueing_a_webhook_leaves_that_partner_for_the_next_fire_and_sends_no_one_twice()
    {
        await SeedAsync();
        _world.Faults.FailAtPoint = "outbox:before";

        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        Assert.Equal(2, Webhooks.Count);

        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(AudiencePartners.Order(StringComparer.Ordinal), Webhooks.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.Equal(AudienceAddresses.Length, _mail.Sent.Count);
    }

    [Fact]
    public async Task After_downtime_of_three_periods_only_the_latest_missed_occurrence_is_sent_once()
    {
        await SeedAsync();
        // Down from before 1 September 2026 until 15 June 2027: 1 Sep, 1 Dec, 1 Mar and 1 Jun were all due.
        _world.Time.SetUtcNow(new DateTimeOffset(2027, 6, 15, 10, 0, 0, TimeSpan.Zero));
        foreach (var referrer in _world.Referrers.All)
        {
            await _world.Referrers.RecordReferrerAsync(referrer with { LastMeldingAt = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None);
        }

        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(["2027-06-01"], Webhooks.Select(n => n.Notification.Data.GetProperty("occurrence").GetString()).Distinct());
        Assert.Equal(3, Webhooks.Count);
        Assert.Equal(4, _mail.Sent.Count);
        Assert.All(_mail.Sent, m => Assert.Contains(".2027-06-01.", m.MessageId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nothing_is_sent_before_the_first_occurrence_nor_once_the_last_one_is_a_period_old()
    {
        var later = new RoutingWorld(TestHub.Demo() with
        {
            Campaigns = [TestHub.Demo().Campaigns[0] with { StartsOn = new DateOnly(2026, 12, 1), SendAt = "09:30" }],
        });
        later.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 29, 0, TimeSpan.Zero)); // 09:29 in Amsterdam, a minute before the first
        await later.Campaigns(_mail).FireAsync(CancellationToken.None);
        Assert.Empty(later.Outbox.SentOfType(NotificationTypes.CampaignMessage));
        later.Time.Advance(TimeSpan.FromMinutes(1));
        await later.Campaigns(_mail).FireAsync(CancellationToken.None);
        Assert.Equal(3, later.Outbox.SentOfType(NotificationTypes.CampaignMessage).Count);

        var ended = new RoutingWorld(TestHub.Demo() with
        {
            Campaigns = [TestHub.Demo().Campaigns[0] with { EndsOn = new DateOnly(2026, 9, 30) }],
        });
        ended.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)); // the last occurrence, 1 September, is 3 months old
        await ended.Campaigns(_mail).FireAsync(CancellationToken.None);
        Assert.Empty(ended.Outbox.SentOfType(NotificationTypes.CampaignMessage));
    }

    [Fact]
    public async Task An_unsubscribed_address_gets_no_mail_under_any_partner_and_is_counted_as_such()
    {
        await SeedAsync();
        await _world.Referrers.UnsubscribeAsync(_world.ReferrerKeys.Of("zorg@scholengroep.example"), December, CancellationToken.None);

        var fire = await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.DoesNotContain(_mail.Sent, m => m.To.Equals("zorg@scholengroep.example", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, _mail.Sent.Count);
        Assert.Equal(1, fire.Unsubscribed);
        var record = Assert.Single(_world.CampaignSends.All, s => s.Outcome == CampaignSendOutcome.Unsubscribed);
        Assert.Equal(_world.ReferrerKeys.Of("zorg@scholengroep.example"), record.Recipient);
    }

    [Fact]
    public async Task A_new_referrer_gets_the_current_occurrence_once_on_the_next_fire_and_the_others_nothing_again()
    {
        await SeedAsync();
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        var before = _mail.Sent.Count;

        await ReferrerAsync("cbs-de-wegwijzer", "nieuw@cbs-de-wegwijzer.example", December.AddDays(3));
        _world.Time.Advance(TimeSpan.FromDays(3));
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        var welcome = Assert.Single(_mail.Sent.Skip(before));
        Assert.Equal("nieuw@cbs-de-wegwijzer.example", welcome.To);
        Assert.Contains(".2026-12-01.", welcome.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanently_refused_address_is_recorded_as_failed_and_not_tried_again()
    {
        await SeedAsync();
        _mail.Refuse = "directie@obs-de-regenboog.example";

        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.Equal(1, _mail.Refusals);
        var failed = Assert.Single(_world.CampaignSends.All, s => s.Outcome == CampaignSendOutcome.Failed);
        Assert.Equal(("RecipientRejected", _world.ReferrerKeys.Of("directie@obs-de-regenboog.example")), (failed.Reason, failed.Recipient));
        Assert.Equal(3, _mail.Sent.Count);
    }

    [Fact]
    public async Task A_referrer_whose_last_melding_is_older_than_the_retention_is_removed_not_mailed()
    {
        await SeedAsync();
        await ReferrerAsync(TestHub.PolicePartner, "oud@politie.example", December.AddMonths(-25));

        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        Assert.DoesNotContain(_mail.Sent, m => m.To == "oud@politie.example");
        Assert.DoesNotContain(_world.Referrers.All, r => r.Email == "oud@politie.example");
        Assert.Contains(_world.Referrers.All, r => r.Email == "jeugdagent@politie.example");
    }

    [Fact]
    public async Task Without_e_mail_campaigns_go_to_partners_only()
    {
        await SeedAsync();

        await _world.Campaigns(mail: null).FireAsync(CancellationToken.None);

        Assert.Equal(3, Webhooks.Count);
        Assert.Empty(_mail.Sent);
    }

    [Fact]
    public async Task Routing_a_melding_puts_its_referrer_in_the_directory_under_its_partner_and_one_without_e_mail_nowhere()
    {
        await _world.Routing().RouteAsync(await _world.AcceptedAsync(TestMeldingen.School()), CancellationToken.None);
        await _world.Routing().RouteAsync(await _world.AcceptedAsync(TestMeldingen.Police()), CancellationToken.None);

        var referrer = Assert.Single(_world.Referrers.All);
        Assert.Equal((TestHub.SchoolPartner, "J. de Vries", "ib@obs-de-regenboog.example", _world.ReferrerKeys.Of("IB@obs-de-regenboog.example ")),
            (referrer.PartnerId, referrer.Name, referrer.Email, referrer.Key));
        Assert.Equal(TestMeldingen.School().ReceivedAt, referrer.LastMeldingAt);
    }

    [Fact]
    public async Task Campaign_content_is_the_configuration_and_never_anything_from_a_melding()
    {
        var school = TestMeldingen.School();
        await _world.Routing().RouteAsync(await _world.AcceptedAsync(school), CancellationToken.None);
        _world.Time.SetUtcNow(December.AddMinutes(5));

        await _world.Campaigns(_mail).FireAsync(CancellationToken.None);

        var mail = Assert.Single(_mail.Sent);
        var texts = new[] { mail.Subject, mail.TextBody, mail.HtmlBody }.Concat(Webhooks.Select(n => n.Notification.Data.GetRawText())).ToArray();
        string[] fromTheMelding = [school.Child.Bsn, school.Child.GivenName!, school.Child.FamilyName!, school.Child.BirthDate.ToString("yyyy-MM-dd"), school.Description!, school.ExternalId, school.MeldingId, "3071AB"];
        // As words: the family name "Voorbeeld" is part of the gemeente's name "Voorbeeldstad".
        Assert.All(texts, text => Assert.All(fromTheMelding, value =>
            Assert.DoesNotMatch($@"(?i)(?<!\w){System.Text.RegularExpressions.Regex.Escape(value)}(?!\w)", text)));

        // What it does say: the campaign's text and BASTA!'s entry on the sociale kaart, and the way out.
        var basta = TestHub.Demo().FindProvider(TestHub.Basta)!;
        Assert.Contains(TestHub.Demo().Campaigns[0].Body, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(basta.Name, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(mail.Unsubscribe.AbsoluteUri, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(mail.Unsubscribe.AbsoluteUri), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(_world.ReferrerKeys.Of(school.Referrer.Email!), _world.ReferrerKeys.KeyOf(System.Web.HttpUtility.ParseQueryString(mail.Unsubscribe.Query)["token"]));
        var providers = Webhooks[0].Notification.Data.GetProperty("providers");
        Assert.Equal(TestHub.Basta, providers[0].GetProperty("id").GetString());
    }

    /// <summary>A mail sender that records what it is given, failing as told.</summary>
    private sealed class RecordingMail : IMailSender
    {
        private readonly ConcurrentQueue<OutgoingMail> _sent = new();
        private int _calls;
        private int _refusals;

        public IReadOnlyCollection<OutgoingMail> Sent => _sent.ToArray();

        /// <summary>The call (1-based) at which the relay turns out to be unreachable, once.</summary>
        public int FailAt { get; set; }

        /// <summary>An address the relay refuses for good.</summary>
        public string? Refuse { get; set; }

        public int Refusals => _refusals;

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == FailAt)
            {
                throw new MailNotSentException(MailFailure.ConnectionFailed, "The mail server could not be reached.");
            }

            if (mail.To == Refuse)
            {
                Interlocked.Increment(ref _refusals);
                throw new MailNotSentException(MailFailure.RecipientRejected, "The mail server refused the recipient (550 5.1.1).", 550, "5.1.1");
            }

            _sent.Enqueue(mail);
            return Task.CompletedTask;
        }
    }
}
