using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>The partner intake contract over HTTP: every status code, every field rule, nothing stored when refused.</summary>
[Collection(HubCollection.Name)]
public sealed class IntakeContractTests(HubFixture hub)
{
    private static readonly string[] PersonalValues = ["111222333", "Noor", "Testkind", "Zorgen over dit kind."];

    public static TheoryData<string, string, string?, string> FieldCases()
    {
        var common = new (string Path, string? Json, string ErrorPath)[]
        {
            ("externalId", null, "$.externalId"),
            ("externalId", "\"\"", "$.externalId"),
            ("externalId", JsonSerializer.Serialize(new string('x', 101)), "$.externalId"),
            ("reportedAt", null, "$.reportedAt"),
            ("reportedAt", "\"2026-11-02 09:30\"", "$.reportedAt"),
            ("reportedAt", "\"2026-11-02T09:30:00\"", "$.reportedAt"),
            ("reportedAt", JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ")), "$.reportedAt"),
            ("child", null, "$.child"),
            ("child", "\"111222333\"", "$.child"),
            ("child.bsn", null, "$.child.bsn"),
            ("child.bsn", "\"111222334\"", "$.child.bsn"),
            ("child.bsn", "\"11122233\"", "$.child.bsn"),
            ("child.bsn", "111222333", "$.child.bsn"),
            ("child.birthDate", null, "$.child.birthDate"),
            ("child.birthDate", "\"14-05-2016\"", "$.child.birthDate"),
            ("child.birthDate", JsonSerializer.Serialize(DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd")), "$.child.birthDate"),
            ("child.postcode", "\"307 AB\"", "$.child.postcode"),
            ("child.givenName", JsonSerializer.Serialize(new string('n', 101)), "$.child.givenName"),
            ("child.familyName", JsonSerializer.Serialize(new string('n', 101)), "$.child.familyName"),
            ("referrer", null, "$.referrer"),
            ("referrer.name", null, "$.referrer.name"),
            ("referrer.email", "\"no-at-sign\"", "$.referrer.email"),
            ("consent.status", "\"maybe\"", "$.consent.status"),
            ("consent.givenBy", "\"teacher\"", "$.consent.givenBy"),
            ("consent.scope", "[]", "$.consent.scope"),
            ("urgency", "\"high\"", "$.urgency"),
            ("description", JsonSerializer.Serialize(new string('d', 4001)), "$.description"),
        };
        var perFeed = new (string Feed, string Path, string? Json, string ErrorPath)[]
        {
            ("school", "school", null, "$.school"),
            ("school", "school.brin", "\"123A\"", "$.school.brin"),
            ("school", "school.name", null, "$.school.name"),
            ("school", "school.group", "9", "$.school.group"),
            ("school", "school.group", "\"6\"", "$.school.group"),
            ("school", "concerns", "[]", "$.concerns"),
            ("school", "concerns", "[\"fighting\"]", "$.concerns[0]"),
            ("police", "incident", null, "$.incident"),
            ("police", "incident.type", "\"murder\"", "$.incident.type"),
            ("police", "incident.role", "\"bystander\"", "$.incident.role"),
            ("police", "incident.occurredAt", "\"yesterday\"", "$.incident.occurredAt"),
            ("police", "incident.postcode", "\"XYZ\"", "$.incident.postcode"),
            ("police", "riskLevel", "\"purple\"", "$.riskLevel"),
            ("welfare", "organisation", null, "$.organisation"),
            ("welfare", "organisation.kind", "\"church\"", "$.organisation.kind"),
            ("welfare", "organisation.name", null, "$.organisation.name"),
            ("welfare", "signals", "[]", "$.signals"),
            ("welfare", "signals", "[\"loitering\"]", "$.signals[0]"),
        };

        var data = new TheoryData<string, string, string?, string>();
        foreach (var feed in Feeds.All)
        {
            foreach (var (path, json, errorPath) in common)
            {
                data.Add(feed, path, json, errorPath);
            }
        }

        foreach (var (feed, path, json, errorPath) in perFeed)
        {
            data.Add(feed, path, json, errorPath);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FieldCases))]
    public async Task Each_invalid_field_is_refused_with_400_at_its_json_path_and_nothing_is_stored(string feed, string path, string? json, string errorPath)
    {
        var body = Melding.Body(feed, "FIELD-CASE").With(path, json is null ? null : JsonNode.Parse(json)).ToJsonString();
        var webhookId = HubFixture.NewWebhookId();

        var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), body, webhookId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
        Assert.Contains(errorPath, errors);
        await AssertNothingStoredAsync(Melding.PartnerFor(feed), webhookId);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var body = Melding.Body("school", "MANY")
            .With("child.bsn", "123456789")
            .With("referrer.email", null).With("referrer.phone", null)
            .With("school.group", 0)
            .ToJsonString();

        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body);

        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["$.child.bsn", "$.referrer", "$.school.group"], errors.EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task An_error_answer_never_repeats_the_submitted_personal_data()
    {
        var body = Melding.Body("school", "ECHO").With("child.bsn", "123456789").With("school.group", 12).ToJsonString();

        var text = await (await hub.PostMeldingAsync("school", Melding.SchoolPartner, body)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("123456789", text);
        Assert.All(PersonalValues, value => Assert.DoesNotContain(value, text));
    }

    [Fact]
    public async Task A_child_older_than_the_target_group_is_refused_with_422()
    {
        var body = Melding.Body("school", "TOO-OLD").With("child.birthDate", DateTime.UtcNow.AddYears(-12).AddDays(-1).ToString("yyyy-MM-dd")).ToJsonString();
        var webhookId = HubFixture.NewWebhookId();

        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body, webhookId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var type = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString();
        Assert.EndsWith("outside-target-group", type);
        await AssertNothingStoredAsync(Melding.SchoolPartner, webhookId);
    }

    [Fact]
    public async Task An_unknown_feed_is_404()
    {
        var response = await hub.PostMeldingAsync("hospital", Melding.SchoolPartner, Melding.School("FEED"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_32_KiB_is_413_and_nothing_is_stored()
    {
        var body = Melding.Body("school", "BIG").With("padding", new string(' ', 33 * 1024)).ToJsonString();
        var webhookId = HubFixture.NewWebhookId();

        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body, webhookId);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNothingStoredAsync(Melding.SchoolPartner, webhookId);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        var body = Melding.Body("school", "EXTRA").With("meldingId", "mld_chosen_by_caller").With("child.state", "routed").ToJsonString();

        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain("mld_chosen_by_caller", await response.Content.ReadAsStringAsync());
    }

    // 415 is about the Content-Type only; application/json that does not parse is 400 malformed-json (HostileInputTests).
    [Theory]
    [InlineData("text/plain", "{}")]
    [InlineData("application/xml", "<melding/>")]
    public async Task A_body_of_another_content_type_is_415(string contentType, string body)
    {
        var webhookId = HubFixture.NewWebhookId();
        var request = hub.SignedMelding("school", Melding.SchoolPartner, body, webhookId);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await hub.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await AssertNothingStoredAsync(Melding.SchoolPartner, webhookId);
    }

    [Fact]
    public async Task The_same_delivery_again_gives_the_same_melding_and_a_different_body_409()
    {
        var webhookId = HubFixture.NewWebhookId();
        var body = Melding.School("AGAIN");

        var first = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body, webhookId);
        var again = await hub.PostMeldingAsync("school", Melding.SchoolPartner, body, webhookId);
        var changed = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("AGAIN-CHANGED"), webhookId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(await MeldingIdOf(first), await MeldingIdOf(again));
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
    }

    [Fact]
    public async Task The_same_webhook_id_from_two_partners_is_two_meldingen()
    {
        var webhookId = HubFixture.NewWebhookId();

        var first = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School("TWO-A"), webhookId);
        var second = await hub.PostMeldingAsync("school", "cbs-de-wegwijzer", Melding.School("TWO-B"), webhookId);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.NotEqual(await MeldingIdOf(first), await MeldingIdOf(second));
    }

    [Fact]
    public async Task Twenty_identical_requests_at_once_make_one_melding_and_one_referral()
    {
        var webhookId = HubFixture.NewWebhookId();
        var body = Melding.School("PARALLEL");
        var timestamp = DateTimeOffset.UtcNow;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            hub.Http.SendAsync(hub.SignedMelding("school", Melding.SchoolPartner, body, webhookId, timestamp: timestamp))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(MeldingIdOf));
        var meldingId = Assert.Single(ids.Distinct());
        var intake = hub.Queues.GetQueueClient(QueueNames.MeldingenIntake);
        await Poll.UntilAsync(async () => (await intake.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(30), "meldingen-intake drained");
        Assert.Single(hub.Logs.Lines, l => l.Contains($"Routed melding {meldingId}"));
        Assert.Single(await hub.ReceivedAsync("inbox-cjg"), m => m.Contains(meldingId));
    }

    private static async Task<string> MeldingIdOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;

    /// <summary>
    /// Not stored, and so not enqueued (intake enqueues only what it stored, and logs the melding id
    /// only once it is on the intake queue).
    /// </summary>
    private async Task AssertNothingStoredAsync(string partnerId, string webhookId)
    {
        var meldingId = Identifiers.MeldingId(partnerId, webhookId);
        var stored = await hub.Tables.Meldingen.GetEntityIfExistsAsync<TableEntity>(meldingId, "");
        Assert.False(stored.HasValue, "A refused melding was stored.");
        Assert.DoesNotContain(hub.Logs.Lines, l => l.Contains(meldingId, StringComparison.Ordinal));
    }
}
