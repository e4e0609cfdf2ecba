using System.Net;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The deadlines timer in the DevHost, fired through the admin endpoint: a referral whose promise
/// passed without contact yields <c>referral.overdue</c>, delivered to its provider's and the gemeente
/// subscriber's callbacks.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class DeadlinesTests(HubFixture hub)
{
    [Fact]
    public async Task A_referral_without_contact_past_its_promise_is_overdue_for_the_provider_and_the_subscriber()
    {
        // Recorded as routing would have two days ago, due a moment from now: whichever fire (this test's or
        // the schedule's) first runs after that moment finds it, since it is recorded before it falls due.
        var (meldingId, referralId) = await hub.RecordReferralFallingDueAsync();

        var response = await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CheckDeadlines", "{}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var toProvider = await hub.DeliveredAsync("provider", "cjg", "referral.overdue", r => r.Body.Contains(referralId, StringComparison.Ordinal));
        var toSubscriber = await hub.DeliveredAsync("subscriber", "gemeente-jeugd", "referral.overdue", r => r.Body.Contains(referralId, StringComparison.Ordinal));
        Assert.True(toProvider.SignatureValid && toSubscriber.SignatureValid, "each signed with its recipient's own secret");
        var data = toProvider.Json.GetProperty("data");
        Assert.Equal(meldingId, data.GetProperty("meldingId").GetString());
        Assert.Equal("cjg", data.GetProperty("provider").GetProperty("id").GetString());
    }
}
