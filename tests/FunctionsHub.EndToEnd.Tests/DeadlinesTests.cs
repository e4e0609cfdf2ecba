using System.Net;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The deadlines timer in the DevHost, fired through the admin endpoint: a referral whose promise
/// passed without contact yields <c>referral.overdue</c> on <c>notifications-out</c> for its provider and
/// the gemeente's subscriber. Kept small: how notifications are observed changes once delivery lands.
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
        var referralId = Identifiers.ReferralId(meldingId, "cjg");
        var respondBefore = now.AddSeconds(2);
        var referral = new ReferralRecord(referralId, meldingId, "cjg", ReferralKinds.Signal, ConsentBases.None, now.AddDays(-2), respondBefore, DispatchState.Sent);
        await hub.Services.GetRequiredService<IInstroomLog>().RecordAsync(
            new RoutedMelding(meldingId, Melding.SchoolPartner, Feeds.School, now.AddDays(-2), 9, null, ["wellbeing"], Urgencies.Normal, null, false, now.AddDays(-2), [referral]),
            CancellationToken.None);
        await Poll.UntilAsync(() => Task.FromResult(DateTimeOffset.UtcNow > respondBefore), Deadline, "the referral's promise to pass");

        var response = await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CheckDeadlines", "{}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var overdue = await Poll.ForAsync(async () =>
            {
                var found = (await hub.ReceivedAsync(QueueNames.NotificationsOut))
                    .Where(m => m.Contains("referral.overdue", StringComparison.Ordinal) && m.Contains(referralId, StringComparison.Ordinal))
                    .Select(m => JsonDocument.Parse(m).RootElement.Clone())
                    .ToArray();
                return found.Length >= 2 ? found : null;
            },
            Deadline, "referral.overdue for the provider and the subscriber");
        Assert.Equal(
            [("provider", "cjg"), ("subscriber", "gemeente-jeugd")],
            overdue.Select(m => (m.GetProperty("recipient").GetProperty("kind").GetString()!, m.GetProperty("recipient").GetProperty("id").GetString()!)).Order());
        var data = overdue[0].GetProperty("notification").GetProperty("data");
        Assert.Equal(meldingId, data.GetProperty("meldingId").GetString());
        Assert.Equal("cjg", data.GetProperty("provider").GetProperty("id").GetString());
    }
}
