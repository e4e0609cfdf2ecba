using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHub.Core;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Consent-aware routing end to end on the DevHost and Azurite, with the test configuration (the
/// demo rules): who gets what, why, and what the audit trail and explain say about it.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class RoutingScenarioTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task School_consent_covers_a_later_police_melding_both_referrers_meet_and_a_withdrawal_reaches_the_providers()
    {
        var bsn = Melding.NewBsn();
        var schoolDescription = $"Schoolzorg {Guid.NewGuid():N}";
        var policeDescription = $"Politiezorg {Guid.NewGuid():N}";

        // 1. A school melding with consent 'all' reaches the rule's provider as a referral with content.
        var school = await PostAsync("school", Melding.Body("school", "STORY-SCHOOL", bsn, schoolDescription).With("concerns", new JsonArray("aggressive-behaviour")).With("child.postcode", "3021 CD"));
        var allesKidzzz = await ReferralAsync("alles-kidzzz", school);
        Assert.Equal("referral", allesKidzzz.GetProperty("kind").GetString());
        Assert.Equal("parental-consent", allesKidzzz.GetProperty("consentBasis").GetString());
        Assert.Equal(schoolDescription, allesKidzzz.GetProperty("content").GetProperty("description").GetString());

        // 2. The police report the same child without consent: the school's consent covers them.
        var police = await PostAsync("police", Melding.Body("police", "STORY-POLICE", bsn, policeDescription).With("consent", null));
        foreach (var provider in new[] { "basta", "pak-je-kans", "pit" })
        {
            var referral = await ReferralAsync(provider, police);
            Assert.Equal("referral", referral.GetProperty("kind").GetString());
            Assert.Equal("parental-consent", referral.GetProperty("consentBasis").GetString());
            Assert.Equal(policeDescription, referral.GetProperty("content").GetProperty("description").GetString());
            Assert.Equal(Melding.SchoolPartner, referral.GetProperty("match").GetProperty("partners")[0].GetProperty("id").GetString());
        }

        var toSchool = await hub.DeliveredAsync("partner", Melding.SchoolPartner, "match.found", r => r.Body.Contains(school));
        var toPolice = await hub.DeliveredAsync("partner", Melding.PolicePartner, "match.found", r => r.Body.Contains(police));
        Assert.All(new[] { toSchool, toPolice }, m => Assert.True(m.SignatureValid, $"{m.Path} signed with its own secret"));
        Assert.Equal(school, toSchool.Json.GetProperty("data").GetProperty("meldingId").GetString());
        Assert.Equal(Melding.PolicePartner, toSchool.Json.GetProperty("data").GetProperty("matchedPartner").GetProperty("id").GetString());
        Assert.Equal(police, toPolice.Json.GetProperty("data").GetProperty("meldingId").GetString());
        Assert.Equal(Melding.SchoolPartner, toPolice.Json.GetProperty("data").GetProperty("matchedPartner").GetProperty("id").GetString());

        // Each referrer is told where its own melding went and as what: the police that basta,
        // pak-je-kans and pit received it as a referral (the school's consent covered them), under the referral ids they got.
        var routed = await hub.DeliveredAsync("partner", Melding.PolicePartner, "melding.routed", r => r.Body.Contains(police));
        Assert.True(routed.SignatureValid, "signed with the police's own secret");
        var routedData = routed.Json.GetProperty("data");
        Assert.True(routedData.GetProperty("matched").GetBoolean());
        Assert.Equal(
            new[] { "basta", "pak-je-kans", "pit" }.Select(p => (p, "referral", hub.ReferralIds.For(police, p))),
            routedData.GetProperty("providers").EnumerateArray()
                .Select(p => (p.GetProperty("provider").GetProperty("id").GetString()!, p.GetProperty("kind").GetString()!, p.GetProperty("referralId").GetString()!))
                .OrderBy(p => p.Item1, StringComparer.Ordinal));
        Assert.DoesNotContain(bsn, routed.Body);

        // No message anywhere carries the other melding's description.
        var everything = (await AllInboxMessagesAsync()).Concat(hub.Callbacks.Received.Select(c => c.Body)).ToArray();
        Assert.DoesNotContain(everything, m => m.Contains(police) && m.Contains(schoolDescription));
        Assert.DoesNotContain(everything, m => m.Contains(school) && m.Contains(policeDescription));
        Assert.DoesNotContain(everything, m => m.Contains("match.found") && (m.Contains(schoolDescription) || m.Contains(policeDescription)));

        // 3. The parents withdraw consent: every provider that received content hears of it, by referral id.
        var withdrawal = await hub.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, $$"""
            { "bsn": "{{bsn}}", "status": "withdrawn", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }
            """);
        Assert.Equal(HttpStatusCode.Accepted, withdrawal.StatusCode);
        Assert.DoesNotContain(bsn, await withdrawal.Content.ReadAsStringAsync());
        var expected = new Dictionary<string, string>
        {
            ["alles-kidzzz"] = hub.ReferralIds.For(school, "alles-kidzzz"),
            ["basta"] = hub.ReferralIds.For(police, "basta"),
            ["pak-je-kans"] = hub.ReferralIds.For(police, "pak-je-kans"),
            ["pit"] = hub.ReferralIds.For(police, "pit"),
        };
        foreach (var (provider, referralId) in expected)
        {
            var notice = JsonDocument.Parse(await Poll.ForAsync(async () =>
                (await hub.ReceivedAsync($"inbox-{provider}")).FirstOrDefault(m => m.Contains("consent-withdrawn") && m.Contains(referralId)), Deadline, $"consent-withdrawn for {provider}")).RootElement;
            Assert.Equal("consent-withdrawn", notice.GetProperty("kind").GetString());
            Assert.Contains(referralId, notice.GetProperty("referralIds").EnumerateArray().Select(e => e.GetString()));
            Assert.DoesNotContain(bsn, notice.GetRawText());
        }
    }

    [Fact]
    public async Task A_child_without_consent_gets_signals_with_identity_and_referrer_contact_and_no_content()
    {
        var bsn = Melding.NewBsn();
        var melding = await PostAsync("police", Melding.Body("police", "NO-CONSENT", bsn).With("consent", null));

        foreach (var provider in new[] { "basta", "pak-je-kans", "pit" })
        {
            var signal = await ReferralAsync(provider, melding);
            Assert.Equal("signal", signal.GetProperty("kind").GetString());
            Assert.Equal("none", signal.GetProperty("consentBasis").GetString());
            Assert.Equal(bsn, signal.GetProperty("child").GetProperty("bsn").GetString());
            Assert.Equal("referrer@partner.example", signal.GetProperty("referrer").GetProperty("email").GetString());
            Assert.False(signal.TryGetProperty("content", out _));
        }
    }

    [Fact]
    public async Task A_red_risk_level_reaches_veilig_thuis_with_content_and_the_other_providers_get_signals()
    {
        var bsn = Melding.NewBsn();
        var melding = await PostAsync("police", Melding.Body("police", "RED", bsn, "Acute zorg").With("consent", null).With("riskLevel", "red"));

        var acute = await ReferralAsync("veilig-thuis", melding);
        Assert.Equal("referral", acute.GetProperty("kind").GetString());
        Assert.Equal("acute-safety", acute.GetProperty("consentBasis").GetString());
        Assert.Equal("acute", acute.GetProperty("urgency").GetString());
        Assert.Equal("Acute zorg", acute.GetProperty("content").GetProperty("description").GetString());
        foreach (var provider in new[] { "basta", "pak-je-kans", "pit" })
        {
            Assert.Equal("signal", (await ReferralAsync(provider, melding)).GetProperty("kind").GetString());
        }

        var audit = await AuditAsync(melding);
        Assert.Equal("risk-level-red", audit.GetProperty("decision").GetProperty("acuteReason").GetString());
        var veiligThuis = audit.GetProperty("decision").GetProperty("providers").EnumerateArray().First();
        Assert.Equal("veilig-thuis", veiligThuis.GetProperty("providerId").GetString());
        Assert.Equal(["acute-provider"], veiligThuis.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_melding_no_rule_matches_goes_to_the_default_provider_and_the_audit_says_so()
    {
        var melding = await PostAsync("school", Melding.Body("school", "DEFAULT", Melding.NewBsn()));

        Assert.Equal("cjg", (await ReferralAsync("cjg", melding)).GetProperty("provider").GetString());
        var audit = await AuditAsync(melding);
        var decision = audit.GetProperty("decision");
        Assert.Empty(decision.GetProperty("matchedRules").EnumerateArray());
        var only = Assert.Single(decision.GetProperty("providers").EnumerateArray());
        Assert.Equal(["default-provider"], only.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("sent", Assert.Single(audit.GetProperty("referrals").EnumerateArray()).GetProperty("dispatch").GetString());
    }

    [Fact]
    public async Task Explain_answers_what_routing_then_does_and_stores_nothing()
    {
        var bsn = Melding.NewBsn();
        var body = Melding.Body("police", "EXPLAIN", bsn).ToJsonString(); // with consent: explain must not record it

        var explained = await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/routing/explain?partner={Melding.PolicePartner}", body);

        Assert.Equal(HttpStatusCode.OK, explained.StatusCode);
        var explanation = JsonDocument.Parse(await explained.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["police-offence", "street-nuisance", "delinquency-west"], explanation.GetProperty("matchedRules").EnumerateArray().Select(r => r.GetString()));
        Assert.False(explanation.TryGetProperty("match", out var match) && match.GetArrayLength() > 0);
        Assert.Empty(await hub.Tables.ChildFiles.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == Pseudonym(bsn)).ToListAsync());
        Assert.Empty(await hub.Tables.Audit.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "explain").ToListAsync());

        var melding = await PostAsync("police", JsonNode.Parse(body)!.AsObject());
        await ReferralAsync("basta", melding);
        var routed = (await AuditAsync(melding)).GetProperty("decision");
        Assert.Equal(Providers(explanation), Providers(routed));
    }

    [Fact]
    public async Task Explain_and_audit_need_the_function_key()
    {
        var explain = await hub.Http.PostAsync("/api/routing/explain?feed=school", new StringContent(Melding.School("KEY"), System.Text.Encoding.UTF8, "application/json"));
        var audit = await hub.Http.GetAsync("/api/meldingen/mld_anything/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, explain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, audit.StatusCode);
    }

    [Fact]
    public async Task A_consent_that_is_invalid_is_refused_by_json_path_and_recorded_nowhere()
    {
        var response = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "basta", """
            { "bsn": "123456789", "status": "maybe", "scope": [], "recordedAt": "yesterday" }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["$.bsn", "$.recordedAt", "$.scope", "$.status"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("123456789", errors.GetRawText());
    }

    [Fact]
    public async Task A_consent_from_a_party_that_is_not_what_it_claims_is_401()
    {
        // A partner's id and secret, presented as a provider.
        var response = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", Melding.SchoolPartner, """
            { "bsn": "111222333", "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-01T10:00:00Z" }
            """);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_consent_webhook_id_reused_with_another_body_is_409_and_changes_nothing()
    {
        var bsn = Melding.NewBsn();
        await hub.ReportChildAsync(bsn);
        var webhookId = HubFixture.NewWebhookId();
        // Read once: Melding.ReportedAt follows the clock, and a repeat whose second ticked over between two reads is another body.
        var recordedAt = Melding.ReportedAt;
        string Consent(string status) => $$"""{ "bsn": "{{bsn}}", "status": "{{status}}", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{recordedAt}}" }""";

        var first = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "cjg", Consent("given"), webhookId);
        var again = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "cjg", Consent("given"), webhookId);
        var changed = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "cjg", Consent("withdrawn"), webhookId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        var records = (await hub.ChildFileAsync(Pseudonym(bsn))).Consents;
        Assert.Equal(["given"], records.Where(r => r.Source == "cjg").Select(r => r.Status));
    }

    [Fact]
    public async Task A_consent_from_a_disabled_partner_is_403()
    {
        var response = await hub.PostSignedAsync("/api/consents", "X-Partner-Id", HubFixture.DisabledPartner, """
            { "bsn": "111222333", "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-01T10:00:00Z" }
            """);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static IEnumerable<string> Providers(JsonElement decision) =>
        decision.GetProperty("providers").EnumerateArray().Select(p => $"{p.GetProperty("providerId").GetString()}:{p.GetProperty("kind").GetString()}:{p.GetProperty("consentBasis").GetString()}");

    private string Pseudonym(string bsn) =>
        ((FunctionsHub.Core.Privacy.ChildPseudonym)hub.Services.GetService(typeof(FunctionsHub.Core.Privacy.ChildPseudonym))!).Of(bsn);

    private async Task<string> PostAsync(string feed, JsonObject body)
    {
        var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;
    }

    private async Task<JsonElement> ReferralAsync(string provider, string meldingId)
    {
        var text = await Poll.ForAsync(async () =>
            (await hub.ReceivedAsync($"inbox-{provider}")).FirstOrDefault(m => m.Contains($"\"meldingId\":\"{meldingId}\"", StringComparison.Ordinal)), Deadline, $"a referral for {meldingId} in inbox-{provider}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> AuditAsync(string meldingId)
    {
        var response = await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/{meldingId}/audit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<IEnumerable<string>> AllInboxMessagesAsync()
    {
        var all = new List<string>();
        foreach (var provider in new[] { "cjg", "basta", "pak-je-kans", "alles-kidzzz", "pit", "veilig-thuis" })
        {
            all.AddRange(await hub.ReceivedAsync($"inbox-{provider}"));
        }

        return all;
    }
}
