using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace FunctionsHub.DevHost.Discovery;

/// <summary>
/// Finds every <c>[Function]</c> method in an assembly and decides how to bind it, the way the
/// Functions host would. Any shape the DevHost cannot serve is collected, and start-up fails with
/// all of them, each naming the function and the parameter.
/// </summary>
public static partial class FunctionCatalog
{
    private static readonly Type[] RouteValueTypes = [typeof(string), typeof(int), typeof(long), typeof(Guid), typeof(bool)];

    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly, IConfiguration configuration) =>
        Discover(assembly.GetExportedTypes(), configuration);

    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> types, IConfiguration configuration)
    {
        var problems = new List<string>();
        var functions = new List<FunctionDescriptor>();
        var methods = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .OrderBy(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);

        // AzureWebJobs.{name}.Disabled, the Functions host's switch: a disabled function is not served at all.
        foreach (var method in methods.Where(m => !IsDisabled(m.GetCustomAttribute<FunctionAttribute>()!.Name, configuration)))
        {
            var function = Describe(method, configuration, problems);
            if (function is not null)
            {
                functions.Add(function);
            }
        }

        foreach (var duplicate in functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Function name '{duplicate.Key}' is used by more than one method.");
        }

        if (problems.Count > 0)
        {
            throw new UnsupportedBindingException(problems);
        }

        return functions;
    }

    /// <summary>Whether <c>AzureWebJobs.{name}.Disabled</c> is <c>true</c> or <c>1</c>, as the Functions host reads it.</summary>
    public static bool IsDisabled(string function, IConfiguration configuration) =>
        configuration[$"AzureWebJobs.{function}.Disabled"] is { } value
        && (value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || value.Trim() == "1");

    /// <summary>Replaces each <c>%Name%</c> with the setting of that name, as the Functions host does.</summary>
    public static string ResolveSettings(string value, IConfiguration configuration, string function, List<string> problems) =>
        SettingReference().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            if (configuration[name] is { Length: > 0 } setting)
            {
                return setting;
            }

            problems.Add($"Function '{function}': setting '{name}' (used as %{name}%) is not configured.");
            return match.Value;
        });

    private static FunctionDescriptor? Describe(MethodInfo method, IConfiguration configuration, List<string> problems)
    {
        var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
        var before = problems.Count;

        if (method.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("OutputAttribute", StringComparison.Ordinal))
            || method.ReturnParameter.GetCustomAttributes().Any(a => a.GetType().Name.EndsWith("OutputAttribute", StringComparison.Ordinal)))
        {
            problems.Add($"Function '{name}': output bindings are not supported by the DevHost; use an SDK client from DI.");
        }

        if (method.DeclaringType is { IsAbstract: true } && !method.IsStatic)
        {
            problems.Add($"Function '{name}': its class {method.DeclaringType.Name} is abstract.");
        }

        var triggers = method.GetParameters()
            .Select(p => (Parameter: p, Attribute: p.GetCustomAttributes().FirstOrDefault(a => a.GetType().Name.EndsWith("TriggerAttribute", StringComparison.Ordinal))))
            .Where(t => t.Attribute is not null)
            .ToArray();

        if (triggers.Length != 1)
        {
            problems.Add($"Function '{name}': needs exactly one trigger parameter, has {triggers.Length}.");
            return null;
        }

        var (triggerParameter, attribute) = triggers[0];
        var bindings = new List<ParameterBinding>();
        FunctionDescriptor? descriptor;
        switch (attribute)
        {
            case HttpTriggerAttribute http:
                Require(triggerParameter.ParameterType == typeof(HttpRequest), name, triggerParameter,
                    "an [HttpTrigger] parameter must be Microsoft.AspNetCore.Http.HttpRequest (ASP.NET Core integration)", problems);
                bindings.Add(new(triggerParameter, ParameterSource.HttpRequest));
                var routeNames = RouteParameterNames(http.Route ?? name);
                foreach (var parameter in method.GetParameters().Where(p => p != triggerParameter))
                {
                    if (parameter.ParameterType == typeof(CancellationToken))
                    {
                        bindings.Add(new(parameter, ParameterSource.CancellationToken));
                    }
                    else if (routeNames.Contains(parameter.Name!) && RouteValueTypes.Contains(parameter.ParameterType))
                    {
                        bindings.Add(new(parameter, ParameterSource.RouteValue));
                    }
                    else
                    {
                        Unsupported(name, parameter, "an HTTP function binds only route values (string, int, long, Guid, bool) named in its route and a CancellationToken", problems);
                    }
                }

                var returns = UnwrapTask(method.ReturnType);
                if (returns is null || !typeof(IActionResult).IsAssignableFrom(returns))
                {
                    problems.Add($"Function '{name}': an HTTP function must return IActionResult or Task<IActionResult>; it returns {method.ReturnType.Name}.");
                }

                descriptor = new FunctionDescriptor(name, method, TriggerKind.Http, bindings) { Http = http };
                break;

            case QueueTriggerAttribute queue:
                bindings.Add(new(triggerParameter, QueueSource(triggerParameter.ParameterType)));
                AddCancellationOnly(name, method, triggerParameter, bindings, problems);
                RequireNoResult(name, method, problems);
                descriptor = new FunctionDescriptor(name, method, TriggerKind.Queue, bindings)
                {
                    QueueName = ResolveSettings(queue.QueueName, configuration, name, problems),
                    Connection = string.IsNullOrEmpty(queue.Connection) ? "AzureWebJobsStorage" : queue.Connection,
                };
                break;

            case TimerTriggerAttribute timer:
                Require(triggerParameter.ParameterType == typeof(TimerInfo), name, triggerParameter, "a [TimerTrigger] parameter must be TimerInfo", problems);
                bindings.Add(new(triggerParameter, ParameterSource.TimerInfo));
                AddCancellationOnly(name, method, triggerParameter, bindings, problems);
                RequireNoResult(name, method, problems);
                var schedule = ResolveSettings(timer.Schedule, configuration, name, problems);
                if (!Schedules.TryParse(schedule, out _))
                {
                    problems.Add($"Function '{name}': schedule '{schedule}' is neither a 6-field NCRONTAB expression nor a TimeSpan.");
                }

                descriptor = new FunctionDescriptor(name, method, TriggerKind.Timer, bindings)
                {
                    Schedule = schedule,
                    RunOnStartup = timer.RunOnStartup,
                };
                break;

            default:
                problems.Add($"Function '{name}': parameter '{triggerParameter.Name}' has [{attribute!.GetType().Name.Replace("Attribute", "")}], which the DevHost does not serve (it serves HttpTrigger, QueueTrigger and TimerTrigger).");
                return null;
        }

        return problems.Count == before ? descriptor : null;
    }

    private static ParameterSource QueueSource(Type type) => type switch
    {
        _ when type == typeof(string) => ParameterSource.QueueMessageText,
        _ when type == typeof(BinaryData) => ParameterSource.QueueMessageBinary,
        _ when type == typeof(byte[]) => ParameterSource.QueueMessageBytes,
        _ when type == typeof(QueueMessage) => ParameterSource.QueueMessage,
        _ => ParameterSource.QueueMessageJson,
    };

    private static void AddCancellationOnly(string name, MethodInfo method, ParameterInfo trigger, List<ParameterBinding> bindings, List<string> problems)
    {
        foreach (var parameter in method.GetParameters().Where(p => p != trigger))
        {
            if (parameter.ParameterType == typeof(CancellationToken))
            {
                bindings.Add(new(parameter, ParameterSource.CancellationToken));
            }
            else
            {
                Unsupported(name, parameter, "besides its trigger, a queue or timer function binds only a CancellationToken (FunctionContext and binding data are not supported)", problems);
            }
        }
    }

    private static void RequireNoResult(string name, MethodInfo method, List<string> problems)
    {
        if (method.ReturnType != typeof(void) && method.ReturnType != typeof(Task) && method.ReturnType != typeof(ValueTask))
        {
            problems.Add($"Function '{name}': a queue or timer function must return void, Task or ValueTask (return values would be output bindings).");
        }
    }

    private static Type? UnwrapTask(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void) ? null : type;

    private static void Require(bool condition, string name, ParameterInfo parameter, string rule, List<string> problems)
    {
        if (!condition)
        {
            Unsupported(name, parameter, rule, problems);
        }
    }

    private static void Unsupported(string name, ParameterInfo parameter, string rule, List<string> problems) =>
        problems.Add($"Function '{name}': parameter '{parameter.Name}' of type {parameter.ParameterType.Name} cannot be bound: {rule}.");

    public static HashSet<string> RouteParameterNames(string route) =>
        RouteParameter().Matches(route).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();
}

/// <summary>Start-up failure listing every function shape the DevHost cannot serve.</summary>
public sealed class UnsupportedBindingException(IReadOnlyList<string> problems)
    : Exception("The DevHost cannot serve these functions:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
