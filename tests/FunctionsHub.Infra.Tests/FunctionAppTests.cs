namespace FunctionsHub.Infra.Tests;

public sealed class FunctionAppTests
{
    [Fact]
    public void Plan_is_Flex_Consumption_on_Linux()
    {
        var plan = Infra.Demo.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>());
    }

    [Fact]
    public void App_runs_dotnet_isolated_10_from_its_Flex_Consumption_config()
    {
        var site = Infra.Demo.Single("Microsoft.Web/sites");
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;

        Assert.Equal("functionapp,linux", site["kind"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", runtime["name"]!.GetValue<string>());
        Assert.Equal("10.0", runtime["version"]!.GetValue<string>());
        Assert.EndsWith(Infra.Demo.Single("Microsoft.Web/serverfarms")["name"]!.GetValue<string>(), site["properties"]!["serverFarmId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void App_has_only_the_user_assigned_identity_and_uses_it_for_Key_Vault_references()
    {
        var site = Infra.Demo.Single("Microsoft.Web/sites");

        Assert.Equal("UserAssigned", site["identity"]!["type"]!.GetValue<string>());
        Assert.Equal([Infra.Demo.IdentityId], site["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(Infra.Demo.IdentityId, site["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.True(site["properties"]!["httpsOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void Deployment_package_is_a_blob_container_of_the_app_storage_reached_with_the_identity()
    {
        var storage = Infra.Demo.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        var url = ArmExpression.Evaluate(storage["value"]!.GetValue<string>());
        var container = url.Split('/')[^1];

        Assert.Equal("blobContainer", storage["type"]!.GetValue<string>());
        Assert.Equal($"https://{Infra.Demo.StorageAccountName}.blob.core.windows.net/{container}", url);
        Assert.Contains(Infra.Demo.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"), c => c["name"]!.GetValue<string>() == $"{Infra.Demo.StorageAccountName}/default/{container}");
        Assert.Equal("UserAssignedIdentity", storage["authentication"]!["type"]!.GetValue<string>());
        Assert.Equal(Infra.Demo.IdentityId, storage["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>());
    }

    [Fact]
    public void Basic_publishing_credentials_are_off()
    {
        var policies = Infra.Demo.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(["ftp", "scm"], policies.Select(p => p["name"]!.GetValue<string>().Split('/')[^1]).Order());
        Assert.All(policies, p => Assert.False(p["properties"]!["allow"]!.GetValue<bool>()));
    }

    [Fact]
    public void Application_Insights_is_workspace_based_and_takes_Entra_tokens_only()
    {
        var insights = Infra.Demo.Single("Microsoft.Insights/components");

        Assert.True(insights["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Equal(Infra.Demo.Single("Microsoft.OperationalInsights/workspaces")["id"]!.GetValue<string>(), insights["properties"]!["WorkspaceResourceId"]!.GetValue<string>());
    }
}
