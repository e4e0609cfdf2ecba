using System.Net;
using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.DevHost;
using FunctionsHub.Functions.Operations;
using FunctionsHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary><c>GET /api/health</c>: anonymous, no data, storage reachable or not, and the configuration's version.</summary>
[Collection(HubCollection.Name)]
public sealed class HealthTests(HubFixture hub)
{
    [Fact]
    public async Task Anyone_learns_that_storage_answers_and_which_configuration_is_loaded()
    {
        var response = await hub.Http.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("reachable", health.GetProperty("storage").GetString());
        Assert.True(health.GetProperty("configuration").GetProperty("loaded").GetBoolean());
        Assert.Equal(Health.Version(hub.Services.GetRequiredService<IHubDocumentSource>().Current), health.GetProperty("configuration").GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{12}$", health.GetProperty("configuration").GetProperty("version").GetString());
    }

    [Fact]
    public void Another_document_has_another_version()
    {
        var document = hub.Services.GetRequiredService<IHubDocumentSource>().Current;

        Assert.NotEqual(Health.Version(document), Health.Version(document with { DefaultProvider = "basta" }));
        Assert.Equal(Health.Version(document), Health.Version(document with { }));
    }

    [Fact]
    public async Task Storage_that_does_not_answer_makes_it_503_within_seconds()
    {
        var closed = Azurite.FreePort();
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var url = $"http://127.0.0.1:{Azurite.FreePort()}";
        var app = DevHostApp.Create(["--urls", url], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};" +
                $"BlobEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;",
            ["Hub:ConfigPath"] = Path.Combine(AppContext.BaseDirectory, "hub-config.e2e.json"),
        }));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(20) };

            var response = await http.GetAsync("/api/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unreachable", health.GetProperty("storage").GetString());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
