using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Infra.Tests;

/// <summary>
/// Easy Auth (authsettingsV2) lets a request through without an Entra token when its path is in
/// globalValidation.excludedPaths. An entry matches a path exactly, or, ending in "/*", every path
/// under that prefix; there is no wildcard inside a path. That is the model of <see cref="Excludes"/>.
/// </summary>
public sealed partial class EasyAuthTests
{
    /// <summary>
    /// Function-key routes an exclusion lets through without an Entra token (they keep their function key),
    /// each with the reason: no entry can cover an anonymous route of the v1 contract without covering them too.
    /// </summary>
    private static readonly Dictionary<string, string> FunctionKeyOnly = new(StringComparer.Ordinal)
    {
        ["/api/meldingen/{meldingId}/audit"] =
            "the partner's signed GET /api/meldingen/{meldingId} needs /api/meldingen/*, the only entry that covers a templated last " +
            "segment, and the v1 routes cannot be renamed; the audit keeps its function key (docs/deploy.md, Easy Auth)",
    };

    private static IReadOnlyList<string> ExcludedPaths =>
        [.. Infra.Demo.Config("authsettingsV2")["properties"]!["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>())];

    private static IReadOnlyList<AppSurface.HttpRoute> Anonymous => [.. AppSurface.HttpRoutes.Where(r => r.Level == AuthorizationLevel.Anonymous)];

    private static IReadOnlyList<AppSurface.HttpRoute> Guarded => [.. AppSurface.HttpRoutes.Where(r => r.Level != AuthorizationLevel.Anonymous)];

    [Fact]
    public void Easy_Auth_requires_an_Entra_token_and_answers_401_without_one()
    {
        var properties = Infra.Demo.Config("authsettingsV2")["properties"]!;
        var entra = properties["identityProviders"]!["azureActiveDirectory"]!;

        Assert.True(properties["platform"]!["enabled"]!.GetValue<bool>());
        Assert.True(properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("Return401", properties["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        Assert.True(entra["enabled"]!.GetValue<bool>());
        Assert.Equal(Infra.DemoParameters["authClientId"]!["value"]!.GetValue<string>(), entra["registration"]!["clientId"]!.GetValue<string>());
        Assert.Equal($"https://login.microsoftonline.com/{Infra.TenantId}/v2.0", ArmExpression.Evaluate(entra["registration"]!["openIdIssuer"]!.GetValue<string>()));
        Assert.True(properties["httpSettings"]!["requireHttps"]!.GetValue<bool>());
    }

    [Fact]
    public void The_app_has_the_anonymous_routes_this_test_knows_of()
    {
        // A guard on the reflection itself: with no routes found every other test here would pass.
        Assert.Contains(Anonymous, r => r.Path == "/api/feeds/{feed}/meldingen" && r.Methods.SequenceEqual(["POST"]));
        Assert.Contains(Anonymous, r => r.Path == "/api/health");
        Assert.Contains(Guarded, r => r.Path == "/api/meldingen/{meldingId}/audit");
        Assert.Equal("api", AppSurface.RoutePrefix);
    }

    [Fact]
    public void Every_anonymous_route_is_excluded()
    {
        var uncovered = Anonymous.Where(r => !ExcludedPaths.Any(e => Excludes(e, Sample(r.Path), StringComparison.Ordinal))).Select(r => r.Path).Distinct();

        Assert.Empty(uncovered);
    }

    [Fact]
    public void No_exclusion_lets_a_function_key_route_through_without_a_token_but_the_ones_listed_with_a_reason()
    {
        Assert.All(Guarded.Where(r => !FunctionKeyOnly.ContainsKey(r.Path)), route => Assert.False(
            ExcludedPaths.Any(e => Excludes(e, Sample(route.Path), StringComparison.OrdinalIgnoreCase)),
            $"{route.Function} ({route.Path}, {route.Level}) would be reachable without an Entra token."));
    }

    [Fact]
    public void Every_exclusion_is_for_an_anonymous_route()
    {
        Assert.All(ExcludedPaths, e => Assert.Contains(Anonymous, r => Excludes(e, Sample(r.Path), StringComparison.Ordinal)));
    }

    [Fact]
    public void The_function_key_routes_let_through_are_so_only_because_an_anonymous_route_needs_their_entry()
    {
        // When the reason goes away (the anonymous route under the same prefix is gone), the entry must go too.
        Assert.All(FunctionKeyOnly.Keys, path =>
        {
            Assert.Contains(Guarded, r => r.Path == path);
            var entries = ExcludedPaths.Where(e => Excludes(e, Sample(path), StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.NotEmpty(entries);
            Assert.All(entries, e => Assert.Contains(Anonymous, r => Excludes(e, Sample(r.Path), StringComparison.Ordinal)));
        });
    }

    /// <summary>Whether an excludedPaths entry lets <paramref name="path"/> through.</summary>
    private static bool Excludes(string entry, string path, StringComparison comparison) =>
        entry.EndsWith("/*", StringComparison.Ordinal)
            ? path.StartsWith(entry[..^1], comparison)
            : string.Equals(entry, path, comparison);

    /// <summary>A request path of the route: each {parameter} a value no entry names.</summary>
    private static string Sample(string route) => RouteParameter().Replace(route, "x7q");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
