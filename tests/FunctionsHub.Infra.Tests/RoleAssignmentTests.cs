using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsHub.Infra.Tests;

public sealed partial class RoleAssignmentTests
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private sealed record Assignment(string Role, string Scope, string Principal, string Name);

    [Fact]
    public void The_identity_has_exactly_its_roles_each_on_its_own_resource()
    {
        var snapshot = Infra.Demo;
        var identity = $"[reference('{snapshot.IdentityId}', '2023-01-31').principalId]";
        var storage = snapshot.Single("Microsoft.Storage/storageAccounts")["id"]!.GetValue<string>();
        var serviceBus = snapshot.Single("Microsoft.ServiceBus/namespaces")["id"]!.GetValue<string>();
        var vault = snapshot.Single("Microsoft.KeyVault/vaults")["id"]!.GetValue<string>();
        var insights = snapshot.Single("Microsoft.Insights/components")["id"]!.GetValue<string>();

        var assignments = Assignments(snapshot);

        Assert.All(assignments, a => Assert.Equal(identity, a.Principal));
        Assert.Equal(
            new[]
            {
                (BlobDataOwner, storage), (QueueDataContributor, storage), (TableDataContributor, storage),
                (ServiceBusDataSender, serviceBus), (KeyVaultSecretsUser, vault), (MonitoringMetricsPublisher, insights),
            }.Order(),
            assignments.Select(a => (a.Role, a.Scope)).Order());
    }

    [Fact]
    public void A_provider_principal_may_only_receive_and_only_from_its_own_queue()
    {
        var snapshot = Infra.Variant;
        var identity = $"[reference('{snapshot.IdentityId}', '2023-01-31').principalId]";
        var queues = snapshot.OfType("Microsoft.ServiceBus/namespaces/queues").ToDictionary(q => q["name"]!.GetValue<string>().Split('/')[^1], q => q["id"]!.GetValue<string>());

        var providers = Assignments(snapshot).Where(a => a.Principal != identity).ToList();

        var only = Assert.Single(providers);
        Assert.Equal(Infra.ProviderPrincipalId, only.Principal);
        Assert.Equal(ServiceBusDataReceiver, only.Role);
        Assert.Equal(queues["inbox-cjg"], only.Scope);
        Assert.DoesNotContain(Assignments(snapshot), a => a.Role == ServiceBusDataReceiver && a.Principal == identity);
    }

    [Fact]
    public void Every_assignment_has_a_deterministic_guid_name_of_its_scope_principal_and_role()
    {
        // In the compiled template, modules included: each name is guid() of its inputs.
        var compiled = Descendants(Infra.Template).Where(r => r["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && r["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(compiled);
        Assert.All(compiled, r => Assert.Matches(@"^\[guid\(.+\)\]$", r["name"]!.GetValue<string>()));
        Assert.DoesNotContain("newGuid", Infra.Template.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // Evaluated: of the scope, the principal and the role (or, with a literal principal, the guid itself).
        Assert.All(Assignments(Infra.Demo).Concat(Assignments(Infra.Variant)), a =>
        {
            if (Guid.TryParse(a.Name, out _))
            {
                Assert.False(ArmExpression.IsExpression(a.Principal));
                return;
            }

            Assert.Matches(@"^\[guid\(.+\)\]$", a.Name);
            Assert.Contains(a.Scope, a.Name, StringComparison.Ordinal);
            Assert.Contains(a.Role, a.Name, StringComparison.Ordinal);
            Assert.Contains(a.Principal.Trim('[', ']'), a.Name, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<JsonObject> Descendants(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(p => Descendants(p.Value))),
        JsonArray a => a.SelectMany(Descendants),
        _ => [],
    };

    private static List<Assignment> Assignments(Snapshot snapshot) =>
    [
        .. snapshot.OfType("Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var properties = r["properties"]!;
            var id = r["id"]!.GetValue<string>();
            // [extensionResourceId('<scope>', 'Microsoft.Authorization/roleAssignments', guid(...))], or
            // evaluated: <scope>/providers/Microsoft.Authorization/roleAssignments/<guid>.
            var scope = ExtensionScope().Match(id);
            Assert.True(scope.Success, $"Role assignment {id} is not an extension resource of a scope.");
            return new Assignment(
                properties["roleDefinitionId"]!.GetValue<string>().Split('/')[^1],
                scope.Groups[1].Success ? scope.Groups[1].Value : scope.Groups[2].Value,
                properties["principalId"]!.GetValue<string>(),
                r["name"]!.GetValue<string>());
        }),
    ];

    [GeneratedRegex(@"^(?:\[extensionResourceId\('([^']+)', 'Microsoft\.Authorization/roleAssignments', |(/subscriptions/.+)/providers/Microsoft\.Authorization/roleAssignments/[0-9a-f-]{36}$)")]
    private static partial Regex ExtensionScope();
}
