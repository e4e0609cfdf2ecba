using System.Net;
using System.Text.Json.Nodes;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Campaign mail end to end: meldingen put their referrers in the directory, the campaign timer
/// (fired through the admin endpoint, as the README says) mails them through a real SMTP server, and
/// the unsubscribe link in the mail works, after which the address gets no more campaign mail. The
/// test configuration's campaigns fall due yesterday at midnight: <c>basta-info</c> to the schools and
/// police, <c>pit-info</c> to CBS De Wegwijzer only.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class CampaignTests(HubFixture hub)
{
    private static string Address(string who) => $"{who}-{Guid.NewGuid():N}@school.example";

    /// <summary>A melding of the partner whose referrer has this address, routed.</summary>
    private async Task ReportAsync(string partnerId, string email)
    {
        var body = JsonNode.Parse(Melding.School($"CAMPAIGN-{Guid.NewGuid():N}"))!;
        body["referrer"]!["email"] = email;
        var response = await hub.PostMeldingAsync("school", partnerId, body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var meldingId = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["meldingId"]!.GetValue<string>();
        await hub.RoutedAsync(meldingId);
    }

    /// <summary>Fires the campaign timer and waits until the fire is done (its closing log line).</summary>
    private async Task FireAsync()
    {
        var before = Fires().Count;
        var fired = await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/SendCampaigns", "{}");
        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(Fires().Count > before), TimeSpan.FromSeconds(30), "the campaign fire done");
    }

    private IReadOnlyList<MimeMessage> MailsTo(string address) =>
        hub.Mail.All.Where(m => m.EnvelopeTo.Contains(address, StringComparer.OrdinalIgnoreCase)).Select(m => m.Message).ToArray();

    private Task<MimeMessage> MailAsync(string address, string subject) =>
        Poll.ForAsync(() => Task.FromResult(MailsTo(address).FirstOrDefault(m => m.Subject == subject)), TimeSpan.FromSeconds(30), $"a mail '{subject}' to {address}");

    [Fact]
    public async Task A_referrer_gets_the_campaign_by_mail_with_both_parts_and_a_working_unsubscribe_and_nothing_after_unsubscribing()
    {
        var referrer = Address("ib");
        await ReportAsync(Melding.SchoolPartner, referrer);

        await FireAsync();
        var mail = await MailAsync(referrer, "BASTA! voor kinderen van 8 tot 12");

        // Headers: the gemeente as sender, the referrer as recipient, the unsubscribe link for mail clients.
        var from = Assert.Single(mail.From.Mailboxes);
        Assert.Equal(("Gemeente Voorbeeldstad", "jeugd@voorbeeldstad.example"), (from.Name, from.Address));
        Assert.Equal(referrer, Assert.Single(mail.To.Mailboxes).Address);
        var listUnsubscribe = mail.Headers[HeaderId.ListUnsubscribe] ?? "";
        Assert.StartsWith($"<{hub.Url}/api/referrers/unsubscribe?token=", listUnsubscribe, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var link = listUnsubscribe.Trim('<', '>');

        // Both parts, each with the campaign, BASTA!'s entry on the sociale kaart and the link.
        Assert.Contains("BASTA! helpt kinderen", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Voor wie: Kinderen van 8 tot 12", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<h2>BASTA!</h2>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(link), mail.HtmlBody, StringComparison.Ordinal);

        // Following the link shows a page with a button and changes nothing; the button (a POST, as a
        // mail client's one-click unsubscribe sends it) unsubscribes.
        var page = await hub.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ReportAsync("cbs-de-wegwijzer", referrer);
        var colleague = Address("zorg");
        await ReportAsync("cbs-de-wegwijzer", colleague);

        var unsubscribed = await hub.Http.PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.Contains("U bent afgemeld", await unsubscribed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Now a referrer of CBS De Wegwijzer too, whose campaign pit-info it has not had: the next fire
        // records it as unsubscribed and sends it nothing, while the colleague who joined with it gets pit-info.
        await FireAsync();
        await MailAsync(colleague, "PIT: het preventief interventieteam");
        var key = hub.Services.GetRequiredService<ReferrerKeys>().Of(referrer);
        var sends = hub.Services.GetRequiredService<ICampaignSends>();
        await Poll.UntilAsync(
            async () => (await sends.OfOccurrenceAsync("pit-info", hub.CampaignOccurrence, CancellationToken.None))
                .Any(s => s.Recipient == key && s.Outcome == CampaignSendOutcome.Unsubscribed),
            TimeSpan.FromSeconds(30),
            "pit-info recorded as not sent to the unsubscribed address");
        Assert.Equal(["BASTA! voor kinderen van 8 tot 12"], MailsTo(referrer).Select(m => m.Subject));
    }

    [Fact]
    public async Task A_link_the_hub_did_not_make_is_refused_and_unsubscribes_no_one()
    {
        var forged = await hub.Http.PostAsync("/api/referrers/unsubscribe?token=" + new string('a', 32) + "." + new string('b', 32), new StringContent(""));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("niet geldig", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gemeente_sees_each_campaigns_next_and_last_occurrence_with_counts_and_a_preview_that_sends_nothing()
    {
        await ReportAsync(Melding.SchoolPartner, Address("overzicht"));
        await FireAsync();
        await Poll.UntilAsync(async () =>
            JsonNode.Parse(await (await hub.SendWithKeyAsync(HttpMethod.Get, "/api/campaigns")).Content.ReadAsStringAsync())!["campaigns"]!
                .AsArray().Single(c => c!["id"]!.GetValue<string>() == "basta-info")!["last"]!["sent"]!.GetValue<int>() >= 1,
            TimeSpan.FromSeconds(30), "basta-info's sends counted");

        var listed = await hub.SendWithKeyAsync(HttpMethod.Get, "/api/campaigns");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var listing = await listed.Content.ReadAsStringAsync();
        var campaigns = JsonNode.Parse(listing)!["campaigns"]!.AsArray();
        Assert.Equal(["basta-info", "pit-info"], campaigns.Select(c => c!["id"]!.GetValue<string>()));
        var basta = campaigns[0]!;
        Assert.Equal(hub.CampaignOccurrence, basta["last"]!["id"]!.GetValue<string>());
        // The counts are those of the recorded sends (other tests' referrers are in the shared hub's
        // directory too, some with an address the SMTP server refuses: those count as failed).
        var recorded = await hub.Services.GetRequiredService<ICampaignSends>().OfOccurrenceAsync("basta-info", hub.CampaignOccurrence, CancellationToken.None);
        Assert.Equal(
            (recorded.Count(s => s.Outcome == CampaignSendOutcome.Sent), recorded.Count(s => s.Outcome == CampaignSendOutcome.Failed), recorded.Count(s => s.Outcome == CampaignSendOutcome.Unsubscribed)),
            (basta["last"]!["sent"]!.GetValue<int>(), basta["last"]!["failed"]!.GetValue<int>(), basta["last"]!["unsubscribed"]!.GetValue<int>()));
        Assert.Equal(DateOnly.Parse(hub.CampaignOccurrence).AddMonths(1).ToString("yyyy-MM-dd"), basta["next"]!["id"]!.GetValue<string>());
        Assert.DoesNotContain("@", listing, StringComparison.Ordinal); // counts, never an address
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.GetAsync("/api/campaigns")).StatusCode);

        var mailsBefore = hub.Mail.All.Count;
        var preview = await hub.SendWithKeyAsync(HttpMethod.Post, "/api/campaigns/basta-info/preview", "");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var rendered = JsonNode.Parse(await preview.Content.ReadAsStringAsync())!;
        Assert.Equal("BASTA! voor kinderen van 8 tot 12", rendered["subject"]!.GetValue<string>());
        Assert.Contains("<h2>BASTA!</h2>", rendered["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("basta", rendered["message"]!["providers"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(mailsBefore, hub.Mail.All.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await hub.SendWithKeyAsync(HttpMethod.Post, "/api/campaigns/onbekend/preview", "")).StatusCode);
    }

    [Fact]
    public async Task A_partner_silent_for_three_months_is_reminded_once_the_gemeente_told_and_a_new_melding_ends_the_silence()
    {
        // Three months cannot pass in a test: the directory is told, as routing would have told it, that
        // CBS De Wegwijzer's last melding came four months ago.
        const string partner = "cbs-de-wegwijzer";
        var directory = hub.Services.GetRequiredService<IReferrerDirectory>();
        var lastMelding = DateTimeOffset.UtcNow.AddMonths(-4);
        await directory.RecordMeldingAsync(partner, lastMelding, null, CancellationToken.None);
        var quietSince = FunctionsHub.Core.GemeenteCalendar.Of("Europe/Amsterdam").DateOf(lastMelding).ToString("yyyy-MM-dd");

        await FireAsync();

        var told = await hub.DeliveredAsync("subscriber", "gemeente-jeugd", "partner.silent",
            r => r.Json.GetProperty("data").GetProperty("quietSince").GetString() == quietSince && r.Body.Contains(partner, StringComparison.Ordinal));
        var data = told.Json.GetProperty("data");
        Assert.Equal(("CBS De Wegwijzer", "school", true), (data.GetProperty("partner").GetProperty("name").GetString(), data.GetProperty("feed").GetString(), data.GetProperty("everSent").GetBoolean()));
        Assert.Equal(["basta-info", "pit-info"], data.GetProperty("campaigns").EnumerateArray().Select(c => c.GetString()));
        // The partner has pit-info twice: the occurrence's own send and the reminder, under ids of their own.
        await Poll.UntilAsync(
            () => Task.FromResult(hub.Callbacks.ReceivedAt($"/partner/{partner}")
                .Where(r => r.Type == "campaign.message" && r.Body.Contains("\"pit-info\"", StringComparison.Ordinal))
                .Select(r => r.WebhookId).Distinct().Count() == 2),
            TimeSpan.FromSeconds(30), "pit-info sent to CBS De Wegwijzer as occurrence and as reminder");

        // Fired again in the same silence: no second reminder.
        await FireAsync();
        Assert.EndsWith("; 0 silent partner(s) reminded", Fires()[^1], StringComparison.Ordinal);
        Assert.Single(hub.Callbacks.ReceivedAt("/subscriber/gemeente-jeugd"), r => r.Type == "partner.silent" && r.Body.Contains($"\"quietSince\":\"{quietSince}\"", StringComparison.Ordinal) && r.Body.Contains(partner, StringComparison.Ordinal));

        // A melding ends the silence: routing records it as the partner's latest.
        await ReportAsync(partner, Address("terug"));
        var activity = await directory.ActivityAsync(partner, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(activity.EverSent);
        Assert.True(activity.QuietSince > DateTimeOffset.UtcNow.AddMinutes(-5), $"quiet since {activity.QuietSince:O}, not since the melding just routed");
    }

    /// <summary>The campaign timer's closing log line of each fire, in order.</summary>
    private IReadOnlyList<string> Fires() => hub.Logs.Lines.Where(l => l.Contains("Campaigns fired:", StringComparison.Ordinal)).ToArray();
}
