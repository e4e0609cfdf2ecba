using System.Net;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// <c>POST /api/referrals/{referralId}/status</c>: the provider a referral went to reports what became of
/// it; the sending partner reads the status and is told at its callback; nobody else can report.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class FeedbackTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static string Status(string status, string? reason = null, string? note = null, string? occurredAt = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["status"] = status,
            ["occurredAt"] = occurredAt ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["reason"] = reason,
            ["note"] = note,
        }.Where(p => p.Value is not null).ToDictionary());

    /// <summary>A school melding routed to cjg (a full referral): the melding id and cjg's referral id.</summary>
    public static async Task<(string MeldingId, string ReferralId)> RoutedToCjgAsync(HubFixture hub)
    {
        var meldingId = await hub.ReportChildAsync(Melding.NewBsn());
        return (meldingId, hub.ReferralIds.For(meldingId, "cjg"));
    }

    [Fact]
    public async Task The_provider_reports_contacted_and_the_sender_reads_it_and_is_told()
    {
        var (meldingId, referralId) = await RoutedToCjgAsync(hub);

        var response = await hub.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", Status("contacted"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(referralId, answer.GetProperty("referralId").GetString());
        Assert.Equal("contacted", answer.GetProperty("status").GetString());

        var status = await hub.GetSignedAsync($"/api/meldingen/{meldingId}", Melding.SchoolPartner);
        var provider = Assert.Single(JsonDocument.Parse(await status.Content.ReadAsStringAsync()).RootElement.GetProperty("providers").EnumerateArray());
        Assert.Equal("contacted", provider.GetProperty("status").GetString());
        Assert.True(provider.TryGetProperty("statusAt", out _));

        var delivered = await hub.DeliveredAsync("partner", Melding.SchoolPartner, "referral.status-changed",
            r => r.Json.GetProperty("data").GetProperty("referralId").GetString() == referralId);
        Assert.True(delivered.SignatureValid, "signed with the school's own secret");
        var data = delivered.Json.GetProperty("data");
        Assert.Equal(meldingId, data.GetProperty("meldingId").GetString());
        Assert.Equal("cjg", data.GetProperty("provider").GetProperty("id").GetString());
        Assert.Equal("contacted", data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_provider_gets_403_and_an_unknown_or_malformed_referral_404()
    {
        var (_, referralId) = await RoutedToCjgAsync(hub);

        var other = await hub.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "basta", Status("contacted"));
        var unknown = await hub.PostSignedAsync($"/api/referrals/{$"ref_{Guid.NewGuid():N}{Guid.NewGuid():N}"[..52]}/status", "X-Provider-Id", "cjg", Status("contacted"));
        var malformed = await hub.PostSignedAsync("/api/referrals/ref_%23/status", "X-Provider-Id", "cjg", Status("contacted"));
        var partner = await hub.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Partner-Id", Melding.SchoolPartner, Status("contacted"));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("not-your-referral", await other.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, partner.StatusCode);
    }

    [Fact]
    public async Task A_provider_that_computes_another_providers_referral_id_the_unkeyed_way_gets_the_same_404_as_for_no_referral()
    {
        // The melding went to cjg only; basta knows its id. The referral id cjg really has is keyed with
        // the hub's secret, so the digest anyone could compute names nothing, like one for a provider
        // the melding did not go to (pit): 403 against 404 no longer tells basta where the melding went.
        var (meldingId, referralId) = await RoutedToCjgAsync(hub);
        Assert.NotEqual(Unkeyed(meldingId, "cjg"), referralId);

        var wentThere = await hub.PostSignedAsync($"/api/referrals/{Unkeyed(meldingId, "cjg")}/status", "X-Provider-Id", "basta", Status("contacted"));
        var didNot = await hub.PostSignedAsync($"/api/referrals/{Unkeyed(meldingId, "pit")}/status", "X-Provider-Id", "basta", Status("contacted"));

        Assert.Equal(HttpStatusCode.NotFound, wentThere.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, didNot.StatusCode);
        Assert.Equal(await didNot.Content.ReadAsStringAsync(), await wentThere.Content.ReadAsStringAsync());
    }

    /// <summary>The referral id as it was before it was keyed: SHA-256 of (melding, provider), computable by anyone.</summary>
    private static string Unkeyed(string meldingId, string providerId) =>
        "ref_" + meldingId[4..] + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{meldingId}\n{providerId}")).AsSpan(0, 8));

    [Fact]
    public async Task Going_back_is_409_naming_the_current_status_and_the_same_delivery_again_is_the_same_202()
    {
        var (_, referralId) = await RoutedToCjgAsync(hub);
        var path = $"/api/referrals/{referralId}/status";
        var webhookId = HubFixture.NewWebhookId();
        var body = Status("intake-completed");

        var first = await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", body, webhookId);
        var again = await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", body, webhookId);
        var back = await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", Status("contacted"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        var problem = await back.Content.ReadAsStringAsync();
        Assert.Contains("invalid-transition", problem);
        Assert.Contains("intake-completed", problem);
    }
}
