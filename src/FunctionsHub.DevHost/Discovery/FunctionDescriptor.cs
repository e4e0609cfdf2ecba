using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.DevHost.Discovery;

public enum TriggerKind
{
    Http,
    Queue,
    Timer,
}

/// <summary>One discovered function: its method, its trigger and how each parameter is bound.</summary>
public sealed record FunctionDescriptor(
    string Name,
    MethodInfo Method,
    TriggerKind Trigger,
    IReadOnlyList<ParameterBinding> Parameters)
{
    public Type FunctionType => Method.DeclaringType!;

    public HttpTriggerAttribute? Http { get; init; }

    /// <summary>The queue name with any <c>%Setting%</c> already resolved.</summary>
    public string? QueueName { get; init; }

    /// <summary>The connection setting name of a queue trigger (default <c>AzureWebJobsStorage</c>).</summary>
    public string? Connection { get; init; }

    /// <summary>The timer schedule with any <c>%Setting%</c> already resolved.</summary>
    public string? Schedule { get; init; }

    public bool RunOnStartup { get; init; }
}

/// <summary>How the DevHost fills one parameter.</summary>
public enum ParameterSource
{
    HttpRequest,
    RouteValue,
    CancellationToken,
    QueueMessageText,
    QueueMessageBinary,
    QueueMessageBytes,
    QueueMessage,
    QueueMessageJson,
    TimerInfo,
}

public sealed record ParameterBinding(ParameterInfo Parameter, ParameterSource Source);
