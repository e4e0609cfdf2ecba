using System.Net;
using System.Text.Json;
using FunctionsHub.Core.Digests;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary><c>GET /api/digests/{yyyy-MM}</c> through the DevHost over real HTTP, on a stored digest and on one compiled.</summary>
[Collection(HubCollection.Name)]
public sealed class DigestEndpointTests(HubFixture hub)
{
    // A month no other test compiles; 3 meldingen, a small count.
    private const string Month = "2019-03";

    private async Task StoredAsync() =>
        await hub.Services.GetRequiredService<IDigestStore>().SaveAsync(
            new InstroomDigest(Month, new DateTimeOffset(2019, 4, 1, 2, 0, 0, TimeSpan.Zero), 3, 3,
                [new CountTable(DigestTableIds.MeldingenByFeed, "Meldingen per feed", "Feed", ["Meldingen"], [new CountRow("school", "School", [3])])],
                [], [], []),
            CancellationToken.None);

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept = null, bool withKey = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (withKey)
        {
            request.Headers.Add("x-functions-key", HubFixture.FunctionKey);
        }

        return await hub.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_digest_is_json_by_default_with_its_small_count_published_as_less_than_five()
    {
        await StoredAsync();

        var response = await GetAsync($"/api/digests/{Month}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Voorbeeldstad", json.RootElement.GetProperty("gemeente").GetString());
        var table = json.RootElement.GetProperty("tables")[0];
        Assert.Equal("<5", table.GetProperty("grandTotal").GetProperty("text").GetString());
        Assert.False(table.GetProperty("grandTotal").TryGetProperty("count", out _));
    }

    [Fact]
    public async Task A_compiled_month_reads_as_every_table_protected()
    {
        await hub.ReportChildAsync(Melding.NewBsn());
        var month = DigestMonth.Current(DateTimeOffset.UtcNow, FunctionsHub.Core.GemeenteCalendar.Of("Europe/Amsterdam")).Month;
        Assert.Equal(HttpStatusCode.OK, (await hub.SendWithKeyAsync(HttpMethod.Post, $"/api/digests/{month}/compile")).StatusCode);

        var json = await GetAsync($"/api/digests/{month}");
        var html = await GetAsync($"/api/digests/{month}?format=html");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        using var digest = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var ids = digest.RootElement.GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("id").GetString()).ToArray();
        Assert.Contains(DigestTableIds.MeldingenByFeed, ids);
        Assert.Contains(DigestTableIds.ReferralsByProviderKind, ids);
        Assert.Contains(DigestTableIds.TrendMeldingenByFeed, ids);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("Voorbeeldstad", await html.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("?format=csv", null, "text/csv")]
    [InlineData("", "text/csv", "text/csv")]
    [InlineData("?format=html", null, "text/html")]
    [InlineData("", "text/html,*/*;q=0.8", "text/html")]
    [InlineData("?format=json", "text/html", "application/json")]
    public async Task The_format_follows_format_then_accept(string query, string? accept, string mediaType)
    {
        await StoredAsync();

        var response = await GetAsync($"/api/digests/{Month}{query}", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        // The count 3 as an HTML cell, a CSV field or a JSON count (the thorough scan is DigestPrivacyTests).
        Assert.DoesNotMatch(@"(>3<|,3\r?\n|,3,|""count"": 3\b)", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/digests/2019-03?format=xlsx", null, HttpStatusCode.BadRequest, "unknown-format")]
    [InlineData("/api/digests/2019-03", "application/pdf", HttpStatusCode.NotAcceptable, "not-acceptable")]
    [InlineData("/api/digests/march", null, HttpStatusCode.BadRequest, "invalid-month")]
    [InlineData("/api/digests/1999-01", null, HttpStatusCode.NotFound, "digest-not-found")]
    public async Task What_cannot_be_served_is_a_problem(string path, string? accept, HttpStatusCode status, string problem)
    {
        await StoredAsync();

        var response = await GetAsync(path, accept);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"urn:functionshub:problem:{problem}", json.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_the_function_key_the_digest_is_refused()
    {
        await StoredAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"/api/digests/{Month}", withKey: false)).StatusCode);
    }
}
