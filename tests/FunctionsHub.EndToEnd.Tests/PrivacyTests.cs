using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// No BSN, child's name, birth date or free text anywhere but the intake queue and the inboxes:
/// distinctive values go through the hub end to end, then every table, every other queue and the
/// logs are searched for them.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class PrivacyTests(HubFixture hub)
{
    [Fact]
    public async Task Personal_data_appears_in_no_table_other_queue_or_log_line()
    {
        var child = DistinctiveChild.Create();
        var answers = new List<string>();
        var meldingIds = new List<string>();
        foreach (var feed in new[] { "school", "police", "welfare" })
        {
            var body = Melding.Body(feed, $"PRIVACY-{feed}", child.Bsn, child.Description)
                .With("child.givenName", child.GivenName)
                .With("child.familyName", child.FamilyName)
                .With("child.birthDate", child.BirthDate);
            var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), body.ToJsonString());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            answers.Add(text);
            meldingIds.Add(JsonDocument.Parse(text).RootElement.GetProperty("meldingId").GetString()!);
        }

        // Refused bodies carry the same values: their answers and logs must not repeat them either.
        var invalid = Melding.Body("school", "PRIVACY-INVALID", child.Bsn, child.Description)
            .With("child.givenName", child.GivenName).With("child.birthDate", child.BirthDate).With("school.group", 99);
        answers.Add(await (await hub.PostMeldingAsync("school", Melding.SchoolPartner, invalid.ToJsonString())).Content.ReadAsStringAsync());
        var tooOld = Melding.Body("school", "PRIVACY-OLD", child.Bsn, child.Description).With("child.birthDate", "2001-02-03");
        answers.Add(await (await hub.PostMeldingAsync("school", Melding.SchoolPartner, tooOld.ToJsonString())).Content.ReadAsStringAsync());

        foreach (var meldingId in meldingIds)
        {
            await hub.RoutedAsync(meldingId);
            answers.Add(await (await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/{meldingId}/audit")).Content.ReadAsStringAsync());
        }

        // The gemeente's and the parties' other answers about the same child.
        var explainBody = Melding.Body("police", "PRIVACY-EXPLAIN", child.Bsn, child.Description).With("child.givenName", child.GivenName).With("child.birthDate", child.BirthDate);
        answers.Add(await (await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/routing/explain?partner={Melding.PolicePartner}", explainBody.ToJsonString())).Content.ReadAsStringAsync());
        answers.Add(await (await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "basta", $$"""
            { "bsn": "{{child.Bsn}}", "status": "withdrawn", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }
            """)).Content.ReadAsStringAsync());

        // The three meldingen matched: the school confirms contact for its match with the police, which then
        // falls due unconfirmed by the police, so its follow-up rows and its match.unattended are searched too.
        var matchId = Identifiers.MatchId(meldingIds[0], meldingIds[1]);
        answers.Add(await (await hub.PostSignedAsync($"/api/matches/{matchId}/contact", "X-Partner-Id", Melding.SchoolPartner, "{}")).Content.ReadAsStringAsync());
        await hub.BringFollowUpDueAsync(matchId);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CheckDeadlines", "{}")).StatusCode);
        await hub.DeliveredAsync("subscriber", "gemeente-jeugd", "match.unattended", r => r.Body.Contains(matchId, StringComparison.Ordinal));

        // The values did reach the inboxes: the search below would find them if they leaked.
        Assert.Contains(await hub.ReceivedAsync("inbox-cjg"), m => m.Contains(child.Bsn) && m.Contains(child.Description));

        var haystacks = new List<(string Where, string Text)>();
        haystacks.AddRange(answers.Select(a => ("an HTTP answer", a)));
        haystacks.AddRange(await EveryTableAsync());
        haystacks.AddRange(await EveryQueueButIntakeAndInboxesAsync());
        haystacks.AddRange(hub.Callbacks.Received.Select(c => ($"a notification delivered to {c.Path}", c.Body)));
        haystacks.AddRange(hub.Logs.Lines.Select(l => ("the log", l)));
        haystacks.AddRange(TelemetryTexts());

        Assert.Contains(haystacks, h => h.Where.StartsWith("table", StringComparison.Ordinal));
        Assert.Contains(haystacks, h => h.Where.EndsWith("matchfollowups", StringComparison.Ordinal) && h.Text.Contains(matchId, StringComparison.Ordinal));
        Assert.Contains(haystacks, h => h.Where.StartsWith("a notification", StringComparison.Ordinal) && h.Text.Contains("match.unattended", StringComparison.Ordinal));
        Assert.Contains(haystacks, h => h.Where == "a trace");
        foreach (var value in child.Values)
        {
            var leaks = haystacks.Where(h => h.Text.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(h => h.Where).Distinct().ToArray();
            Assert.True(leaks.Length == 0, $"'{value}' appears in: {string.Join(", ", leaks)}");
        }
    }

    [Fact]
    public async Task A_providers_note_reaches_the_referrer_and_appears_in_no_table_answer_or_log_line()
    {
        var note = $"Notitie {Guid.NewGuid():N} over het gezin";
        var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(hub);
        var path = $"/api/referrals/{referralId}/status";

        var answers = new List<string>
        {
            await (await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", FeedbackTests.Status("declined", "capacity", note))).Content.ReadAsStringAsync(),
            // Refused with the same note: after the end, another provider, and a body with another problem.
            await (await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", FeedbackTests.Status("contacted", note: note))).Content.ReadAsStringAsync(),
            await (await hub.PostSignedAsync(path, "X-Provider-Id", "basta", FeedbackTests.Status("contacted", note: note))).Content.ReadAsStringAsync(),
            await (await hub.PostSignedAsync(path, "X-Provider-Id", "cjg", FeedbackTests.Status("contacted", "capacity", note))).Content.ReadAsStringAsync(),
        };

        // The note did travel to the referrer of this full referral: the search below would find it if it leaked.
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, "referral.status-changed", r => r.Body.Contains(note));

        var haystacks = new List<(string Where, string Text)>();
        haystacks.AddRange(answers.Select(a => ("an HTTP answer", a)));
        haystacks.AddRange(await EveryTableAsync());
        haystacks.AddRange(hub.Logs.Lines.Select(l => ("the log", l)));
        var audit = await hub.SendWithKeyAsync(HttpMethod.Get, $"/api/meldingen/{Identifiers.MeldingIdOfReferral(referralId)}/audit");
        haystacks.Add(("the audit", await audit.Content.ReadAsStringAsync()));

        Assert.Contains(haystacks, h => h.Text.Contains("referral.status"));
        var leaks = haystacks.Where(h => h.Text.Contains(note, StringComparison.OrdinalIgnoreCase)).Select(h => h.Where).Distinct().ToArray();
        Assert.True(leaks.Length == 0, $"the note appears in: {string.Join(", ", leaks)}");
    }

    [Fact]
    public async Task Telemetry_names_the_hubs_own_things_only_never_a_melding_a_child_or_a_stored_key()
    {
        var bsn = DistinctiveChild.Create().Bsn;
        var response = await hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.Body("school", $"TELEMETRY-{Guid.NewGuid():N}", bsn).ToJsonString());
        var meldingId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;
        await hub.RoutedAsync(meldingId);
        var pseudonym = hub.Services.GetRequiredService<ChildPseudonym>().Of(bsn);
        var referralId = hub.ReferralIds.For(meldingId, "cjg");

        var texts = TelemetryTexts();

        // What it does carry: the tables and queues used, the status of each call, the counts by feed.
        Assert.Contains(texts, t => t.Where == "a trace" && t.Text.Contains("hub.storage.resource=meldingen-intake", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where == "a trace" && t.Text.Contains("hub.storage.service=table", StringComparison.Ordinal) && t.Text.Contains("http.response.status_code=", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where == "a metric" && t.Text.StartsWith("hub.meldingen.accepted hub.feed=school = ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Where == "a metric" && t.Text.StartsWith("hub.meldingen.routed hub.feed=school", StringComparison.Ordinal));
        foreach (var value in new[] { bsn, pseudonym, meldingId, referralId })
        {
            var leaks = texts.Where(t => t.Text.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(t => t.Text).Take(3).ToArray();
            Assert.True(leaks.Length == 0, $"'{value}' appears in telemetry: {string.Join(" | ", leaks)}");
        }
    }

    /// <summary>Every trace and metric point the hub's telemetry would export so far, as text.</summary>
    private List<(string Where, string Text)> TelemetryTexts() =>
    [
        .. hub.Telemetry.Activities.Select(a => ("a trace", CapturedTelemetry.Render(a))),
        .. hub.Telemetry.MetricPoints(hub.Services.GetRequiredService<MeterProvider>()).Select(p => ("a metric", p)),
    ];

    private async Task<List<(string, string)>> EveryTableAsync()
    {
        var service = StorageAccount.TableService(hub.Configuration);
        var found = new List<(string, string)>();
        await foreach (var table in service.QueryAsync())
        {
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                found.Add(($"table {table.Name}", HubFixture.TextOf(entity)));
            }
        }

        return found;
    }

    private async Task<List<(string, string)>> EveryQueueButIntakeAndInboxesAsync()
    {
        var found = new List<(string, string)>();
        await foreach (var queue in hub.Queues.GetQueuesAsync())
        {
            if (queue.Name == "meldingen-intake" || queue.Name.StartsWith("inbox-", StringComparison.Ordinal))
            {
                continue;
            }

            found.AddRange((await hub.PeekAsync(queue.Name)).Select(m => ($"queue {queue.Name}", m)));
        }

        return found;
    }

    private sealed record DistinctiveChild(string Bsn, string GivenName, string FamilyName, string BirthDate, string Description)
    {
        public IEnumerable<string> Values =>
        [
            Bsn, GivenName, FamilyName, BirthDate, Description,
            DateOnly.Parse(BirthDate).ToString("dd-MM-yyyy"),
            DateOnly.Parse(BirthDate).ToString("yyyyMMdd"),
        ];

        public static DistinctiveChild Create()
        {
            var marker = Guid.NewGuid().ToString("N")[..8];
            var birthDate = DateTime.UtcNow.AddYears(-8).AddDays(-Random.Shared.Next(1, 300)).ToString("yyyy-MM-dd");
            return new DistinctiveChild(
                Melding.NewBsn(),
                $"Voornaam{marker}",
                $"Achternaam{marker}",
                birthDate,
                $"Vrije tekst {marker} over de thuissituatie");
        }
    }
}
