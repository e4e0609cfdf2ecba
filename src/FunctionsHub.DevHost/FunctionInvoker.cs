using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using FunctionsHub.DevHost.Discovery;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.DevHost;

/// <summary>
/// Runs one invocation: a fresh DI scope, the function class created with constructor injection
/// (as the worker does), the bound arguments, and one console line with the outcome, never the payload.
/// </summary>
public sealed partial class FunctionInvoker(IServiceScopeFactory scopes, ILogger<FunctionInvoker> logger)
{
    public delegate object? BindArgument(ParameterBinding binding);

    // Finding a function class's constructor once, not on every invocation (reflection, as the host caches its activators).
    private readonly ConcurrentDictionary<Type, ObjectFactory> _factories = new();

    public async Task<object?> InvokeAsync(FunctionDescriptor function, BindArgument bind, string trigger)
    {
        var invocationId = Guid.NewGuid();
        var watch = Stopwatch.StartNew();
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var instance = function.Method.IsStatic
                ? null
                : _factories.GetOrAdd(function.FunctionType, type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes))(scope.ServiceProvider, null);
            var arguments = function.Parameters.Select(p => bind(p)).ToArray();
            object? result;
            try
            {
                result = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            result = await UnwrapAsync(result);
            LogSucceeded(function.Name, trigger, invocationId, watch.ElapsedMilliseconds);
            return result;
        }
        catch (Exception e)
        {
            LogFailed(function.Name, trigger, invocationId, watch.ElapsedMilliseconds, e.GetType().Name, Where(e));
            throw;
        }
    }

    private static async Task<object?> UnwrapAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } property && property.PropertyType.Name != "VoidTaskResult"
                    ? property.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (result?.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)t.GetMethod("AsTask")!.Invoke(result, null)!;
                    return await UnwrapAsync(asTask);
                }

                return result;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed '{Function}' ({Trigger}, Succeeded, Id={InvocationId}, Duration={DurationMs}ms)")]
    private partial void LogSucceeded(string function, string trigger, Guid invocationId, long durationMs);

    /// <summary>
    /// What can be said of a failure without quoting what failed: the hub's own exceptions carry
    /// messages written content-free (ids and codes); a library's message can quote the input it failed
    /// on (a JSON reader's "'J' is an invalid start of a value"), and queue messages hold a child's
    /// identity and free text, so of those only where in the JSON it was, or nothing.
    /// </summary>
    private static string Where(Exception e) => e switch
    {
        _ when e.TargetSite?.DeclaringType?.FullName?.StartsWith("FunctionsHub.", StringComparison.Ordinal) == true => e.Message,
        System.Text.Json.JsonException json => $"at {json.Path ?? "$"}, line {json.LineNumber}, byte {json.BytePositionInLine}",
        _ => "message withheld: it may quote personal data",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed '{Function}' ({Trigger}, Failed, Id={InvocationId}, Duration={DurationMs}ms): {ExceptionType} ({Where})")]
    private partial void LogFailed(string function, string trigger, Guid invocationId, long durationMs, string exceptionType, string where);
}
