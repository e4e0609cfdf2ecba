using System.Net;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Digests;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>The gemeente's digest operations on the DevHost: compile a month on demand and list the months stored, answering no figures.</summary>
[Collection(HubCollection.Name)]
public sealed class DigestTests(HubFixture hub)
{
    private static string CurrentMonth() => DigestMonth.Current(DateTimeOffset.UtcNow, GemeenteCalendar.Of("Europe/Amsterdam")).Month;

    [Fact]
    public async Task Compiling_the_current_month_on_demand_stores_its_figures_and_answers_only_the_month_and_links()
    {
        var meldingId = await hub.ReportChildAsync(Melding.NewBsn());
        var month = CurrentMonth();

        var response = await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/digests/{month}/compile");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["compiledAt", "links", "month"], answer.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(month, answer.RootElement.GetProperty("month").GetString());
        Assert.Equal($"/api/digests/{month}", answer.RootElement.GetProperty("links").GetProperty("json").GetString());
        var stored = await hub.Services.GetRequiredService<IDigestStore>().FindAsync(month, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.True(stored.MeldingCount >= 1, $"melding {meldingId} is not counted");
        Assert.True(stored.Table(DigestTableIds.ReferralsByProviderKind)!.Rows.Single(r => r.Key == "cjg").Counts.Sum() >= 1);

        var listed = await hub.SendWithKeyAsync(HttpMethod.Get, "/api/digests");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        using var listing = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        var item = Assert.Single(listing.RootElement.GetProperty("digests").EnumerateArray(), d => d.GetProperty("month").GetString() == month);
        Assert.Equal(["compiledAt", "links", "month"], item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_timer_publishes_the_previous_month_to_the_gemeentes_subscriber_without_figures()
    {
        var previous = DigestMonth.Previous(DateTimeOffset.UtcNow, GemeenteCalendar.Of("Europe/Amsterdam")).Month;

        var fired = await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CompileDigest", "{}");

        Assert.Equal(HttpStatusCode.Accepted, fired.StatusCode);
        var published = await hub.DeliveredAsync("subscriber", "gemeente-jeugd", "digest.published", r => r.Body.Contains(previous, StringComparison.Ordinal));
        Assert.True(published.SignatureValid, "signed with the subscriber's own secret");
        var data = published.Json.GetProperty("data");
        Assert.Equal(previous, data.GetProperty("month").GetString());
        Assert.Equal(["compiledAt", "links", "month"], data.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2026-13", 400, "invalid-month")]
    [InlineData("latest", 400, "invalid-month")]
    [InlineData("2999-01", 422, "future-month")]
    public async Task A_month_that_cannot_be_compiled_is_a_problem(string month, int status, string type)
    {
        var response = await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/digests/{month}/compile");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"urn:functionshub:problem:{type}", problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_digest_operations_need_the_function_key()
    {
        var compile = await hub.Http.PostAsync($"/api/digests/{CurrentMonth()}/compile", null);
        var list = await hub.Http.GetAsync("/api/digests");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (compile.StatusCode, list.StatusCode));
    }
}
