using System.Net;
using System.Text.Json;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Delivery as the gemeente operates it on the DevHost: a partner's endpoint that refuses a
/// notification shows up in the failed deliveries and on <c>notifications-out-poison</c> (by ids only),
/// and a replay once the endpoint is fixed delivers it, under the same webhook-id.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class DeliveryOperationsTests(HubFixture hub)
{
    [Fact]
    public async Task A_refused_notification_is_shown_to_the_gemeente_and_delivered_by_a_replay()
    {
        var (meldingId, referralId) = await FeedbackTests.RoutedToCjgAsync(hub);
        hub.Callbacks.AnswerWhere((path, body) => body.Contains(referralId) && body.Contains("referral.status-changed") && !Fixed, 404);

        Assert.Equal(HttpStatusCode.Accepted, (await hub.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("contacted"))).StatusCode);

        var refused = await hub.DeliveredAsync("partner", Melding.SchoolPartner, "referral.status-changed", r => r.Body.Contains(referralId));
        var failed = (await Poll.ForAsync(async () => (await DeliveriesAsync("failed")).Where(d => d.GetProperty("notificationId").GetString() == refused.WebhookId).ToArray() is [_] found ? found : null,
            TimeSpan.FromSeconds(30), "the refused delivery in the failed listing"))[0];
        Assert.Equal("http-404", failed.GetProperty("reason").GetString());
        Assert.Equal(404, failed.GetProperty("lastStatus").GetInt32());
        Assert.Equal(Melding.SchoolPartner, failed.GetProperty("recipientId").GetString());
        Assert.DoesNotContain(meldingId, failed.GetRawText());

        var poison = await Poll.ForAsync(async () =>
        {
            var listing = JsonDocument.Parse(await (await hub.SendWithKeyAsync(HttpMethod.Get, "/api/operations/poison/notifications-out")).Content.ReadAsStringAsync()).RootElement;
            return listing.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("notificationId").GetString() == refused.WebhookId).ToArray() is [_] found ? found : null;
        }, TimeSpan.FromSeconds(30), "the refused notification on notifications-out-poison");

        Fixed = true;
        var replay = await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/operations/poison/notifications-out/{poison[0].GetProperty("messageId").GetString()}/replay");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);

        await Poll.UntilAsync(() => Task.FromResult(hub.Callbacks.ReceivedAt($"/partner/{Melding.SchoolPartner}").Count(r => r.WebhookId == refused.WebhookId) == 2),
            TimeSpan.FromSeconds(30), "the replayed notification delivered again");
        await Poll.UntilAsync(async () => (await DeliveriesAsync("failed")).All(d => d.GetProperty("notificationId").GetString() != refused.WebhookId),
            TimeSpan.FromSeconds(30), "the delivered notification gone from the failed listing");
    }

    [Fact]
    public async Task The_listing_names_the_states_it_knows_and_needs_the_function_key()
    {
        var unknown = await hub.SendWithKeyAsync(HttpMethod.Get, "/api/operations/deliveries?state=delivered");
        var anonymous = await hub.Http.GetAsync("/api/operations/deliveries?state=failed");

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("failed, gone, undeliverable", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private bool Fixed { get; set; }

    private async Task<JsonElement[]> DeliveriesAsync(string state)
    {
        var response = await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/operations/deliveries?state={state}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("deliveries").EnumerateArray().ToArray();
    }
}
