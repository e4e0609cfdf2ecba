using System.Net;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The match follow-up through HTTP, the real routing and the real deadlines timer: two partners
/// report the same child, <c>match.found</c> gives both the match id, one confirms contact with
/// <c>POST /api/matches/{matchId}/contact</c>, and when the deadline has passed the timer (fired
/// through the admin endpoint) tells the gemeente's subscriber <c>match.unattended</c>, once.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class MatchFollowUpTests(HubFixture hub)
{
    private static string Contact(string matchId) => $"/api/matches/{matchId}/contact";

    /// <summary>The school and then youth work report one child; answers both meldingen once routed, and the match id match.found gave the school.</summary>
    private async Task<(string School, string Welfare, string MatchId)> MatchedAsync()
    {
        var bsn = Melding.NewBsn();
        var school = await hub.ReportChildAsync(bsn);
        var welfare = await hub.ReportChildAsync(bsn, "welfare");
        var found = await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.MatchFound, r => r.Body.Contains(school, StringComparison.Ordinal));
        var toWelfare = await hub.DeliveredAsync("partner", Melding.WelfarePartner, NotificationTypes.MatchFound, r => r.Body.Contains(welfare, StringComparison.Ordinal));
        var matchId = found.Json.GetProperty("data").GetProperty("matchId").GetString()!;
        Assert.Equal(matchId, toWelfare.Json.GetProperty("data").GetProperty("matchId").GetString());
        return (school, welfare, matchId);
    }

    private IReadOnlyList<string> FollowUpFires() => hub.Logs.Lines.Where(l => l.Contains("Checked match follow-ups:", StringComparison.Ordinal)).ToArray();

    /// <summary>Fires the deadlines timer and waits until its follow-up part is done (its log line).</summary>
    private async Task FireAsync()
    {
        var before = FollowUpFires().Count;
        var fired = await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CheckDeadlines", "{}");
        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(FollowUpFires().Count > before), TimeSpan.FromSeconds(30), "the deadlines fire done");
    }

    private IReadOnlyList<ReceivedCallback> UnattendedFor(string matchId) =>
        hub.Callbacks.ReceivedAt("/subscriber/gemeente-jeugd").Where(r => r.Type == NotificationTypes.MatchUnattended && r.Body.Contains(matchId, StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Two_partners_report_one_child_one_confirms_and_past_the_deadline_the_subscriber_gets_one_match_unattended()
    {
        var (school, welfare, matchId) = await MatchedAsync();
        Assert.Equal(Identifiers.MatchId(school, welfare), matchId);

        var confirmed = await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.SchoolPartner, "{}");
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(matchId, JsonDocument.Parse(await confirmed.Content.ReadAsStringAsync()).RootElement.GetProperty("matchId").GetString());

        await hub.BringFollowUpDueAsync(matchId);
        await FireAsync();
        var alert = await hub.DeliveredAsync("subscriber", "gemeente-jeugd", NotificationTypes.MatchUnattended, r => r.Body.Contains(matchId, StringComparison.Ordinal));

        Assert.True(alert.SignatureValid, "signed with the subscriber's own secret");
        var data = alert.Json.GetProperty("data");
        Assert.Equal([Melding.SchoolPartner], data.GetProperty("confirmedBy").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(
            new[] { Melding.SchoolPartner, Melding.WelfarePartner }.Order(StringComparer.Ordinal),
            data.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("mld_", alert.Body, StringComparison.Ordinal);

        // Fired again (and the schedule may fire meanwhile): still the one notification, told about by one fire.
        await FireAsync();
        Assert.Single(hub.Logs.Lines, l => l.Contains($"Match {matchId} unattended", StringComparison.Ordinal));
        Assert.Single(UnattendedFor(matchId));
    }

    [Fact]
    public async Task Confirmed_by_both_the_subscriber_gets_nothing()
    {
        var (_, _, matchId) = await MatchedAsync();
        Assert.Equal(HttpStatusCode.OK, (await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.SchoolPartner, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.WelfarePartner, "{}")).StatusCode);

        await hub.BringFollowUpDueAsync(matchId);
        await FireAsync();

        Assert.Empty(UnattendedFor(matchId));
    }

    [Fact]
    public async Task Confirming_twice_answers_200_both_times_with_the_first_confirmation()
    {
        var (_, _, matchId) = await MatchedAsync();

        var first = await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.WelfarePartner, "{}");
        var again = await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.WelfarePartner, "{}");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_partner_that_is_not_a_referrer_of_the_match_gets_the_404_of_an_unknown_match()
    {
        var (_, _, matchId) = await MatchedAsync();

        var otherPartner = await hub.PostSignedAsync(Contact(matchId), "X-Partner-Id", Melding.PolicePartner, "{}");
        var unknown = await hub.PostSignedAsync(Contact($"mtc_{Guid.NewGuid():N}"), "X-Partner-Id", Melding.SchoolPartner, "{}");
        var malformed = await hub.PostSignedAsync(Contact("not-a-match-id"), "X-Partner-Id", Melding.SchoolPartner, "{}");

        Assert.Equal(HttpStatusCode.NotFound, otherPartner.StatusCode);
        var answer = await otherPartner.Content.ReadAsStringAsync();
        Assert.Equal(answer, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(answer, await malformed.Content.ReadAsStringAsync());
        Assert.Contains("unknown-match", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_signature_is_401_like_intake_and_a_provider_cannot_confirm()
    {
        var (_, _, matchId) = await MatchedAsync();
        var request = hub.SignedMelding("school", Melding.SchoolPartner, "{}", secret: hub.SecretOf("cbs-de-wegwijzer"));
        request.RequestUri = new Uri(Contact(matchId), UriKind.Relative);

        var badSignature = await hub.Http.SendAsync(request);
        var provider = await hub.PostSignedAsync(Contact(matchId), "X-Provider-Id", "cjg", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, badSignature.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, provider.StatusCode);
        Assert.Contains("unauthenticated", await badSignature.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
