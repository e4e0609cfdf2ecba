using System.Net;
using System.Text.Json;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// <c>POST /api/meldingen/{id}/retract</c> through the running hub: the partner takes a melding back,
/// each provider that received it finds a <c>referral-retracted</c> notice in its inbox naming the
/// referral (never the child), the status reads <c>retracted</c> with every referral withdrawn, and
/// nobody else can retract it or learn it exists.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class RetractionTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private async Task<string> RoutedAsync(string feed, string bsn, string description)
    {
        var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), Melding.Body(feed, $"RETRACT-{Guid.NewGuid():N}", bsn, description).ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var meldingId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;
        await hub.RoutedAsync(meldingId);
        return meldingId;
    }

    private Task<HttpResponseMessage> RetractAsync(string meldingId, string partnerId, string reason) =>
        hub.PostSignedAsync($"/api/meldingen/{meldingId}/retract", "X-Partner-Id", partnerId, $$"""{"reason":"{{reason}}"}""");

    [Fact]
    public async Task Every_provider_finds_the_notice_by_referral_id_and_the_partner_reads_retracted_with_each_referral_withdrawn()
    {
        var bsn = Melding.NewBsn();
        var description = $"Zorgen {Guid.NewGuid():N}";
        var meldingId = await RoutedAsync("police", bsn, description);
        var referrals = new Dictionary<string, string>();
        foreach (var provider in new[] { "basta", "pak-je-kans", "pit" })
        {
            var referral = await Poll.ForAsync(async () => (await hub.ReceivedAsync($"inbox-{provider}")).FirstOrDefault(m => m.Contains($"\"meldingId\":\"{meldingId}\"", StringComparison.Ordinal)),
                Deadline, $"the referral in inbox-{provider}");
            referrals[provider] = JsonDocument.Parse(referral).RootElement.GetProperty("referralId").GetString()!;
        }

        var response = await RetractAsync(meldingId, Melding.PolicePartner, "wrong-child");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("retracted", status.GetProperty("state").GetString());
        Assert.All(status.GetProperty("providers").EnumerateArray(), p => Assert.Equal("withdrawn", p.GetProperty("status").GetString()));
        foreach (var (provider, referralId) in referrals)
        {
            var text = await Poll.ForAsync(async () => (await hub.ReceivedAsync($"inbox-{provider}")).FirstOrDefault(m => m.Contains("referral-retracted", StringComparison.Ordinal) && m.Contains(referralId, StringComparison.Ordinal)),
                Deadline, $"the notice in inbox-{provider}");
            var notice = JsonDocument.Parse(text).RootElement;
            Assert.Equal(("referral-retracted", provider, referralId, "wrong-child"),
                (notice.GetProperty("kind").GetString(), notice.GetProperty("provider").GetString(), notice.GetProperty("referralId").GetString(), notice.GetProperty("reason").GetString()));
            foreach (var personal in new[] { bsn, description, Melding.BirthDateNine, "Testkind" })
            {
                Assert.DoesNotContain(personal, text, StringComparison.Ordinal);
            }
        }

        var read = await hub.GetSignedAsync($"/api/meldingen/{meldingId}", Melding.PolicePartner);
        Assert.Equal("retracted", JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Retracting_again_answers_the_same_and_sends_nothing_again()
    {
        var meldingId = await RoutedAsync("school", Melding.NewBsn(), "Zorgen");
        var first = await RetractAsync(meldingId, Melding.SchoolPartner, "duplicate");
        await Poll.UntilAsync(async () => (await hub.PeekAsync("inbox-cjg")).Any(m => m.Contains("referral-retracted", StringComparison.Ordinal) && m.Contains(meldingId, StringComparison.Ordinal)),
            Deadline, "the notice in inbox-cjg");

        var second = await RetractAsync(meldingId, Melding.SchoolPartner, "other");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(await hub.ReceivedAsync("inbox-cjg"), m => m.Contains("referral-retracted", StringComparison.Ordinal) && m.Contains(meldingId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_partner_gets_the_404_of_an_unknown_melding_and_a_bad_reason_is_a_400_that_changes_nothing()
    {
        var meldingId = await RoutedAsync("school", Melding.NewBsn(), "Zorgen");

        var other = await RetractAsync(meldingId, Melding.PolicePartner, "entered-in-error");
        var unknown = await RetractAsync("mld_" + new string('0', 32), Melding.SchoolPartner, "entered-in-error");
        var badReason = await RetractAsync(meldingId, Melding.SchoolPartner, "changed-my-mind");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (other.StatusCode, unknown.StatusCode, badReason.StatusCode));
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await other.Content.ReadAsStringAsync());
        Assert.Contains("$.reason", await badReason.Content.ReadAsStringAsync());
        Assert.DoesNotContain("changed-my-mind", await badReason.Content.ReadAsStringAsync());
        var read = await hub.GetSignedAsync($"/api/meldingen/{meldingId}", Melding.SchoolPartner);
        Assert.Equal("routed", JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("state").GetString());
    }
}
