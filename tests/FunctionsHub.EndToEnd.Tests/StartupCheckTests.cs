using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Serialization;
using FunctionsHub.DevHost;
using FunctionsHub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The DevHost refuses to start on a wrong configuration document or wrong settings, and says what
/// is wrong. No Azurite: validation fails before anything is contacted.
/// </summary>
public sealed class StartupCheckTests : IDisposable
{
    private static readonly string ValidDocument = Path.Combine(AppContext.BaseDirectory, "hub-config.e2e.json");

    private readonly string _invalidDocument = Path.Combine(Path.GetTempPath(), $"hub-config-invalid-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_invalidDocument);

    [Theory]
    [InlineData("demo/hub-config.json")]
    [InlineData("hub-config.e2e.json")]
    public void The_shipped_documents_are_valid(string path)
    {
        var document = JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, path)), HubJson.Default.HubDocument)!;

        Assert.Empty(HubDocumentValidator.Validate(document));
    }

    [Fact]
    public async Task An_invalid_configuration_document_stops_start_up_listing_every_problem()
    {
        var document = JsonNode.Parse(File.ReadAllText(ValidDocument))!;
        document["routing"]![0]!["when"]!["categories"] = new JsonArray("agression");
        document["providers"]![0]!["kind"] = "Wijk team";
        document["campaigns"]![0]!["every"] = "P0M";
        File.WriteAllText(_invalidDocument, document.ToJsonString());

        var failure = await StartupFailureAsync("Hub:ConfigPath", _invalidDocument);

        Assert.Equal(3, failure.Failures.Count());
        Assert.Contains("Configuration document: routing[0].when.categories: 'agression' is not one of ", failure.Message);
        Assert.Contains("Configuration document: providers[0].kind: 'Wijk team' must be lowercase letters, digits and hyphens", failure.Message);
        Assert.Contains("Configuration document: campaigns[0].every: 'P0M' is not an ISO 8601 period", failure.Message);
    }

    [Fact]
    public async Task A_misspelt_property_in_the_configuration_document_stops_start_up_naming_it()
    {
        var document = JsonNode.Parse(File.ReadAllText(ValidDocument))!;
        document["providers"]![1]!["firstContactHour"] = 24;
        File.WriteAllText(_invalidDocument, document.ToJsonString());

        var failure = await StartupFailureAsync("Hub:ConfigPath", _invalidDocument);

        var problem = Assert.Single(failure.Failures);
        Assert.Contains("has a property the hub does not know at $.providers[1]", problem, StringComparison.Ordinal);
        Assert.Contains("'firstContactHour'. Misspelt?", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hub:PseudonymKey", "", "Setting Hub:PseudonymKey must be base64 of at least 32 bytes.")]
    [InlineData("Hub:Secrets:basta", "whsec_not-base64!", "Setting Hub:Secrets:basta must be 'whsec_' followed by base64")]
    [InlineData("Hub:Secrets:basta", "YmFzdGEgd2ViaG9vayBzZWNyZXQgd2l0aG91dCBwcmVmaXg=", "Setting Hub:Secrets:basta must be 'whsec_' followed by base64")]
    [InlineData("Hub:ConfigPath", "does-not-exist/hub-config.json", "Setting Hub:ConfigPath names ")]
    [InlineData("Hub:Inbox:Transport", "Kafka", "Setting Hub:Inbox:Transport must be")]
    [InlineData("Hub:Inbox:Transport", "ServiceBus", "Setting Hub:ServiceBus:FullyQualifiedNamespace (identity-based, in Azure) or Hub:ServiceBus (a connection string) is required")]
    [InlineData("Hub:Storage:TablePrefix", "t-1", "Setting Hub:Storage:TablePrefix")]
    public async Task A_wrong_setting_stops_start_up_naming_the_setting(string key, string? value, string expected)
    {
        var failure = await StartupFailureAsync(key, value);

        var problem = Assert.Single(failure.Failures);
        Assert.StartsWith(expected, problem);
    }

    [Theory]
    [InlineData("Hub:ServiceBus:FullyQualifiedNamespace", "hub-voorbeeldstad.servicebus.windows.net", null, "hub-voorbeeldstad.servicebus.windows.net", "0f1e2d3c-0000-4000-8000-000000000001")]
    [InlineData("Hub:ServiceBus", "sb://hub-voorbeeldstad.servicebus.windows.net/", null, "hub-voorbeeldstad.servicebus.windows.net", "0f1e2d3c-0000-4000-8000-000000000001")]
    [InlineData("Hub:ServiceBus", "Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=v", "Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=v", null, null)]
    public void The_Service_Bus_is_named_the_way_the_Functions_host_names_connections_or_by_a_connection_string(
        string key, string value, string? connectionString, string? fullyQualifiedNamespace, string? clientId)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [key] = value,
            ["Hub:ServiceBus:ClientId"] = "0f1e2d3c-0000-4000-8000-000000000001",
        }).Build();
        var settings = configuration.GetSection("Hub").Get<FunctionsHub.Functions.Hosting.HubSettings>()!;

        var connection = FunctionsHub.Functions.Hosting.ServiceBusConnection.Read(settings, configuration);

        Assert.Equal(new FunctionsHub.Functions.Hosting.ServiceBusConnection(connectionString, fullyQualifiedNamespace, clientId), connection);
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=0f1e2d3c-0000-4000-8000-000000000001", "ManagedIdentityCredential")]
    [InlineData("Authorization=AAD", "DefaultAzureCredential")]
    [InlineData(null, null)]
    [InlineData("ClientId=0f1e2d3c-0000-4000-8000-000000000001", null)]
    public void Application_Insights_is_written_to_with_the_identity_its_authentication_string_names(string? authentication, string? credential)
    {
        Assert.Equal(credential, FunctionsHub.Functions.Hosting.HubTelemetrySetup.Credential(authentication)?.GetType().Name);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "https://sthub.queue.core.windows.net", "Setting AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__tableServiceUri (identity-based, with AzureWebJobsStorage__clientId for a user-assigned identity) is required.")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "sthub.table.core.windows.net", "Setting AzureWebJobsStorage__tableServiceUri must be the absolute https URI of the storage account's table service; 'sthub.table.core.windows.net' is not.")]
    public async Task Identity_based_storage_with_a_service_missing_or_malformed_stops_start_up_naming_the_setting(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://sthub.queue.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = null,
            [setting.Replace("__", ":", StringComparison.Ordinal)] = value,
        };

        var failure = await StartupFailureAsync(settings);

        Assert.Contains(expected, failure.Failures);
    }

    [Fact]
    public void A_secret_set_as_an_environment_variable_with_underscores_is_found_for_the_hyphenated_party()
    {
        var document = JsonNode.Parse(File.ReadAllText(ValidDocument))!;
        document["gemeente"]!["subscribers"]!.AsArray().Add(new JsonObject { ["id"] = "wijkteam-noord", ["callbackUrl"] = "https://wijkteam.example.org/hub" });
        File.WriteAllText(_invalidDocument, document.ToJsonString());
        // What bash and App Service on Linux can hold: no hyphen in the name.
        const string variable = "Hub__Secrets__wijkteam_noord";
        Environment.SetEnvironmentVariable(variable, "whsec_d2lqa3RlYW0tbm9vcmQtdGVzdC1zZWNyZXQtMDAwMQ==");
        try
        {
            var app = DevHostApp.Create(["--urls", "http://127.0.0.1:" + Azurite.FreePort()], builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["Hub:ConfigPath"] = _invalidDocument }));

            // Validation runs when the settings are first read: no exception is no problem.
            Assert.Equal(_invalidDocument, app.Services.GetRequiredService<IOptions<FunctionsHub.Functions.Hosting.HubSettings>>().Value.ConfigPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_party_with_a_callback_but_no_secret_stops_start_up()
    {
        var document = JsonNode.Parse(File.ReadAllText(ValidDocument))!;
        document["gemeente"]!["subscribers"]!.AsArray().Add(new JsonObject { ["id"] = "wijkteam-noord", ["callbackUrl"] = "https://wijkteam.example.org/hub" });
        File.WriteAllText(_invalidDocument, document.ToJsonString());

        var failure = await StartupFailureAsync("Hub:ConfigPath", _invalidDocument);

        Assert.Equal("Setting Hub:Secrets:wijkteam-noord (or Hub:Secrets:wijkteam_noord) is missing: notifications to 'wijkteam-noord' (gemeente.subscribers[1].callbackUrl) could not be signed.", Assert.Single(failure.Failures));
    }

    [Fact]
    public async Task Http_callbacks_stop_start_up_unless_loopback_is_allowed()
    {
        var failure = await StartupFailureAsync("Hub:Delivery:AllowHttpLoopback", "false");

        Assert.NotEmpty(failure.Failures);
        Assert.All(failure.Failures, f => Assert.Contains("is http, which the hub calls only on loopback with Hub:Delivery:AllowHttpLoopback=true", f));
        Assert.Contains(failure.Failures, f => f.StartsWith("gemeente.subscribers[0].callbackUrl", StringComparison.Ordinal));
    }

    /// <summary>Starts the DevHost with the demo settings, the e2e document and one setting changed; answers why start-up failed.</summary>
    private static Task<OptionsValidationException> StartupFailureAsync(string key, string? value) =>
        StartupFailureAsync(new Dictionary<string, string?> { [key] = value });

    /// <summary>Starts the DevHost with the demo settings, the e2e document and these settings changed; answers why start-up failed.</summary>
    private static async Task<OptionsValidationException> StartupFailureAsync(Dictionary<string, string?> changed)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Hub:ConfigPath"] = ValidDocument,
        };
        foreach (var (key, value) in changed)
        {
            settings[key] = value;
        }

        var app = DevHostApp.Create(["--urls", "http://127.0.0.1:" + Azurite.FreePort()], builder => builder.Configuration.AddInMemoryCollection(settings));
        try
        {
            return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
