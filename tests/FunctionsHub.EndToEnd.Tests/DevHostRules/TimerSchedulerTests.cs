using FunctionsHub.DevHost;
using FunctionsHub.DevHost.Discovery;
using FunctionsHub.DevHost.Triggers;
using FunctionsHub.Testing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.EndToEnd.Tests.DevHostRules;

/// <summary>A timer function fires at each occurrence of its NCRONTAB schedule in UTC, and not before.</summary>
public sealed class TimerSchedulerTests
{
    [Fact]
    public async Task A_timer_fires_at_its_next_occurrence_and_not_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 2, 30, TimeSpan.Zero));
        var function = FunctionCatalog.Discover([typeof(EveryFiveMinutes)], new ConfigurationBuilder().Build()).Single();
        var services = new ServiceCollection().AddSingleton<EveryFiveMinutes.Runs>().BuildServiceProvider();
        var runs = services.GetRequiredService<EveryFiveMinutes.Runs>();
        var invoker = new FunctionInvoker(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<FunctionInvoker>.Instance);
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        using var scheduler = new TimerTriggerScheduler(function, invoker, time, loggers.CreateLogger<TimerTriggerScheduler>());
        await scheduler.StartAsync(CancellationToken.None);

        // The scheduler runs on its own thread: advance the clock only once it waits for its next occurrence.
        await WaitingForAsync(logs, "10:05:00");
        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(29)); // 10:04:59
        time.Advance(TimeSpan.FromSeconds(1)); // 10:05:00
        await Poll.UntilAsync(() => Task.FromResult(runs.At.Count == 1), TimeSpan.FromSeconds(10), "the 10:05 run");
        await WaitingForAsync(logs, "10:10:00");
        time.Advance(TimeSpan.FromMinutes(5)); // 10:10:00
        await Poll.UntilAsync(() => Task.FromResult(runs.At.Count == 2), TimeSpan.FromSeconds(10), "the 10:10 run");
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal([new DateTime(2026, 11, 29, 10, 5, 0), new DateTime(2026, 11, 29, 10, 10, 0)], runs.At);
    }

    private static Task WaitingForAsync(CapturedLogs logs, string time) =>
        Poll.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains($"next runs at 2026-11-29T{time}"))), TimeSpan.FromSeconds(10), $"the scheduler waiting for {time}");

    public sealed class EveryFiveMinutes(EveryFiveMinutes.Runs runs)
    {
        [Function(nameof(EveryFiveMinutes))]
        public void Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer) => runs.At.Add(timer.ScheduleStatus!.LastUpdated);

        /// <summary>When each run happened, by the clock the scheduler passed in the TimerInfo.</summary>
        public sealed class Runs
        {
            public List<DateTime> At { get; } = [];
        }
    }
}
