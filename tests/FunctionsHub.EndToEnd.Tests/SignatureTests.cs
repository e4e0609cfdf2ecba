using System.Net;
using System.Text;
using FunctionsHub.Core;
using FunctionsHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>Standard Webhooks authentication of partners: who may post, with which secret, and when.</summary>
[Collection(HubCollection.Name)]
public sealed class SignatureTests(HubFixture hub)
{
    [Fact]
    public void Signatures_match_the_published_Standard_Webhooks_test_vector()
    {
        var signature = new StandardWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), "{\"test\": 2432232314}");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";

    private static PartnerSignatures VectorVerifier(long nowSeconds = VectorTimestamp) =>
        new(new PartySecrets(new Dictionary<string, string> { ["p"] = VectorSecret }), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(nowSeconds)));

    private static HeaderDictionary VectorHeaders(string signature) => new()
    {
        ["webhook-id"] = VectorId,
        ["webhook-timestamp"] = VectorTimestamp.ToString(),
        ["webhook-signature"] = signature,
    };

    [Fact]
    public void A_secret_under_the_underscore_name_Azure_and_shells_can_hold_verifies_the_hyphenated_party()
    {
        var verifier = new PartnerSignatures(
            new PartySecrets(new Dictionary<string, string> { ["obs_de_regenboog"] = VectorSecret }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp)));

        Assert.True(verifier.IsAuthentic("obs-de-regenboog", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")));
    }

    [Fact]
    public void The_hub_verifies_over_raw_bytes_what_the_StandardWebhooks_package_signs()
    {
        var signature = new StandardWebhook(VectorSecret).Sign(VectorId, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp), VectorBody);

        Assert.True(VectorVerifier().IsAuthentic("p", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders(signature)));
        Assert.True(VectorVerifier().IsAuthentic("p", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")));
    }

    [Fact]
    public void One_changed_byte_or_an_unknown_party_or_version_fails_verification()
    {
        var body = Encoding.UTF8.GetBytes(VectorBody);
        var changed = body.ToArray();
        changed[^2] ^= 1;
        const string valid = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

        Assert.False(VectorVerifier().IsAuthentic("p", changed, VectorHeaders(valid)));
        Assert.False(VectorVerifier().IsAuthentic("other", body, VectorHeaders(valid)));
        Assert.False(VectorVerifier().IsAuthentic("p", body, VectorHeaders("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")));
        Assert.False(VectorVerifier().IsAuthentic("p", body, VectorHeaders("v1,not base64!")));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void The_timestamp_tolerance_is_300_seconds_either_way(int nowOffsetSeconds, bool authentic)
    {
        Assert.Equal(authentic, VectorVerifier(VectorTimestamp + nowOffsetSeconds)
            .IsAuthentic("p", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")));
    }

    [Fact]
    public void During_key_rotation_the_current_signature_may_come_first_or_last()
    {
        const string valid = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        const string retired = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        Assert.True(VectorVerifier().IsAuthentic("p", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders($"{valid} {retired}")));
        Assert.True(VectorVerifier().IsAuthentic("p", Encoding.UTF8.GetBytes(VectorBody), VectorHeaders($"{retired} {valid}")));
    }

    [Fact]
    public async Task A_body_that_is_not_UTF8_is_verified_over_its_bytes_and_refused_as_malformed_not_unauthenticated()
    {
        // 0xFF inside the externalId string: never valid in UTF-8.
        var parts = Melding.School("NOT|UTF8").Split('|');
        byte[] body = [.. Encoding.UTF8.GetBytes(parts[0]), 0xFF, .. Encoding.UTF8.GetBytes(parts[1])];

        var response = await hub.Http.SendAsync(hub.SignedBytes("/api/feeds/school/meldingen", "X-Partner-Id", Melding.SchoolPartner, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed-json", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_correctly_signed_melding_is_accepted()
    {
        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("SIGNED"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_body_is_401()
    {
        var request = hub.SignedMelding("school", Melding.SchoolPartner, Melding.School("ORIGINAL"));
        request.Content = new StringContent(Melding.School("TAMPERED"), System.Text.Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_timestamp_more_than_300_seconds_off_is_401(int offsetSeconds)
    {
        var request = hub.SignedMelding("school", Melding.SchoolPartner, Melding.School("LATE"), timestamp: WholeSecondsFromNow(offsetSeconds));

        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(-290)]
    [InlineData(290)]
    public async Task A_timestamp_within_300_seconds_is_accepted(int offsetSeconds)
    {
        var request = hub.SignedMelding("school", Melding.SchoolPartner, Melding.School("IN-TIME"), timestamp: WholeSecondsFromNow(offsetSeconds));

        Assert.Equal(HttpStatusCode.Accepted, (await hub.Http.SendAsync(request)).StatusCode);
    }

    /// <summary>
    /// The header carries whole seconds: round away from now (up for the future, down for the past) so
    /// that the offset the hub sees is at least the one meant, whenever in a second the test runs.
    /// </summary>
    private static DateTimeOffset WholeSecondsFromNow(int offsetSeconds)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var second = offsetSeconds > 0 ? (now + 999) / 1000 : now / 1000;
        return DateTimeOffset.FromUnixTimeSeconds(second + offsetSeconds);
    }

    [Fact]
    public async Task Another_partners_secret_is_401()
    {
        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OTHER"), secret: hub.SecretOf("cbs-de-wegwijzer"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_partner_is_401()
    {
        var response = await hub.PostMeldingAsync("school", "onbekende-school", Melding.School("UNKNOWN"), secret: hub.SecretOf(Melding.SchoolPartner));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Missing_signature_headers_are_401()
    {
        var request = hub.SignedMelding("school", Melding.SchoolPartner, Melding.School("BARE"));
        request.Headers.Remove("webhook-signature");

        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task During_key_rotation_one_valid_signature_among_several_is_enough()
    {
        var webhookId = HubFixture.NewWebhookId();
        var at = DateTimeOffset.UtcNow;
        var body = Melding.School("ROTATED");
        var request = hub.SignedMelding("school", Melding.SchoolPartner, body, webhookId, timestamp: at);
        var retired = HubFixture.Sign("whsec_cmV0aXJlZC1zZWNyZXQtb2YtdGhlLXNjaG9vbC0wMQ==", webhookId, at, body);
        var current = HubFixture.Sign(hub.SecretOf(Melding.SchoolPartner), webhookId, at, body);
        request.Headers.Remove("webhook-signature");
        request.Headers.Add("webhook-signature", $"{retired} {current}");

        Assert.Equal(HttpStatusCode.Accepted, (await hub.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Only_retired_signatures_are_401()
    {
        var webhookId = HubFixture.NewWebhookId();
        var at = DateTimeOffset.UtcNow;
        var body = Melding.School("RETIRED");
        var request = hub.SignedMelding("school", Melding.SchoolPartner, body, webhookId, timestamp: at);
        request.Headers.Remove("webhook-signature");
        request.Headers.Add("webhook-signature", HubFixture.Sign("whsec_cmV0aXJlZC1zZWNyZXQtb2YtdGhlLXNjaG9vbC0wMQ==", webhookId, at, body));

        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_partner_posting_to_a_feed_it_is_not_registered_for_is_403()
    {
        var response = await hub.PostMeldingAsync("school", Melding.PolicePartner, Melding.School("WRONG-FEED"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_disabled_partner_is_403()
    {
        var response = await hub.PostMeldingAsync("school", HubFixture.DisabledPartner, Melding.School("DISABLED"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_refused_signature_stores_nothing()
    {
        var webhookId = HubFixture.NewWebhookId();

        await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("NOTHING"), webhookId, hub.SecretOf("cbs-de-wegwijzer"));

        var stored = await hub.Tables.Meldingen.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(Identifiers.MeldingId(Melding.SchoolPartner, webhookId), "");
        Assert.False(stored.HasValue);
    }
}
