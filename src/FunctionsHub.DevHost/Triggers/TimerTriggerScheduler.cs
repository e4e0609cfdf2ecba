using FunctionsHub.DevHost.Discovery;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.DevHost.Triggers;

/// <summary>Fires one <c>[TimerTrigger]</c> function on its schedule, in UTC like the Functions host.</summary>
public sealed partial class TimerTriggerScheduler(
    FunctionDescriptor function,
    FunctionInvoker invoker,
    TimeProvider time,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Schedules.TryParse(function.Schedule!, out var nextAfter);
        DateTime? last = null;
        if (function.RunOnStartup)
        {
            await FireAsync(null, nextAfter(time.GetUtcNow().UtcDateTime), stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = nextAfter(now);
            LogNext(function.Name, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FireAsync(last, nextAfter(next), stoppingToken);
            last = next;
        }
    }

    public static TimerInfo Info(DateTime? last, DateTime next, DateTime now) => new()
    {
        IsPastDue = false,
        ScheduleStatus = new ScheduleStatus { Last = last ?? DateTime.MinValue, Next = next, LastUpdated = now },
    };

    private async Task FireAsync(DateTime? last, DateTime next, CancellationToken stoppingToken)
    {
        var info = Info(last, next, time.GetUtcNow().UtcDateTime);
        try
        {
            await invoker.InvokeAsync(function, b => b.Source == ParameterSource.TimerInfo ? info : stoppingToken, "timer");
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Logged by the invoker; a timer keeps its schedule after a failed run, as in the Functions host.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Function '{Function}' next runs at {Next:o} UTC")]
    private partial void LogNext(string function, DateTime next);
}
