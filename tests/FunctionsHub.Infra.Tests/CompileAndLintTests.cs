using System.Text.RegularExpressions;

namespace FunctionsHub.Infra.Tests;

public sealed partial class CompileAndLintTests
{
    /// <summary>
    /// Lint warnings accepted on purpose, by rule id, each with the reason. Empty: every warning fails
    /// the test, so a new one is fixed or written down here.
    /// </summary>
    private static readonly Dictionary<string, string> AcceptedWarnings = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Main_template_builds_without_errors()
    {
        var result = Bicep.Run(Infra.Directory, "build", "main.bicep", "--stdout");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(" : Error ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", Infra.Template["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void Demo_parameters_build_without_errors()
    {
        var result = Bicep.Run(Infra.Directory, "build-params", "main.demo.bicepparam", "--stdout");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(" : Error ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("fhub-demo", Infra.DemoParameters["name"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("main.bicep")]
    [InlineData("types.bicep")]
    [InlineData("modules/functionapp.bicep")]
    [InlineData("modules/keyvault.bicep")]
    [InlineData("modules/monitoring.bicep")]
    [InlineData("modules/servicebus.bicep")]
    [InlineData("modules/storage.bicep")]
    public void Lint_finds_no_error_and_no_warning_that_is_not_accepted(string file)
    {
        var result = Bicep.Run(Infra.Directory, "lint", file);
        var diagnostics = Diagnostic().Matches(result.Stdout + result.Stderr).ToList();

        Assert.Empty(diagnostics.Where(d => d.Groups["level"].Value == "Error").Select(d => d.Value));
        Assert.Empty(diagnostics.Where(d => d.Groups["level"].Value == "Warning" && !AcceptedWarnings.ContainsKey(d.Groups["rule"].Value)).Select(d => d.Value));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Every_bicep_file_is_linted()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Bicep.RepositoryRoot, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(Bicep.RepositoryRoot, "infra"), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        var linted = typeof(CompileAndLintTests).GetMethod(nameof(Lint_finds_no_error_and_no_warning_that_is_not_accepted))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).Order(StringComparer.Ordinal);

        Assert.Equal(files, linted);
    }

    [Fact]
    public void Snapshots_of_the_demo_and_the_variant_have_no_diagnostics()
    {
        Assert.Empty(Infra.Demo.Diagnostics);
        Assert.Empty(Infra.Variant.Diagnostics);
    }

    [GeneratedRegex(@"\((?<line>\d+),(?<column>\d+)\) : (?<level>Error|Warning|Info) (?<rule>[A-Za-z0-9-]+):[^\r\n]*")]
    private static partial Regex Diagnostic();
}
