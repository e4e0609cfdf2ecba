using System.Text.Json.Nodes;

namespace FunctionsHub.Infra.Tests;

/// <summary>The resources a deployment would create, from <c>bicep snapshot</c>.</summary>
public sealed class Snapshot(JsonObject document)
{
    public IReadOnlyList<JsonObject> Resources { get; } =
        [.. document["predictedResources"]!.AsArray().Select(r => r!.AsObject())];

    public JsonArray Diagnostics => document["diagnostics"]?.AsArray() ?? [];

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type)
    {
        var found = OfType(type).ToList();
        Assert.True(found.Count == 1, $"Expected one {type}, found {found.Count}.");
        return found[0];
    }

    public JsonObject Config(string name) =>
        OfType("Microsoft.Web/sites/config").Single(r => r["name"]!.GetValue<string>().EndsWith("/" + name, StringComparison.Ordinal));

    /// <summary>The function app's app settings, name to value (an ARM expression where it needs a deployed resource).</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Config("appsettings")["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    public string IdentityId => Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!.GetValue<string>();

    public string StorageAccountName => Single("Microsoft.Storage/storageAccounts")["name"]!.GetValue<string>();

    public string KeyVaultName => Single("Microsoft.KeyVault/vaults")["name"]!.GetValue<string>();
}
