using System.Net;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The deadlines timer in the DevHost, fired through the admin endpoint: a referral whose promise
/// passed without contact yields <c>referral.overdue</c>, delivered to its provider's and the gemeente
/// subscriber's callbacks.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class DeadlinesTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_referral_without_contact_past_its_promise_is_overdue_for_the_provider_and_the_subscriber()
    {
        // Recorded as routing would have two days ago, due a moment from now: whichever fire (this test's or
        // the schedule's) first runs after that moment finds it, since it is recorded before it falls due.
        var now = DateTimeOffset.UtcNow;
        var meldingId = $"mld_{Guid.NewGuid():N}";
        var referralId = hub.ReferralIds.For(meldingId, "cjg");
        var respondBefore = now.AddSeconds(2);
        var referral = new ReferralRecord(referralId, meldingId, "cjg", ReferralKinds.Signal, ConsentBases.None, now.AddDays(-2), respondBefore, DispatchState.Sent);
        await hub.Services.GetRequiredService<IInstroomLog>().RecordAsync(
            new RoutedMelding(meldingId, Melding.SchoolPartner, Feeds.School, now.AddDays(-2), 9, null, ["wellbeing"], Urgencies.Normal, null, false, now.AddDays(-2), [referral]),
            CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > respondBefore), Deadline, "the referral's promise to pass");

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
