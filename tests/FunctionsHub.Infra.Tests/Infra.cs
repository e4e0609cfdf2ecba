using System.Text.Json.Nodes;

namespace FunctionsHub.Infra.Tests;

/// <summary>
/// infra/ compiled once per test run, in a copy (bicep snapshot writes its file beside the parameters):
/// the ARM template, the demo parameters, and snapshots: the template's resources evaluated with a
/// parameters file (modules flattened, parameters and variables filled in; what needs a deployed
/// resource, such as <c>reference()</c>, stays an ARM expression).
/// </summary>
public static class Infra
{
    public const string SubscriptionId = "11111111-1111-1111-1111-111111111111";
    public const string ResourceGroup = "rg-functionshub-test";
    public const string TenantId = "22222222-2222-2222-2222-222222222222";

    /// <summary>A principal of a provider that may read its own inbox, in <see cref="Variant"/>.</summary>
    public const string ProviderPrincipalId = "33333333-3333-3333-3333-333333333333";

    public const string CustomDomain = "hub.voorbeeldstad.example";

    private static readonly Lazy<string> Copy = new(MakeCopy);

    private static readonly Lazy<JsonObject> CompiledTemplate = new(() => Json(Build("build", "main.bicep", "--stdout")));

    private static readonly Lazy<JsonObject> CompiledDemoParameters = new(() =>
        Json(Json(Build("build-params", "main.demo.bicepparam", "--stdout"))["parametersJson"]!.GetValue<string>()));

    private static readonly Lazy<Snapshot> DemoSnapshot = new(() => TakeSnapshot("main.demo.bicepparam"));

    private static readonly Lazy<Snapshot> VariantSnapshot = new(() => TakeSnapshot("variant.test.bicepparam"));

    public static string Directory => Copy.Value;

    /// <summary><c>bicep build infra/main.bicep</c>.</summary>
    public static JsonObject Template => CompiledTemplate.Value;

    /// <summary><c>bicep build-params infra/main.demo.bicepparam</c>: the <c>parameters</c> of a deployment parameters file.</summary>
    public static JsonObject DemoParameters => CompiledDemoParameters.Value["parameters"]!.AsObject();

    /// <summary>The demo environment as <c>az deployment group create</c> would get it.</summary>
    public static Snapshot Demo => DemoSnapshot.Value;

    /// <summary>
    /// The demo parameters with what the demo leaves out: a provider's receiving principal, a custom
    /// domain, and no SMTP.
    /// </summary>
    public static Snapshot Variant => VariantSnapshot.Value;

    public static string ProvidersOf(JsonObject parameters, int index) =>
        parameters["providers"]!["value"]![index]!["id"]!.GetValue<string>();

    private static string Build(params string[] arguments)
    {
        var result = Bicep.Run(Directory, arguments);
        Assert.True(result.ExitCode == 0, $"bicep {string.Join(' ', arguments)} failed: {result}");
        return result.Stdout;
    }

    private static Snapshot TakeSnapshot(string parametersFile)
    {
        var result = Bicep.Run(
            Directory, "snapshot", parametersFile, "--mode", "overwrite",
            "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup,
            "--tenant-id", TenantId, "--location", "westeurope");
        Assert.True(result.ExitCode == 0, $"bicep snapshot {parametersFile} failed: {result}");
        var path = System.IO.Path.Combine(Directory, System.IO.Path.ChangeExtension(parametersFile, ".snapshot.json"));
        return new Snapshot(Json(File.ReadAllText(path)));
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static string MakeCopy()
    {
        var source = System.IO.Path.Combine(Bicep.RepositoryRoot, "infra");
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"functionshub-infra-{Guid.NewGuid():N}");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        File.WriteAllText(System.IO.Path.Combine(target, "variant.test.bicepparam"), $$"""
            using 'main.bicep'

            param name = 'fhub-test'
            param authClientId = '44444444-4444-4444-4444-444444444444'
            param providers = [
              { id: 'cjg', receiverPrincipalId: '{{ProviderPrincipalId}}' }
              { id: 'veilig-thuis' }
            ]
            param secretPartyIds = ['cjg', 'veilig-thuis', 'obs-de-regenboog']
            param customDomain = '{{CustomDomain}}'
            """);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(target, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory; the system cleans it up otherwise.
            }
        };
        return target;
    }
}
