using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FunctionsHub.Core.Configuration;
using FunctionsHub.DevHost;
using FunctionsHub.Functions.Hosting;
using FunctionsHub.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The configuration document from a blob (<c>Hub:ConfigUrl</c>), as in Azure, on the shared hub's
/// Azurite: loaded at start-up, a changed valid version in force without a restart, an invalid one
/// refused with its problems logged and the version in force kept. Each test has a blob of its own
/// and a DevHost of its own that is built but not started (the document source is what is tested).
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ConfigBlobTests(HubFixture hub) : IAsyncLifetime
{
    private static readonly string E2eDocument = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hub-config.e2e.json"));

    private readonly CapturedLogs _logs = new();
    private readonly List<WebApplication> _apps = [];
    private BlobClient _blob = null!;

    public async Task InitializeAsync()
    {
        var container = new BlobServiceClient(hub.Configuration["AzureWebJobsStorage"]).GetBlobContainerClient("hubconfig");
        await container.CreateIfNotExistsAsync();
        _blob = container.GetBlobClient($"hub-config-{Guid.NewGuid():N}.json");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _blob.DeleteIfExistsAsync();
    }

    private Task UploadAsync(Action<JsonNode>? change = null)
    {
        var document = JsonNode.Parse(E2eDocument)!;
        change?.Invoke(document);
        return _blob.UploadAsync(BinaryData.FromString(document.ToJsonString()), overwrite: true);
    }

    /// <summary>A DevHost reading its document from the blob, with the shared hub's other settings; not started.</summary>
    private WebApplication App(Dictionary<string, string?>? settings = null)
    {
        var app = DevHostApp.Create(["--urls", "http://127.0.0.1:" + Azurite.FreePort()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = hub.Configuration["AzureWebJobsStorage"],
                ["Hub:ConfigPath"] = "",
                ["Hub:ConfigUrl"] = _blob.Uri.ToString(),
                ["Hub:Secrets:" + HubFixture.DisabledPartner] = HubFixture.DisabledPartnerSecret,
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Logging.AddProvider(_logs);
        });
        _apps.Add(app);
        return app;
    }

    private BlobHubDocument Source(WebApplication app) => Assert.IsType<BlobHubDocument>(app.Services.GetRequiredService<IHubDocumentSource>());

    private static int? ExpectedAtBasta(HubDocument document) => document.Providers.Single(p => p.Id == "basta").ExpectedMonthlyInstroom;

    [Fact]
    public async Task The_blobs_document_is_in_force_and_a_changed_valid_version_replaces_it_without_a_restart()
    {
        await UploadAsync();
        var source = Source(App());
        Assert.Equal(6, ExpectedAtBasta(source.Current));
        Assert.Equal(DocumentRefresh.Unchanged, await source.RefreshAsync(CancellationToken.None));

        await UploadAsync(d => d["providers"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "basta")!["expectedMonthlyInstroom"] = 9);

        Assert.Equal(DocumentRefresh.Replaced, await source.RefreshAsync(CancellationToken.None));
        Assert.Equal(9, ExpectedAtBasta(source.Current));
        Assert.Equal(DocumentRefresh.Unchanged, await source.RefreshAsync(CancellationToken.None));
        Assert.Contains(_logs.Lines, l => l.Contains("is now in force", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_refresher_looks_at_the_blob_once_a_minute()
    {
        await UploadAsync();
        var source = Source(App());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var refresher = new HubDocumentRefresher(source, time, NullLogger<HubDocumentRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);
        await UploadAsync(d => d["gemeente"]!["name"] = "Voorbeeldstad-West");

        time.Advance(HubDocumentRefresher.Interval);

        await Poll.UntilAsync(() => Task.FromResult(source.Current.Gemeente.Name == "Voorbeeldstad-West"), TimeSpan.FromSeconds(30), "the changed blob in force after a minute");
        await refresher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_invalid_version_is_refused_once_with_its_problems_logged_and_the_version_in_force_stays_until_a_valid_one_comes()
    {
        await UploadAsync();
        var source = Source(App());
        var inForce = source.Current;

        await UploadAsync(d => d["defaultProvider"] = "onbekend");
        Assert.Equal(DocumentRefresh.Refused, await source.RefreshAsync(CancellationToken.None));
        Assert.Same(inForce, source.Current);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Configuration document: defaultProvider", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("refused (1 problem(s)); the document in force", StringComparison.Ordinal));

        // Not read again while the blob stays as it is; a fixed version is taken.
        Assert.Equal(DocumentRefresh.Unchanged, await source.RefreshAsync(CancellationToken.None));
        await UploadAsync(d => d["gemeente"]!["name"] = "Voorbeeldstad-Oost");
        Assert.Equal(DocumentRefresh.Replaced, await source.RefreshAsync(CancellationToken.None));
        Assert.Equal("Voorbeeldstad-Oost", source.Current.Gemeente.Name);
    }

    [Fact]
    public async Task A_version_with_a_partner_whose_secret_is_not_in_the_settings_is_refused()
    {
        await UploadAsync();
        var source = Source(App());

        await UploadAsync(d => d["partners"]!.AsArray().Add(new JsonObject { ["id"] = "obs-de-vlinder", ["feed"] = "school", ["name"] = "OBS De Vlinder", ["enabled"] = true }));

        Assert.Equal(DocumentRefresh.Refused, await source.RefreshAsync(CancellationToken.None));
        Assert.DoesNotContain(source.Current.Partners, p => p.Id == "obs-de-vlinder");
        Assert.Contains(_logs.Lines, l => l.Contains("Setting Hub:Secrets:obs-de-vlinder (or Hub:Secrets:obs_de_vlinder) is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blob_that_does_not_exist_stops_start_up_naming_the_setting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => App().StartAsync());

        Assert.StartsWith($"Setting Hub:ConfigUrl names '{_blob.Uri}', which does not exist", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task A_path_and_a_url_together_stop_start_up()
    {
        await UploadAsync();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => App(new() { ["Hub:ConfigPath"] = "hub-config.e2e.json" }).StartAsync());

        Assert.StartsWith("Settings Hub:ConfigPath and Hub:ConfigUrl are both set", Assert.Single(failure.Failures));
    }
}
