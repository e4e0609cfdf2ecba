using System.Text.Json.Nodes;

namespace FunctionsHub.Infra.Tests;

public sealed class ResourceTests
{
    [Fact]
    public void Storage_takes_no_shared_key_no_plain_http_no_old_tls_and_no_anonymous_reads()
    {
        var properties = Infra.Demo.Single("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False(properties["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.True(properties["supportsHttpsTrafficOnly"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]!.GetValue<string>());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void Storage_has_private_containers_for_the_deployment_package_and_the_configuration_document()
    {
        var containers = Infra.Demo.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.Equal(["app-package", "config"], containers.Select(c => c["name"]!.GetValue<string>().Split('/')[^1]).Order());
        Assert.All(containers, c => Assert.Equal("None", c["properties"]!["publicAccess"]!.GetValue<string>()));
    }

    [Fact]
    public void Service_Bus_is_Standard_with_local_auth_off()
    {
        var ns = Infra.Demo.Single("Microsoft.ServiceBus/namespaces");

        Assert.Equal("Standard", ns["sku"]!["name"]!.GetValue<string>());
        Assert.True(ns["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        Assert.Empty(Infra.Demo.OfType("Microsoft.ServiceBus/namespaces/AuthorizationRules"));
        Assert.Empty(Infra.Demo.OfType("Microsoft.ServiceBus/namespaces/queues/authorizationRules"));
    }

    [Fact]
    public void One_inbox_queue_per_provider_with_duplicate_detection_and_dead_lettering()
    {
        var parameters = Infra.DemoParameters["providers"]!["value"]!.AsArray().Select(p => p!["id"]!.GetValue<string>());
        var ns = Infra.Demo.Single("Microsoft.ServiceBus/namespaces")["name"]!.GetValue<string>();
        var queues = Infra.Demo.OfType("Microsoft.ServiceBus/namespaces/queues").ToList();

        Assert.Equal(parameters.Select(p => $"{ns}/inbox-{p}").Order(StringComparer.Ordinal), queues.Select(q => q["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(queues, q =>
        {
            var properties = q["properties"]!;
            Assert.True(properties["requiresDuplicateDetection"]!.GetValue<bool>());
            Assert.True(System.Xml.XmlConvert.ToTimeSpan(properties["duplicateDetectionHistoryTimeWindow"]!.GetValue<string>()) >= TimeSpan.FromHours(1));
            Assert.True(properties["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        });
    }

    [Fact]
    public void Key_Vault_is_in_RBAC_mode_and_the_template_creates_no_secret()
    {
        var vault = Infra.Demo.Single("Microsoft.KeyVault/vaults");

        Assert.True(vault["properties"]!["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.Empty(Infra.Demo.OfType("Microsoft.KeyVault/vaults/secrets"));
        Assert.Empty(Infra.Demo.OfType("Microsoft.KeyVault/vaults/accessPolicies"));
        // No secret can come in through a parameter either.
        Assert.DoesNotContain(Infra.Template["parameters"]!.AsObject(), p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Template_outputs_no_secret_or_key()
    {
        var outputs = Infra.Template["outputs"]!.AsObject();

        Assert.All(outputs, o =>
        {
            Assert.DoesNotContain("listKeys", o.Value!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionString", o.Value!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void Names_are_deterministic_and_within_Azure_limits()
    {
        Assert.Matches("^[a-z0-9]{3,24}$", Infra.Demo.StorageAccountName);
        Assert.Matches("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", Infra.Demo.KeyVaultName);
        Assert.Matches("^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$", Infra.Demo.Single("Microsoft.ServiceBus/namespaces")["name"]!.GetValue<string>());
        Assert.DoesNotContain("newGuid", Infra.Template.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("utcNow", Infra.Template.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    internal static string Name(JsonObject resource) => resource["name"]!.GetValue<string>();
}
