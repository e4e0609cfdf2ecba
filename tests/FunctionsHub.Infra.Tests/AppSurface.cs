using System.Reflection;
using System.Text.Json.Nodes;
using FunctionsHub.Adapters.Mail;
using FunctionsHub.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Infra.Tests;

/// <summary>What the app serves and reads, from its built assemblies: its HTTP routes and its settings.</summary>
public static class AppSurface
{
    public sealed record HttpRoute(string Function, AuthorizationLevel Level, IReadOnlyList<string> Methods, string Path);

    private static readonly Assembly Functions = typeof(HubSettings).Assembly;

    /// <summary>host.json's extensions.http.routePrefix ("api" when it has none, as the host does).</summary>
    public static string RoutePrefix
    {
        get
        {
            var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "host.json")))!;
            return host["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        }
    }

    /// <summary>Every HTTP-triggered function with its path as the outside sees it (<c>/api/meldingen/{meldingId}</c>).</summary>
    public static IReadOnlyList<HttpRoute> HttpRoutes =>
    [
        .. from method in FunctionMethods()
           from parameter in method.GetParameters()
           let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
           where trigger is not null
           select new HttpRoute(
               method.GetCustomAttribute<FunctionAttribute>()!.Name,
               trigger.AuthLevel,
               [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())],
               $"/{RoutePrefix}/{trigger.Route ?? method.GetCustomAttribute<FunctionAttribute>()!.Name}"),
    ];

    /// <summary>
    /// The app setting names the app reads (with <c>__</c> for <c>:</c>); a name ending in <c>*</c> stands
    /// for any name under it (<c>Hub__Secrets__*</c>: a dictionary).
    /// </summary>
    public static IReadOnlySet<string> SettingsRead
    {
        get
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            AddSection(names, HubSettings.Section, typeof(HubSettings));
            AddSection(names, SmtpSettings.Section, typeof(SmtpSettings));
            foreach (var method in FunctionMethods())
            {
                foreach (var timer in method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>())
                {
                    // "%Hub:Schedules:Digest%": the schedule is the app setting of that name.
                    Assert.Matches("^%[A-Za-z0-9:]+%$", timer.Schedule);
                    names.Add(SettingName(timer.Schedule.Trim('%')));
                }
            }

            return names;
        }
    }

    public static string SettingName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    private static IEnumerable<MethodInfo> FunctionMethods() =>
        Functions.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null);

    /// <summary>A settings class bound from <paramref name="section"/>: one name per property, a nested settings class as a sub-section.</summary>
    private static void AddSection(ISet<string> names, string section, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{section}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                names.Add(SettingName(key) + "__*");
            }
            else if (propertyType.IsClass && propertyType != typeof(string))
            {
                AddSection(names, key, propertyType);
            }
            else
            {
                names.Add(SettingName(key));
            }
        }
    }
}
