using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FunctionsHub.Core;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>The thin slice through the real function classes: webhook, intake queue, routing, inbox, poison, timer.</summary>
[Collection(HubCollection.Name)]
public sealed class WalkingSkeletonTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const string School = "obs-de-regenboog";

    [Fact]
    public async Task Signed_school_melding_arrives_in_the_cjg_inbox_as_a_referral()
    {
        var response = await hub.PostMeldingAsync("school", School, Melding.School("E2E-1", description: "Beschrijving voor het CJG"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var meldingId = answer.RootElement.GetProperty("meldingId").GetString()!;
        Assert.Equal("accepted", answer.RootElement.GetProperty("status").GetString());
        Assert.Equal($"/api/meldingen/{meldingId}", response.Headers.Location?.ToString());

        var referral = await FindReferralAsync("inbox-cjg", meldingId);
        Assert.Equal("functionshub.referral.v1", referral.GetProperty("schema").GetString());
        Assert.Equal("referral", referral.GetProperty("kind").GetString());
        Assert.Equal("cjg", referral.GetProperty("provider").GetString());
        Assert.Equal("parental-consent", referral.GetProperty("consentBasis").GetString());
        Assert.Equal(hub.ReferralIds.For(meldingId, "cjg"), referral.GetProperty("referralId").GetString());
        Assert.Equal("111222333", referral.GetProperty("child").GetProperty("bsn").GetString());
        Assert.Equal("noord", referral.GetProperty("child").GetProperty("wijk").GetString());
        Assert.Equal("Beschrijving voor het CJG", referral.GetProperty("content").GetProperty("description").GetString());
        Assert.Equal(School, referral.GetProperty("partner").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Routed_melding_is_recorded_without_the_childs_identity()
    {
        var response = await hub.PostMeldingAsync("school", School, Melding.School("E2E-2", bsn: "123456782"));
        var meldingId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!;
        await FindReferralAsync("inbox-cjg", meldingId);

        await hub.RoutedAsync(meldingId);
        var record = (await hub.Tables.Meldingen.GetEntityAsync<TableEntity>(meldingId, "")).Value;
        var stored = string.Join("|", record.Select(p => p.Value?.ToString()));
        Assert.DoesNotContain("123456782", stored);
        Assert.DoesNotContain("Testkind", stored);
        Assert.DoesNotContain(Melding.BirthDateNine, stored);
        Assert.Equal(64, record.GetString("ChildPseudonym").Length);
    }

    [Fact]
    public async Task Melding_signed_with_another_secret_is_refused_and_nothing_is_stored()
    {
        var webhookId = $"msg_{Guid.NewGuid():N}";
        var otherSecret = hub.Configuration["Hub:Secrets:cbs-de-wegwijzer"];

        var response = await hub.PostMeldingAsync("school", School, Melding.School("E2E-3"), webhookId, otherSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var stored = await hub.Tables.Meldingen.GetEntityIfExistsAsync<TableEntity>(Identifiers.MeldingId(School, webhookId), "");
        Assert.False(stored.HasValue);
    }

    [Fact]
    public async Task Routing_failure_that_repeats_ends_intact_in_the_poison_queue()
    {
        var intake = hub.Queues.GetQueueClient(QueueNames.MeldingenIntake);
        await intake.CreateIfNotExistsAsync();
        var unroutable = $$"""{"meldingId":"mld_poison_{{Guid.NewGuid():N}}","feed":"school", truncated""";

        var sent = await intake.SendMessageAsync(unroutable);

        await Poll.UntilAsync(async () => (await hub.PeekAsync("meldingen-intake-poison")).Contains(unroutable), Deadline, "the message in meldingen-intake-poison");
        var failures = hub.Logs.Lines.Count(l => l.Contains("Executed 'RouteMelding'") && l.Contains($"message {sent.Value.MessageId},") && l.Contains("Failed"));
        Assert.Equal(hub.MaxDequeueCount, failures);
        Assert.DoesNotContain(unroutable, await hub.PeekAsync(QueueNames.MeldingenIntake));
    }

    [Fact]
    public async Task Digest_timer_run_through_the_admin_endpoint_counts_last_months_meldingen()
    {
        var instroom = Services.GetRequiredService<IInstroomLog>();
        var month = DigestMonth.Previous(DateTimeOffset.UtcNow, FunctionsHub.Core.GemeenteCalendar.Of("Europe/Amsterdam"));
        DateTimeOffset[] inside = [month.From, month.From.AddDays(10), month.Until.AddSeconds(-1)];
        DateTimeOffset[] outside = [month.From.AddSeconds(-1), month.Until];
        foreach (var receivedAt in inside.Concat(outside))
        {
            await instroom.RecordAsync(Routed(receivedAt), CancellationToken.None);
        }

        var startedAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        var response = await AdminRunAsync("CompileDigest", HubFixture.FunctionKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var digests = Services.GetRequiredService<IDigestStore>();
        var digest = await Poll.ForAsync(async () => await digests.FindAsync(month.Month, CancellationToken.None) is { } d && d.CompiledAt >= startedAt ? d : null, Deadline, $"digest {month.Month}");
        Assert.Equal(inside.Length, digest.MeldingCount);
    }

    [Fact]
    public async Task Admin_endpoint_refuses_a_caller_without_the_function_key()
    {
        var withoutKey = await AdminRunAsync("CompileDigest", functionKey: null);
        var wrongKey = await AdminRunAsync("CompileDigest", functionKey: "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Fact]
    public async Task Admin_endpoint_answers_404_for_an_unknown_function()
    {
        var response = await AdminRunAsync("NoSuchFunction", HubFixture.FunctionKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private IServiceProvider Services => hub.Services;

    private Task<HttpResponseMessage> AdminRunAsync(string function, string? functionKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{function}") { Content = new StringContent("{}") };
        if (functionKey is not null)
        {
            request.Headers.Add("x-functions-key", functionKey);
        }

        return hub.Http.SendAsync(request);
    }

    private async Task<JsonElement> FindReferralAsync(string inbox, string meldingId)
    {
        var text = await Poll.ForAsync(async () => (await hub.ReceivedAsync(inbox)).FirstOrDefault(m => m.Contains(meldingId, StringComparison.Ordinal)), Deadline, $"a referral for {meldingId} in {inbox}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static RoutedMelding Routed(DateTimeOffset receivedAt) =>
        new($"mld_{Guid.NewGuid():N}", School, "school", receivedAt, GemeenteCalendar.Of("Europe/Amsterdam").MonthOf(receivedAt), 9, null, ["wellbeing"], "normal", null, Matched: false, receivedAt.AddSeconds(1), []);
}
