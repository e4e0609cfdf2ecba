using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FunctionsHub.DevHost.Discovery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.DevHost.Triggers;

/// <summary>Serves <c>[HttpTrigger]</c> functions as Kestrel routes under host.json's <c>routePrefix</c>.</summary>
public static class HttpTriggerEndpoints
{
    public const string FunctionKeySetting = "Hub:DevHost:FunctionKey";

    public static void Map(WebApplication app, IEnumerable<FunctionDescriptor> functions)
    {
        var prefix = QueueHostOptions.RoutePrefix(app.Configuration).Trim('/');
        foreach (var function in functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var route = (function.Http!.Route ?? function.Name).Trim('/');
            var pattern = prefix.Length == 0 ? "/" + route : $"/{prefix}/{route}";
            var methods = function.Http.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : null;
            RequestDelegate handler = context => InvokeAsync(context, function);
            var endpoint = methods is null ? app.Map(pattern, handler) : app.MapMethods(pattern, methods, handler);
            endpoint.WithDisplayName(function.Name);
        }
    }

    /// <summary>
    /// The function-key check the real host makes for <c>Function</c> and <c>Admin</c> levels: enforced
    /// when <c>Hub:DevHost:FunctionKey</c> is set, open when it is not (as <c>func start</c> is).
    /// </summary>
    public static bool IsAuthorised(HttpContext context, AuthorizationLevel level)
    {
        if (level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        var key = context.RequestServices.GetRequiredService<IConfiguration>()[FunctionKeySetting];
        if (string.IsNullOrEmpty(key))
        {
            return true;
        }

        var given = context.Request.Headers["x-functions-key"].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault() ?? "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
    }

    private static async Task InvokeAsync(HttpContext context, FunctionDescriptor function)
    {
        if (!IsAuthorised(context, function.Http!.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var invoker = context.RequestServices.GetRequiredService<FunctionInvoker>();
        object? result;
        try
        {
            result = await invoker.InvokeAsync(function, binding => Bind(binding, context), "http");
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            // The real host answers an unhandled exception with a bare 500; the invoker has logged it.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        if (result is IActionResult action)
        {
            await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
    }

    private static object? Bind(ParameterBinding binding, HttpContext context) => binding.Source switch
    {
        ParameterSource.HttpRequest => context.Request,
        ParameterSource.CancellationToken => context.RequestAborted,
        ParameterSource.RouteValue => ConvertRouteValue(context.GetRouteValue(binding.Parameter.Name!)?.ToString(), binding.Parameter.ParameterType),
        _ => throw new InvalidOperationException($"Cannot bind {binding.Source} in an HTTP function."),
    };

    private static object? ConvertRouteValue(string? value, Type type) =>
        value is null ? null : TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
}
