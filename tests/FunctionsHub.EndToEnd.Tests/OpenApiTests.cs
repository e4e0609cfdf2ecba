using System.Net;
using System.Text.Json.Nodes;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>The OpenAPI document partner developers read is true: it parses, and the DevHost serves every route and status it lists.</summary>
[Collection(HubCollection.Name)]
public sealed class OpenApiTests(HubFixture hub)
{
    [Fact]
    public async Task The_document_is_served_and_parses_as_OpenAPI_3_without_errors()
    {
        var (document, errors) = await ReadDocumentAsync();

        Assert.Empty(errors);
        Assert.Equal("FunctionsHub partner API", document.Info.Title);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public async Task Every_route_and_status_the_document_lists_is_one_the_hub_answers()
    {
        var (document, _) = await ReadDocumentAsync();
        var listed = document.Paths
            .SelectMany(path => path.Value.Operations.SelectMany(op => op.Value.Responses.Keys.Select(status => $"{op.Key.ToString().ToUpperInvariant()} {path.Key} {status}")))
            .Order()
            .ToArray();

        Assert.Equal(Scenarios.Keys.Order(), listed);
        foreach (var (key, send) in Scenarios)
        {
            var response = await send(hub);
            Assert.True(key.EndsWith(" " + (int)response.StatusCode, StringComparison.Ordinal), $"{key} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Every_documented_error_has_examples_and_what_the_hub_answers_is_one_of_them()
    {
        var paths = JsonNode.Parse(await hub.Http.GetStringAsync("/api/openapi.json"))!["paths"]!;
        foreach (var (key, send) in Scenarios.Where(s => !s.Key.EndsWith(" 200", StringComparison.Ordinal) && !s.Key.EndsWith(" 202", StringComparison.Ordinal)))
        {
            var (method, path, status) = (key.Split(' ')[0].ToLowerInvariant(), key.Split(' ')[1], key.Split(' ')[2]);
            var examples = paths[path]![method]!["responses"]![status]!["content"]!["application/problem+json"]!["examples"]!.AsObject()
                .Select(e => e.Value!["value"]!).ToArray();
            Assert.True(examples.Length > 0, $"{key} has no example");
            Assert.All(examples, e => Assert.Equal(int.Parse(status), e["status"]!.GetValue<int>()));

            var answer = JsonNode.Parse(await (await send(hub)).Content.ReadAsStringAsync())!;
            var type = answer["type"]!.GetValue<string>();
            var documented = examples.FirstOrDefault(e => e["type"]!.GetValue<string>() == type);
            Assert.True(documented is not null, $"{key} answered {type}, which no example shows: {string.Join(", ", examples.Select(e => e["type"]))}");
            Assert.Equal(answer["title"]!.GetValue<string>(), documented!["title"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_feed_examples_are_accepted_as_they_stand_signed_by_the_feeds_partner()
    {
        var examples = JsonNode.Parse(await hub.Http.GetStringAsync("/api/openapi.json"))!["paths"]!["/api/feeds/{feed}/meldingen"]!["post"]!["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();

        Assert.Equal(["police", "school", "welfare"], examples.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (feed, example) in examples)
        {
            var answer = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), example!["value"]!.ToJsonString());
            Assert.True(answer.StatusCode == HttpStatusCode.Accepted, $"the {feed} example: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Every_operation_names_the_signature_it_needs_and_the_scheme_is_described()
    {
        var (document, _) = await ReadDocumentAsync();

        Assert.Equal(["partnerSignature", "providerSignature"], document.Components.SecuritySchemes.Keys.Order(StringComparer.Ordinal));
        Assert.All(document.Components.SecuritySchemes.Values, scheme =>
        {
            Assert.Equal((SecuritySchemeType.ApiKey, ParameterLocation.Header, "webhook-signature"), (scheme.Type, scheme.In, scheme.Name));
            Assert.Contains("HMAC-SHA256", scheme.Description, StringComparison.Ordinal);
            Assert.Contains("whsec_", scheme.Description, StringComparison.Ordinal);
        });
        var operations = document.Paths.SelectMany(p => p.Value.Operations.Select(o => (Key: $"{o.Key} {p.Key}", o.Value.Security))).ToArray();
        Assert.All(operations, o => Assert.True(o.Security.Count > 0, $"{o.Key} names no signature"));
        Assert.Equal(["providerSignature"], operations.Single(o => o.Key == "Post /api/referrals/{referralId}/status").Security.SelectMany(r => r.Keys.Select(k => k.Reference.Id)));
    }

    /// <summary>A request that provokes each documented answer.</summary>
    private static readonly Dictionary<string, Func<HubFixture, Task<HttpResponseMessage>>> Scenarios = new()
    {
        ["POST /api/feeds/{feed}/meldingen 202"] = h => h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OPENAPI-202")),
        ["POST /api/feeds/{feed}/meldingen 400"] = h => h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.Body("school", "OPENAPI-400").With("child.bsn", "123").ToJsonString()),
        ["POST /api/feeds/{feed}/meldingen 401"] = h => h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OPENAPI-401"), secret: h.SecretOf("cbs-de-wegwijzer")),
        ["POST /api/feeds/{feed}/meldingen 403"] = h => h.PostMeldingAsync("police", Melding.SchoolPartner, Melding.School("OPENAPI-403")),
        ["POST /api/feeds/{feed}/meldingen 404"] = h => h.PostMeldingAsync("hospital", Melding.SchoolPartner, Melding.School("OPENAPI-404")),
        ["POST /api/feeds/{feed}/meldingen 409"] = async h =>
        {
            var webhookId = HubFixture.NewWebhookId();
            await h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OPENAPI-409-A"), webhookId);
            return await h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OPENAPI-409-B"), webhookId);
        },
        ["POST /api/feeds/{feed}/meldingen 413"] = h => h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.Body("school", "OPENAPI-413").With("padding", new string(' ', 40_000)).ToJsonString()),
        ["POST /api/feeds/{feed}/meldingen 415"] = h => h.Http.SendAsync(h.SignedBytes("/api/feeds/school/meldingen", "X-Partner-Id", Melding.SchoolPartner, "not json"u8.ToArray(), "text/plain")),
        ["POST /api/feeds/{feed}/meldingen 422"] = h => h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.Body("school", "OPENAPI-422").With("child.birthDate", "2001-01-01").ToJsonString()),
        ["GET /api/meldingen/{meldingId} 200"] = async h =>
        {
            var accepted = await h.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("OPENAPI-STATUS-200"));
            return await h.GetSignedAsync(accepted.Headers.Location!.OriginalString, Melding.SchoolPartner);
        },
        ["GET /api/meldingen/{meldingId} 404"] = h => h.GetSignedAsync($"/api/meldingen/mld_{Guid.NewGuid():N}", Melding.SchoolPartner),
        ["POST /api/consents 202"] = async h =>
        {
            var bsn = Melding.NewBsn();
            await h.ReportChildAsync(bsn);
            return await h.PostSignedAsync("/api/consents", "X-Provider-Id", "cjg", Consent("given", bsn));
        },
        ["POST /api/consents 400"] = h => h.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, Consent("perhaps")),
        ["POST /api/consents 401"] = h => h.PostSignedAsync("/api/consents", "X-Provider-Id", Melding.SchoolPartner, Consent("given")),
        ["POST /api/consents 403"] = h => h.PostSignedAsync("/api/consents", "X-Partner-Id", HubFixture.DisabledPartner, Consent("given")),
        ["POST /api/consents 409"] = async h =>
        {
            var bsn = Melding.NewBsn();
            await h.ReportChildAsync(bsn);
            var webhookId = HubFixture.NewWebhookId();
            await h.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, Consent("given", bsn), webhookId);
            return await h.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, Consent("refused", bsn), webhookId);
        },
        ["POST /api/consents 413"] = h => h.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, Consent("given").Replace("}", $", \"padding\": \"{new string(' ', 40_000)}\" }}")),
        ["POST /api/consents 415"] = h => h.Http.SendAsync(h.SignedBytes("/api/consents", "X-Partner-Id", Melding.SchoolPartner, "given, for everything"u8.ToArray(), "text/plain")),
        ["POST /api/referrals/{referralId}/status 202"] = async h =>
        {
            var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(h);
            return await h.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("received"));
        },
        ["POST /api/referrals/{referralId}/status 400"] = h => h.PostSignedAsync($"/api/referrals/{UnknownReferral}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("declined")),
        ["POST /api/referrals/{referralId}/status 401"] = h => h.PostSignedAsync($"/api/referrals/{UnknownReferral}/status", "X-Partner-Id", Melding.SchoolPartner, FeedbackTests.Status("received")),
        ["POST /api/referrals/{referralId}/status 403"] = async h =>
        {
            var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(h);
            return await h.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "basta", FeedbackTests.Status("received"));
        },
        ["POST /api/referrals/{referralId}/status 404"] = h => h.PostSignedAsync($"/api/referrals/{UnknownReferral}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("received")),
        ["POST /api/referrals/{referralId}/status 409"] = async h =>
        {
            var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(h);
            await h.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("completed"));
            return await h.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("contacted"));
        },
        ["POST /api/referrals/{referralId}/status 413"] = h => h.PostSignedAsync($"/api/referrals/{UnknownReferral}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("received", note: new string(' ', 40_000))),
        ["POST /api/referrals/{referralId}/status 415"] = h => h.Http.SendAsync(h.SignedBytes($"/api/referrals/{UnknownReferral}/status", "X-Provider-Id", "cjg", "contacted"u8.ToArray(), "text/plain")),
        ["POST /api/matches/{matchId}/contact 200"] = async h =>
        {
            var bsn = Melding.NewBsn();
            var school = await h.ReportChildAsync(bsn);
            var police = await h.PostMeldingAsync("police", Melding.PolicePartner, Melding.Body("police", $"OPENAPI-MATCH-{Guid.NewGuid():N}", bsn).ToJsonString());
            var policeId = JsonNode.Parse(await police.Content.ReadAsStringAsync())!["meldingId"]!.GetValue<string>();
            await h.RoutedAsync(policeId);
            return await h.PostSignedAsync($"/api/matches/{Identifiers.MatchId(school, policeId)}/contact", "X-Partner-Id", Melding.PolicePartner, "{}");
        },
        ["POST /api/matches/{matchId}/contact 400"] = h => h.PostSignedAsync($"/api/matches/{UnknownMatch}/contact", "X-Partner-Id", Melding.SchoolPartner, "[]"),
        ["POST /api/matches/{matchId}/contact 401"] = h => h.PostSignedAsync($"/api/matches/{UnknownMatch}/contact", "X-Provider-Id", "cjg", "{}"),
        ["POST /api/matches/{matchId}/contact 404"] = h => h.PostSignedAsync($"/api/matches/{UnknownMatch}/contact", "X-Partner-Id", Melding.SchoolPartner, "{}"),
        ["POST /api/matches/{matchId}/contact 413"] = h => h.PostSignedAsync($"/api/matches/{UnknownMatch}/contact", "X-Partner-Id", Melding.SchoolPartner, $"{{ \"padding\": \"{new string(' ', 40_000)}\" }}"),
        ["POST /api/matches/{matchId}/contact 415"] = h => h.Http.SendAsync(h.SignedBytes($"/api/matches/{UnknownMatch}/contact", "X-Partner-Id", Melding.SchoolPartner, "{}"u8.ToArray(), "text/plain")),
        ["POST /api/meldingen/{meldingId}/retract 200"] = async h =>
        {
            var meldingId = await h.ReportChildAsync(Melding.NewBsn());
            return await h.PostSignedAsync($"/api/meldingen/{meldingId}/retract", "X-Partner-Id", Melding.SchoolPartner, Retraction("duplicate"));
        },
        ["POST /api/meldingen/{meldingId}/retract 400"] = async h =>
        {
            var meldingId = await h.ReportChildAsync(Melding.NewBsn());
            return await h.PostSignedAsync($"/api/meldingen/{meldingId}/retract", "X-Partner-Id", Melding.SchoolPartner, Retraction("changed-my-mind"));
        },
        ["POST /api/meldingen/{meldingId}/retract 401"] = h => h.PostSignedAsync($"/api/meldingen/{UnknownMelding}/retract", "X-Provider-Id", "cjg", Retraction("duplicate")),
        ["POST /api/meldingen/{meldingId}/retract 404"] = h => h.PostSignedAsync($"/api/meldingen/{UnknownMelding}/retract", "X-Partner-Id", Melding.SchoolPartner, Retraction("duplicate")),
        ["POST /api/meldingen/{meldingId}/retract 409"] = async h =>
        {
            // Stored by intake but never queued: accepted, and it stays that way (as one parked on the poison queue does).
            var meldingId = $"mld_{Guid.NewGuid():N}";
            await h.Services.GetRequiredService<IMeldingStore>().TryAddAsync(new MeldingRecord
            {
                MeldingId = meldingId, PartnerId = Melding.SchoolPartner, Feed = "school", BodyFingerprint = "openapi", ReceivedAt = DateTimeOffset.UtcNow,
                ReportedAt = DateTimeOffset.UtcNow, AgeYears = 9, Categories = ["wellbeing"], Urgency = "normal", ChildPseudonym = "openapi",
            }, CancellationToken.None);
            return await h.PostSignedAsync($"/api/meldingen/{meldingId}/retract", "X-Partner-Id", Melding.SchoolPartner, Retraction("duplicate"));
        },
        ["POST /api/meldingen/{meldingId}/retract 413"] = h => h.PostSignedAsync($"/api/meldingen/{UnknownMelding}/retract", "X-Partner-Id", Melding.SchoolPartner, $"{{ \"padding\": \"{new string(' ', 40_000)}\" }}"),
        ["POST /api/meldingen/{meldingId}/retract 415"] = h => h.Http.SendAsync(h.SignedBytes($"/api/meldingen/{UnknownMelding}/retract", "X-Partner-Id", Melding.SchoolPartner, "duplicate"u8.ToArray(), "text/plain")),
        ["POST /api/referrals/{referralId}/status 422"] = async h =>
        {
            var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(h);
            return await h.PostSignedAsync($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("received", occurredAt: "2020-01-01T00:00:00Z"));
        },
    };

    /// <summary>Shaped like a melding id, naming no melding.</summary>
    private const string UnknownMelding = "mld_00000000000000000000000000000000";

    private static string Retraction(string reason) => $$"""{ "reason": "{{reason}}" }""";

    /// <summary>Shaped like a match id, naming no match.</summary>
    private const string UnknownMatch = "mtc_00000000000000000000000000000000";

    /// <summary>Shaped like a referral id, naming no melding.</summary>
    private const string UnknownReferral = "ref_00000000000000000000000000000000aaaaaaaaaaaaaaaa";

    private static string Consent(string status, string? bsn = null) =>
        $$"""{ "bsn": "{{bsn ?? Melding.NewBsn()}}", "status": "{{status}}", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }""";

    private async Task<(OpenApiDocument Document, IList<OpenApiError> Errors)> ReadDocumentAsync()
    {
        var response = await hub.Http.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("3.0.3", JsonNode.Parse(text)!["openapi"]!.GetValue<string>());
        var document = new OpenApiStringReader().Read(text, out var diagnostic);
        return (document, diagnostic.Errors);
    }
}
