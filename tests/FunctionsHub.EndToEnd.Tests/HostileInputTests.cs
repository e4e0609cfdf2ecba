using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FunctionsHub.Core;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// What a hostile sender's bodies get over HTTP on the three endpoints that read one (intake,
/// consents, explain): the right 4xx with the JSON path, never a 5xx, and nothing stored.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class HostileInputTests(HubFixture hub)
{
    private const string Intake = "intake";
    private const string Consents = "consents";
    private const string Explain = "explain";

    public static TheoryData<string> Endpoints() => [Intake, Consents, Explain];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Lone_surrogate_in_a_string_is_400_at_its_path(string endpoint)
    {
        var (find, path) = endpoint == Consents ? ("\"parent\"", "$.givenBy") : ("\"HOSTILE\"", "$.externalId");

        var (response, problem) = await PostAsync(endpoint, Valid(endpoint).Replace(find, "\"\\ud800\"", StringComparison.Ordinal));

        AssertFieldProblem(endpoint, response, problem, path);
    }

    [Theory]
    [InlineData(Intake, "\"urgency\":\"normal\"", "\"urgency\":\"acute\",\"urgency\":\"normal\"", "$.urgency")]
    [InlineData(Intake, "\"bsn\":", "\"bsn\":\"123456782\",\"bsn\":", "$.child.bsn")]
    [InlineData(Explain, "\"urgency\":\"normal\"", "\"urgency\":\"acute\",\"urgency\":\"normal\"", "$.urgency")]
    [InlineData(Consents, "\"status\":\"given\"", "\"status\":\"withdrawn\",\"status\":\"given\"", "$.status")]
    public async Task Duplicate_property_name_is_400_at_the_duplicate(string endpoint, string find, string replace, string path)
    {
        var (response, problem) = await PostAsync(endpoint, Valid(endpoint).Replace(find, replace, StringComparison.Ordinal));

        AssertFieldProblem(endpoint, response, problem, path);
    }

    public static TheoryData<string, string, string> MalformedCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var endpoint in new[] { Intake, Consents, Explain })
        {
            foreach (var (kind, reason) in new[] { ("broken", "not well-formed JSON"), ("utf8", "not valid UTF-8"), ("bom", "byte order mark"), ("deep", "deeper than 64"), ("empty", "empty") })
            {
                data.Add(endpoint, kind, reason);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task A_body_that_is_not_JSON_the_hub_reads_is_400_malformed_json_saying_why(string endpoint, string kind, string reason)
    {
        var valid = Encoding.UTF8.GetBytes(Valid(endpoint));
        byte[] body = kind switch
        {
            "broken" => valid[..^1],
            // Invalid UTF-8 inside a string value, signed over exactly these bytes.
            "utf8" => [.. valid[..2], 0xC3, 0x28, 0xFF, .. valid[2..]],
            "bom" => [0xEF, 0xBB, 0xBF, .. valid],
            "deep" => [.. valid[..^1], .. Encoding.UTF8.GetBytes(",\"deep\":" + new string('[', 65) + new string(']', 65) + "}")],
            _ => [],
        };

        var (response, problem) = await PostAsync(endpoint, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith(":malformed-json", problem.GetProperty("type").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("HOSTILE", problem.GetRawText());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_wrong_content_type_is_415_even_for_valid_JSON(string endpoint)
    {
        var (response, problem) = await PostAsync(endpoint, Encoding.UTF8.GetBytes(Valid(endpoint)), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.EndsWith(":not-json", problem.GetProperty("type").GetString());
    }

    public static TheoryData<string, string, string> TrailingNewlineCases() => new()
    {
        { "school", "externalId", "X-1" },
        { "school", "reportedAt", Melding.ReportedAt },
        { "school", "child.bsn", "111222333" },
        { "school", "child.birthDate", Melding.BirthDateNine },
        { "school", "child.postcode", "3071AB" },
        { "school", "child.givenName", "Noor" },
        { "school", "referrer.name", "J. de Vries" },
        { "school", "referrer.email", "referrer@partner.example" },
        { "school", "referrer.phone", "010-1234567" },
        { "school", "consent.recordedAt", Melding.ReportedAt },
        { "school", "urgency", "normal" },
        { "school", "school.brin", "12AB" },
        { "school", "school.name", "OBS De Regenboog" },
        { "police", "incident.type", "shoplifting" },
        { "police", "incident.occurredAt", Melding.ReportedAt },
        { "police", "incident.postcode", "3021CD" },
        { "police", "riskLevel", "yellow" },
        { "welfare", "organisation.kind", "youth-work" },
        { "welfare", "organisation.name", "Jongerenwerk" },
    };

    [Theory]
    [MemberData(nameof(TrailingNewlineCases))]
    public async Task A_trailing_newline_is_400_at_its_path(string feed, string field, string value)
    {
        var body = Melding.Body(feed, "NEWLINE").With(field, value + "\n").ToJsonString();

        var (response, problem) = await PostMeldingAsync(feed, body);

        AssertFieldProblem(Intake, response, problem, "$." + field);
    }

    [Theory]
    [InlineData("externalId", "\0")]
    [InlineData("externalId", "A\u0000B")]
    [InlineData("child.familyName", "Test\u0007kind")]
    [InlineData("referrer.name", "\u200B\u2060\uFEFF")]
    [InlineData("description", "Zorgen\u001B[2J")]
    public async Task Control_and_invisible_only_text_is_400_at_its_path(string field, string value)
    {
        var body = Melding.Body("school", "CONTROL").With(field, value).ToJsonString();

        var (response, problem) = await PostMeldingAsync("school", body);

        AssertFieldProblem(Intake, response, problem, "$." + field);
    }

    [Fact]
    public async Task A_description_with_line_breaks_and_tabs_is_accepted()
    {
        var body = Melding.Body("school", "LINES").With("description", "Regel 1\r\n\tRegel 2").ToJsonString();

        Assert.Equal(HttpStatusCode.Accepted, (await hub.PostMeldingAsync("school", Melding.SchoolPartner, body)).StatusCode);
    }

    [Theory]
    [InlineData("incident.occurredAt", 10)]
    [InlineData("incident.occurredAt", null)]
    [InlineData("consent.recordedAt", 10)]
    public async Task A_time_outside_its_bounds_is_400_at_its_path(string field, int? minutesAhead)
    {
        var value = minutesAhead is { } m ? DateTimeOffset.UtcNow.AddMinutes(m).ToString("yyyy-MM-ddTHH:mm:ssZ") : "1900-01-01T00:00:00Z";
        var body = Melding.Body("police", "TIME").With(field, value).ToJsonString();

        var (response, problem) = await PostMeldingAsync("police", body);

        AssertFieldProblem(Intake, response, problem, "$." + field);
    }

    private static string Valid(string endpoint) => endpoint == Consents
        ? $$"""{"bsn":"{{Melding.NewBsn()}}","status":"given","scope":["all"],"givenBy":"parent","recordedAt":"{{Melding.ReportedAt}}"}"""
        : Melding.Body("school", "HOSTILE", Melding.NewBsn()).ToJsonString();

    private Task<(HttpResponseMessage, JsonElement)> PostAsync(string endpoint, string body) => PostAsync(endpoint, Encoding.UTF8.GetBytes(body));

    private Task<(HttpResponseMessage, JsonElement)> PostMeldingAsync(string feed, string body) =>
        SendAsync(Intake, Melding.PartnerFor(feed), Encoding.UTF8.GetBytes(body), "application/json", $"/api/feeds/{feed}/meldingen");

    private Task<(HttpResponseMessage, JsonElement)> PostAsync(string endpoint, byte[] body, string contentType = "application/json") => endpoint switch
    {
        Intake => SendAsync(endpoint, Melding.SchoolPartner, body, contentType, "/api/feeds/school/meldingen"),
        Consents => SendAsync(endpoint, Melding.SchoolPartner, body, contentType, "/api/consents"),
        _ => ReadAsync(hub.SendBytesWithKeyAsync($"/api/routing/explain?partner={Melding.SchoolPartner}", body, contentType)),
    };

    /// <summary>Sends signed, then checks that a refusal stored nothing under its webhook-id.</summary>
    private async Task<(HttpResponseMessage, JsonElement)> SendAsync(string endpoint, string partnerId, byte[] body, string contentType, string path)
    {
        var webhookId = HubFixture.NewWebhookId();
        var answer = await ReadAsync(hub.Http.SendAsync(hub.SignedBytes(path, "X-Partner-Id", partnerId, body, contentType, webhookId)));
        if (!answer.Item1.IsSuccessStatusCode)
        {
            var consentId = Identifiers.ConsentId(partnerId, webhookId);
            var stored = endpoint == Intake
                ? (await hub.Tables.Meldingen.GetEntityIfExistsAsync<TableEntity>(Identifiers.MeldingId(partnerId, webhookId), "")).HasValue
                : await hub.AnyChildFileNamesAsync(consentId);
            Assert.False(stored, "A refused body was stored.");
        }

        return answer;
    }

    private static async Task<(HttpResponseMessage, JsonElement)> ReadAsync(Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static void AssertFieldProblem(string endpoint, HttpResponseMessage response, JsonElement problem, string path)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith(endpoint == Consents ? ":invalid-request" : ":invalid-melding", problem.GetProperty("type").GetString());
        Assert.Contains(path, problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }
}
