using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// <c>GET /api/meldingen/{meldingId}</c>: the partner that sent a melding reads where it went; every
/// other caller gets the same 404 as for an id that does not exist.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class MeldingStatusTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_sender_follows_the_Location_and_reads_each_provider_with_kind_and_sent_once_routed()
    {
        var accepted = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.Body("school", "STATUS-LOCATION", Melding.NewBsn()).ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;
        var meldingId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;

        var status = await RoutedStatusAsync(location, Melding.SchoolPartner);

        Assert.Equal(meldingId, status.GetProperty("meldingId").GetString());
        var provider = Assert.Single(status.GetProperty("providers").EnumerateArray());
        Assert.Equal("cjg", provider.GetProperty("provider").GetString());
        Assert.Equal("referral", provider.GetProperty("kind").GetString());
        Assert.Equal("sent", provider.GetProperty("status").GetString());
        Assert.False(status.GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task The_status_and_the_audit_of_one_melding_are_two_routes()
    {
        var meldingId = await PostAsync("school", Melding.Body("school", "STATUS-AUDIT", Melding.NewBsn()));
        await RoutedStatusAsync($"/api/meldingen/{meldingId}", Melding.SchoolPartner);

        var audit = await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/{meldingId}/audit");
        var signedAudit = await hub.GetSignedAsync($"/api/meldingen/{meldingId}/audit", Melding.SchoolPartner);

        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains("\"decision\"", await audit.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, signedAudit.StatusCode);
    }

    [Fact]
    public async Task Both_senders_read_matched_once_another_partner_reports_the_same_child_and_neither_learns_who()
    {
        var bsn = Melding.NewBsn();
        var school = await PostAsync("school", Melding.Body("school", "STATUS-MATCH-SCHOOL", bsn));
        Assert.False((await RoutedStatusAsync($"/api/meldingen/{school}", Melding.SchoolPartner)).GetProperty("matched").GetBoolean());

        var police = await PostAsync("police", Melding.Body("police", "STATUS-MATCH-POLICE", bsn));
        var policeStatus = await RoutedStatusAsync($"/api/meldingen/{police}", Melding.PolicePartner);
        var schoolStatus = await RoutedStatusAsync($"/api/meldingen/{school}", Melding.SchoolPartner);

        Assert.True(policeStatus.GetProperty("matched").GetBoolean());
        Assert.True(schoolStatus.GetProperty("matched").GetBoolean());
        Assert.Equal(["basta", "pak-je-kans", "pit"], policeStatus.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("provider").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Melding.SchoolPartner, policeStatus.GetRawText());
        Assert.DoesNotContain(school, policeStatus.GetRawText());
        Assert.DoesNotContain(Melding.PolicePartner, schoolStatus.GetRawText());
        Assert.DoesNotContain(police, schoolStatus.GetRawText());
    }

    [Fact]
    public async Task The_answer_carries_no_child_data_no_description_and_no_referrer()
    {
        var bsn = Melding.NewBsn();
        var description = $"Zorgen {Guid.NewGuid():N}";
        var body = Melding.Body("school", "STATUS-PRIVACY", bsn, description);
        var meldingId = await PostAsync("school", body);

        var text = (await RoutedStatusAsync($"/api/meldingen/{meldingId}", Melding.SchoolPartner)).GetRawText();

        foreach (var personal in new[] { bsn, description, Melding.BirthDateNine, "Noor", "Testkind", "3071", "J. de Vries", "referrer@partner.example", "010-1234567" })
        {
            Assert.DoesNotContain(personal, text);
        }
    }

    [Fact]
    public async Task Another_partner_an_unsigned_caller_a_bad_signature_and_an_unknown_id_all_get_the_same_404()
    {
        var meldingId = await PostAsync("school", Melding.Body("school", "STATUS-OTHERS", Melding.NewBsn()));
        var path = $"/api/meldingen/{meldingId}";
        await RoutedStatusAsync(path, Melding.SchoolPartner);

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["another partner"] = await hub.GetSignedAsync(path, "cbs-de-wegwijzer"),
            ["a provider it went to"] = await hub.GetSignedAsync(path, "cjg"),
            ["unsigned"] = await hub.Http.GetAsync(path),
            ["the sender's id, another's signature"] = await hub.Http.SendAsync(Impersonating(path, Melding.SchoolPartner, hub.SecretOf("cbs-de-wegwijzer"))),
            ["the function key"] = await hub.SendWithKeyAsync(HttpMethod.Get, path),
            ["an unknown id"] = await hub.GetSignedAsync($"/api/meldingen/mld_{Guid.NewGuid():N}", Melding.SchoolPartner),
        };

        var unknown = await ProblemAsync(answers["an unknown id"]);
        foreach (var (caller, response) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{caller}: {(int)response.StatusCode}");
            Assert.Equal(unknown, await ProblemAsync(response));
        }
    }

    [Theory]
    [InlineData("mld_%23")]
    [InlineData("mld%3Fx%3D1")]
    [InlineData("a%5Cb")]
    [InlineData("%E2%9C%93")]
    [InlineData("MLD_0123456789ABCDEF0123456789ABCDEF")]
    public async Task An_id_no_melding_could_have_is_the_404_of_an_unknown_id(string escapedId)
    {
        var response = await hub.GetSignedAsync($"/api/meldingen/{escapedId}", Melding.SchoolPartner);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("unknown-melding", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> PostAsync(string feed, JsonObject body)
    {
        var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;
    }

    /// <summary>The sender's reading of the status once the melding is routed.</summary>
    private async Task<JsonElement> RoutedStatusAsync(string path, string partnerId)
    {
        var text = await Poll.ForAsync(async () =>
        {
            var response = await hub.GetSignedAsync(path, partnerId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var text = await response.Content.ReadAsStringAsync();
            var state = JsonDocument.Parse(text).RootElement.GetProperty("state").GetString();
            Assert.Contains(state, new[] { "accepted", "routed" });
            return state == "routed" ? text : null;
        }, Deadline, $"{path} routed");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A GET that claims one partner but is signed with another's secret.</summary>
    private static HttpRequestMessage Impersonating(string path, string partnerId, string secret)
    {
        var webhookId = HubFixture.NewWebhookId();
        var at = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Partner-Id", partnerId);
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", HubFixture.Sign(secret, webhookId, at, ""));
        return request;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response) =>
        $"{response.Content.Headers.ContentType?.MediaType} {await response.Content.ReadAsStringAsync()}";
}
