using System.Net;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// <c>POST /api/consents</c> only from a party that knows the child; a stranger gets one and the same
/// 403 whether or not the hub knows the child, and nothing is stored.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ConsentPartyTests(HubFixture hub)
{
    private static string Consent(string bsn, string status) =>
        $$"""{ "bsn": "{{bsn}}", "status": "{{status}}", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }""";

    [Theory]
    [InlineData("X-Partner-Id", Melding.PolicePartner)]
    [InlineData("X-Provider-Id", "basta")]
    public async Task A_party_that_does_not_know_the_child_gets_the_same_403_for_a_known_and_an_unknown_child(string header, string party)
    {
        var known = Melding.NewBsn();
        await hub.ReportChildAsync(known);
        var knownWebhookId = HubFixture.NewWebhookId();

        var toKnown = await hub.PostSignedAsync("/api/consents", header, party, Consent(known, "given"), knownWebhookId);
        var toUnknown = await hub.PostSignedAsync("/api/consents", header, party, Consent(Melding.NewBsn(), "given"));

        Assert.Equal(HttpStatusCode.Forbidden, toKnown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, toUnknown.StatusCode);
        Assert.Equal("application/problem+json", toKnown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await toKnown.Content.ReadAsStringAsync(), await toUnknown.Content.ReadAsStringAsync());
        Assert.Contains("not-related", await toKnown.Content.ReadAsStringAsync());

        // Nothing recorded: no record from the stranger, and its delivery was not even claimed.
        var pseudonym = hub.Services.GetRequiredService<ChildPseudonym>().Of(known);
        var records = (await hub.ChildFileAsync(pseudonym)).Consents;
        Assert.DoesNotContain(records, r => r.Source == party);
        var delivery = await hub.Tables.Once.GetEntityIfExistsAsync<TableEntity>(Identifiers.ConsentId(party, knownWebhookId), ConsentRecording.DeliveryScope);
        Assert.False(delivery.HasValue);
    }

    [Theory]
    [InlineData("X-Partner-Id", Melding.SchoolPartner)]
    [InlineData("X-Provider-Id", "cjg")]
    public async Task The_partner_that_reported_the_child_and_the_provider_it_went_to_may_state_consent(string header, string party)
    {
        var bsn = Melding.NewBsn();
        await hub.ReportChildAsync(bsn);

        var response = await hub.PostSignedAsync("/api/consents", header, party, Consent(bsn, "refused"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pseudonym = hub.Services.GetRequiredService<ChildPseudonym>().Of(bsn);
        var records = (await hub.ChildFileAsync(pseudonym)).Consents;
        Assert.Contains(records, r => r.Source == party && r.Status == "refused");
    }

    [Fact]
    public async Task Operators_can_list_and_replay_the_poison_queue_of_consent_withdrawals()
    {
        var list = await hub.SendWithKeyAsync(HttpMethod.Get, "/api/operations/poison/consent-withdrawals");
        var replay = await hub.SendWithKeyAsync(HttpMethod.Post, "/api/operations/poison/consent-withdrawals/replay");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
    }
}
