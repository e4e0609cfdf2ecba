using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Functions;
using FunctionsHub.Functions.Intake;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The gate's decisions that the end-to-end tests do not reach: which header names the party, per
/// endpoint kind, and the order of its checks. Without HTTP or storage: a request in memory.
/// </summary>
public sealed class SignedRequestGateTests
{
    private const string School = "obs-de-regenboog";
    private const string Provider = "cjg";
    private const string Body = """{"status":"given"}""";

    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> _secrets = new()
    {
        [School] = NewSecret(),
        [Provider] = NewSecret(),
    };

    private readonly SignedRequestGate _gate;

    public SignedRequestGateTests()
    {
        var document = new HubDocument
        {
            Partners = [new Partner(School, "school", "OBS De Regenboog", null)],
            Providers = [new Provider(Provider, "CJG", "cjg")],
        };
        _gate = new SignedRequestGate(new FixedHubDocument(document), new PartnerSignatures(new FunctionsHub.Core.PartySecrets(_secrets), new FakeTimeProvider(Now)));
    }

    [Fact]
    public async Task A_partner_is_admitted_with_its_record_the_raw_bytes_the_webhook_id_and_the_parsed_body()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, Body, webhookId: "msg_gate_1");

        using var signed = Admitted(await _gate.ReadJsonAsync(request, SignedParties.Partner, null, CancellationToken.None));

        Assert.Equal(SignedParties.Partner, signed.Party.Kind);
        Assert.Equal(School, signed.Party.Id);
        Assert.Equal("school", signed.Party.Partner?.Feed);
        Assert.Null(signed.Party.Provider);
        Assert.Equal(Encoding.UTF8.GetBytes(Body), signed.Body);
        Assert.Equal("msg_gate_1", signed.WebhookId);
        Assert.Equal("given", signed.Json!.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_provider_is_admitted_where_providers_are_taken()
    {
        var request = Signed(SignedRequestGate.ProviderHeader, Provider, Body);

        using var signed = Admitted(await _gate.ReadJsonAsync(request, SignedParties.PartnerOrProvider, null, CancellationToken.None));

        Assert.Equal(SignedParties.Provider, signed.Party.Kind);
        Assert.Equal("CJG", signed.Party.Provider?.Name);
        Assert.Null(signed.Party.Partner);
    }

    [Fact]
    public async Task Both_headers_at_once_are_401_even_when_the_signature_is_valid_for_one_of_them()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, Body);
        request.Headers[SignedRequestGate.ProviderHeader] = Provider;

        await AssertUnauthenticatedAsync(await _gate.ReadJsonAsync(request, SignedParties.PartnerOrProvider, null, CancellationToken.None),
            "Send either X-Partner-Id or X-Provider-Id naming a registered party, and a valid, current Standard Webhooks signature with its secret.");
    }

    [Fact]
    public async Task A_provider_id_in_X_Partner_Id_is_401_even_signed_with_the_providers_own_secret()
    {
        // The secrets hold providers too: the header must name a party of its own kind.
        var request = Signed(SignedRequestGate.PartnerHeader, Provider, Body);

        await AssertUnauthenticatedAsync(await _gate.ReadJsonAsync(request, SignedParties.Partner, null, CancellationToken.None),
            "X-Partner-Id must name a registered partner, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.");
    }

    [Fact]
    public async Task A_partner_id_in_X_Provider_Id_is_401()
    {
        var request = Signed(SignedRequestGate.ProviderHeader, School, Body);

        await AssertUnauthenticatedAsync(await _gate.ReadJsonAsync(request, SignedParties.PartnerOrProvider, null, CancellationToken.None),
            "Send either X-Partner-Id or X-Provider-Id naming a registered party, and a valid, current Standard Webhooks signature with its secret.");
    }

    [Fact]
    public async Task A_partner_on_a_provider_only_endpoint_is_401()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, Body);

        await AssertUnauthenticatedAsync(await _gate.ReadJsonAsync(request, SignedParties.Provider, null, CancellationToken.None),
            "X-Provider-Id must name a registered provider, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.");
    }

    [Fact]
    public async Task A_header_the_endpoint_does_not_take_is_not_read()
    {
        // As intake always did: X-Provider-Id next to a valid partner request changes nothing there.
        var request = Signed(SignedRequestGate.PartnerHeader, School, Body);
        request.Headers[SignedRequestGate.ProviderHeader] = Provider;

        using var signed = Admitted(await _gate.ReadJsonAsync(request, SignedParties.Partner, null, CancellationToken.None));

        Assert.Equal(School, signed.Party.Id);
    }

    [Fact]
    public async Task An_oversized_body_is_413_before_the_party_is_looked_at()
    {
        var request = Request(new string(' ', SignedRequests.MaxBodyBytes + 1), "application/json");

        Assert.Equal(413, Refused(await _gate.ReadJsonAsync(request, SignedParties.Partner, null, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task An_unauthenticated_request_is_401_before_authorization_and_content_type()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, "not json", contentType: "text/plain", secret: _secrets[Provider]);
        var asked = false;

        var refusal = Refused(await _gate.ReadJsonAsync(request, SignedParties.Partner, _ => { asked = true; return null; }, CancellationToken.None));

        Assert.Equal(401, refusal.Status);
        Assert.False(asked);
    }

    [Fact]
    public async Task The_endpoints_authorization_sees_the_party_and_answers_before_content_type()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, "not json", contentType: "text/plain");
        SignedParty? seen = null;
        var forbidden = JsonAnswer.Problem(403, "forbidden-feed", "Not allowed on this feed");

        var refusal = Refused(await _gate.ReadJsonAsync(request, SignedParties.Partner, party => { seen = party; return forbidden; }, CancellationToken.None));

        Assert.Same(forbidden, refusal);
        Assert.Equal(School, seen?.Partner?.Id);
    }

    [Theory]
    [InlineData("not json", "text/plain", 415)]
    [InlineData("not json", "application/json", 400)]
    public async Task The_body_is_read_as_JSON_only_after_authorization(string body, string contentType, int status)
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, body, contentType: contentType);

        Assert.Equal(status, Refused(await _gate.ReadJsonAsync(request, SignedParties.Partner, _ => null, CancellationToken.None)).Status);
    }

    [Fact]
    public void A_bodiless_request_is_signed_over_the_empty_body_and_any_body_sent_is_not_read()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, "", webhookId: "msg_gate_get");
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes("ignored"));

        using var signed = Admitted(_gate.ReadBodiless(request, SignedParties.Partner));

        Assert.Equal(School, signed.Party.Id);
        Assert.Empty(signed.Body);
        Assert.Null(signed.Json);
        Assert.Equal("msg_gate_get", signed.WebhookId);
    }

    [Fact]
    public async Task A_bodiless_request_signed_over_a_body_is_401()
    {
        var request = Signed(SignedRequestGate.PartnerHeader, School, Body);

        await AssertUnauthenticatedAsync(_gate.ReadBodiless(request, SignedParties.Partner),
            "X-Partner-Id must name a registered partner, and webhook-id, webhook-timestamp and webhook-signature must carry a valid, current signature with its secret.");
    }

    private static SignedRequest Admitted(SignedRequestOutcome outcome) =>
        Assert.IsType<SignedRequestOutcome.Admitted>(outcome).Request;

    private static JsonAnswer Refused(SignedRequestOutcome outcome) =>
        Assert.IsType<SignedRequestOutcome.Refused>(outcome).Answer;

    private static async Task AssertUnauthenticatedAsync(SignedRequestOutcome outcome, string detail)
    {
        var (status, contentType, body) = await ExecutedAnswers.ExecuteAsync(Refused(outcome));
        Assert.Equal(401, status);
        Assert.Equal("application/problem+json", contentType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("urn:functionshub:problem:unauthenticated", problem.GetProperty("type").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    /// <summary>A request signed at <see cref="Now"/> over the body's bytes, with the named party's secret unless another is given.</summary>
    private HttpRequest Signed(string header, string partyId, string body, string contentType = "application/json", string? webhookId = null, string? secret = null)
    {
        var request = Request(body, contentType);
        webhookId ??= HubFixture.NewWebhookId();
        request.Headers[header] = partyId;
        request.Headers[PartnerSignatures.IdHeader] = webhookId;
        request.Headers["webhook-timestamp"] = Now.ToUnixTimeSeconds().ToString();
        request.Headers[PartnerSignatures.SignatureHeader] = HubFixture.SignBytes(secret ?? _secrets[partyId], webhookId, Now, Encoding.UTF8.GetBytes(body));
        return request;
    }

    private static HttpRequest Request(string body, string contentType)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        request.ContentType = contentType;
        return request;
    }

    private static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
