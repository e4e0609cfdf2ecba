using System.Text.Json.Nodes;

namespace FunctionsHub.Infra.Tests;

/// <summary>The demo parameters describe the parties of the demo configuration document.</summary>
public sealed class DemoParametersTests
{
    private static JsonNode Document => JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "demo", "hub-config.json")))!;

    private static IEnumerable<string> Ids(JsonNode? list) => list?.AsArray().Select(p => p!["id"]!.GetValue<string>()) ?? [];

    [Fact]
    public void Providers_are_the_documents_providers()
    {
        Assert.Equal(
            Ids(Document["providers"]).Order(StringComparer.Ordinal),
            Ids(Infra.DemoParameters["providers"]!["value"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Secrets_are_for_every_partner_provider_and_subscriber_of_the_document()
    {
        var parties = Ids(Document["partners"]).Concat(Ids(Document["providers"])).Concat(Ids(Document["gemeente"]!["subscribers"]));
        var secrets = Infra.DemoParameters["secretPartyIds"]!["value"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

        Assert.Equal(parties.Order(StringComparer.Ordinal), secrets.Order(StringComparer.Ordinal));
        Assert.All(secrets, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
        // Key Vault secret names: 1-127 letters, digits and hyphens.
        Assert.All(secrets, id => Assert.InRange($"hub-secret-{id}".Length, 1, 127));
    }
}
