using System.Text.RegularExpressions;
using FunctionsHub.Core;

namespace FunctionsHub.Infra.Tests;

public sealed partial class AppSettingsTests
{
    /// <summary>Read by the platform (the Functions host, the Application Insights agent), not by the hub's code.</summary>
    private static readonly Dictionary<string, string> PlatformSettings = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__blobServiceUri"] = "the host's storage, identity-based (and the hub's StorageAccount)",
        ["AzureWebJobsStorage__queueServiceUri"] = "queue triggers and the hub's queues",
        ["AzureWebJobsStorage__tableServiceUri"] = "the hub's tables",
        ["AzureWebJobsStorage__credential"] = "managedidentity: the host authenticates with the identity",
        ["AzureWebJobsStorage__clientId"] = "which identity: the user-assigned one (the hub's StorageAccount reads it too)",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "where telemetry goes; holds no key that works with local auth disabled",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "telemetry sent with an Entra token of the identity",
    };

    /// <summary>Settings the app reads that infra leaves unset on purpose, each with the reason.</summary>
    private static readonly Dictionary<string, string> DeliberatelyUnset = new(StringComparer.Ordinal)
    {
        ["Hub__ConfigPath"] = "a local file; in Azure the document is the blob of Hub__ConfigUrl",
        ["Hub__Delivery__AllowHttpLoopback"] = "http callbacks to loopback are for a developer's machine only; false by default",
        ["Hub__Storage__TablePrefix"] = "empty in production (tests use it to share one storage account)",
        // Hub:DevHost:* is read by the DevHost (local runs), which is not deployed.
        // Hub:ServiceBus as a connection string (local use): infra gives the namespace, so the identity is used.
    };

    /// <summary>Set only with an SMTP server (parameter smtpHost); the demo has one, the variant not.</summary>
    private static readonly string[] SmtpSettings =
        ["Hub__Smtp__Host", "Hub__Smtp__Port", "Hub__Smtp__UseTls", "Hub__Smtp__User", "Hub__Smtp__Password", "Hub__Smtp__From", "Hub__Smtp__FromName"];

    public static TheoryData<string> Environments => ["demo", "variant"];

    private static Snapshot Of(string environment) => environment == "demo" ? Infra.Demo : Infra.Variant;

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_setting_name_is_one_Linux_can_hold(string environment)
    {
        Assert.All(Of(environment).AppSettings.Keys, name => Assert.Matches("^[A-Za-z0-9_]+$", name));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void No_setting_holds_a_key_a_connection_string_or_a_secret(string environment)
    {
        var settings = Of(environment).AppSettings;

        Assert.All(settings, s =>
        {
            Assert.DoesNotContain("AccountKey=", s.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessKey=", s.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol=", s.Value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("whsec_", s.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("listKeys", s.Value, StringComparison.OrdinalIgnoreCase);
        });
        var secrets = settings.Where(s => s.Key.StartsWith("Hub__Secrets__", StringComparison.Ordinal) || s.Key is "Hub__PseudonymKey" or "Hub__Smtp__Password").ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, s => Assert.Matches(KeyVaultReference(), s.Value));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Flex_Consumption_settings_it_refuses_are_absent(string environment)
    {
        string[] refused =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_NODE_DEFAULT_VERSION", "AzureWebJobsStorage",
        ];

        Assert.Empty(Of(environment).AppSettings.Keys.Intersect(refused));
    }

    [Fact]
    public void Each_party_secret_refers_to_its_own_Key_Vault_secret_in_the_templates_vault()
    {
        var settings = Infra.Demo.AppSettings;
        var parties = Infra.DemoParameters["secretPartyIds"]!["value"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

        Assert.Equal(
            parties.Select(p => $"Hub__Secrets__{PartySecrets.SettingName(p)}").Order(StringComparer.Ordinal),
            settings.Keys.Where(k => k.StartsWith("Hub__Secrets__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(parties, p =>
            Assert.Equal($"@Microsoft.KeyVault(VaultName={Infra.Demo.KeyVaultName};SecretName=hub-secret-{p})", settings[$"Hub__Secrets__{PartySecrets.SettingName(p)}"]));
        Assert.Equal($"@Microsoft.KeyVault(VaultName={Infra.Demo.KeyVaultName};SecretName=hub-pseudonym-key)", settings["Hub__PseudonymKey"]);
        Assert.Equal($"@Microsoft.KeyVault(VaultName={Infra.Demo.KeyVaultName};SecretName=hub-smtp-password)", settings["Hub__Smtp__Password"]);
    }

    [Fact]
    public void Storage_is_reached_with_the_user_assigned_identity()
    {
        var settings = Infra.Demo.AppSettings;
        var account = Infra.Demo.StorageAccountName;

        Assert.Equal($"https://{account}.blob.core.windows.net/", ArmExpression.Evaluate(settings["AzureWebJobsStorage__blobServiceUri"]));
        Assert.Equal($"https://{account}.queue.core.windows.net/", ArmExpression.Evaluate(settings["AzureWebJobsStorage__queueServiceUri"]));
        Assert.Equal($"https://{account}.table.core.windows.net/", ArmExpression.Evaluate(settings["AzureWebJobsStorage__tableServiceUri"]));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal($"https://{account}.blob.core.windows.net/config/hub-config.json", ArmExpression.Evaluate(settings["Hub__ConfigUrl"]));
        Assert.Equal(IdentityClientId(), settings["AzureWebJobsStorage__clientId"]);
    }

    [Fact]
    public void Inboxes_are_the_Service_Bus_namespace_reached_with_the_identity()
    {
        var settings = Infra.Demo.AppSettings;

        Assert.Equal("ServiceBus", settings["Hub__Inbox__Transport"]);
        Assert.Equal($"{Infra.Demo.Single("Microsoft.ServiceBus/namespaces")["name"]}.servicebus.windows.net", settings["Hub__ServiceBus__FullyQualifiedNamespace"]);
        Assert.Equal(IdentityClientId(), settings["Hub__ServiceBus__ClientId"]);
    }

    [Fact]
    public void Telemetry_goes_to_Application_Insights_with_an_Entra_token_of_the_identity()
    {
        var settings = Infra.Demo.AppSettings;

        Assert.Contains("Microsoft.Insights/components/appi-fhub-demo", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.EndsWith(".ConnectionString]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.Equal($"[format('ClientId={{0}};Authorization=AAD', {IdentityClientId()[1..^1]})]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Schedules_are_the_defaults_and_valid_six_field_NCRONTAB()
    {
        var settings = Infra.Demo.AppSettings;

        Assert.Equal("0 0 7 * * *", settings["Hub__Schedules__Campaigns"]);
        Assert.Equal("0 0 6 1 * *", settings["Hub__Schedules__Digest"]);
        Assert.Equal("0 */15 * * * *", settings["Hub__Schedules__Deadlines"]);
        Assert.Equal("0 30 2 * * *", settings["Hub__Schedules__Retention"]);
        Assert.All(
            ["Hub__Schedules__Campaigns", "Hub__Schedules__Digest", "Hub__Schedules__Deadlines", "Hub__Schedules__Retention"],
            name => NCrontab.CrontabSchedule.Parse(settings[name], new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }));
    }

    [Fact]
    public void Public_url_is_the_default_host_name_or_the_custom_domain()
    {
        Assert.Matches(
            @"^\[format\('https://\{0\}/', reference\('[^']+/providers/Microsoft\.Web/sites/func-fhub-demo-[a-z0-9]+', '[0-9-]+'\)\.defaultHostName\)\]$",
            Infra.Demo.AppSettings["Hub__PublicUrl"]);
        Assert.Equal($"https://{Infra.CustomDomain}/", Infra.Variant.AppSettings["Hub__PublicUrl"]);
    }

    [Fact]
    public void Smtp_settings_are_there_with_an_smtp_host_and_absent_without()
    {
        var demo = Infra.Demo.AppSettings;

        Assert.All(SmtpSettings, name => Assert.Contains(name, demo.Keys));
        Assert.Equal("smtp.voorbeeldstad.example", demo["Hub__Smtp__Host"]);
        Assert.Equal("587", demo["Hub__Smtp__Port"]);
        Assert.Equal("true", demo["Hub__Smtp__UseTls"]);
        Assert.DoesNotContain(Infra.Variant.AppSettings.Keys, k => k.StartsWith("Hub__Smtp__", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_setting_infra_sets_is_one_the_app_or_the_platform_reads(string environment)
    {
        var read = AppSurface.SettingsRead;

        Assert.All(Of(environment).AppSettings.Keys, name => Assert.True(
            PlatformSettings.ContainsKey(name) || read.Contains(name) || read.Any(r => r.EndsWith('*') && name.StartsWith(r[..^1], StringComparison.Ordinal)),
            $"App setting {name} is set by infra but read by neither the app nor the platform."));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_set_by_infra_or_left_unset_with_a_reason()
    {
        var set = Infra.Demo.AppSettings.Keys.ToHashSet(StringComparer.Ordinal);
        var unset = AppSurface.SettingsRead
            .Where(name => name.EndsWith('*') ? !set.Any(s => s.StartsWith(name[..^1], StringComparison.Ordinal)) : !set.Contains(name))
            .Order(StringComparer.Ordinal);

        Assert.Equal(DeliberatelyUnset.Keys.Order(StringComparer.Ordinal), unset);
        Assert.All(PlatformSettings.Keys, name => Assert.Contains(name, set));
    }

    /// <summary>The identity's client id as the snapshot leaves it: a reference to the deployed identity.</summary>
    private static string IdentityClientId() => $"[reference('{Infra.Demo.IdentityId}', '2023-01-31').clientId]";

    [GeneratedRegex(@"^@Microsoft\.KeyVault\((VaultName=[a-zA-Z0-9-]{3,24};SecretName=[a-zA-Z0-9-]{1,127}|SecretUri=https://[^)]+)\)$")]
    private static partial Regex KeyVaultReference();
}
