using System.Globalization;
using NCrontab;

namespace FunctionsHub.DevHost.Discovery;

/// <summary>Timer schedules as the Functions host reads them: 6-field NCRONTAB (with seconds), in UTC, or a TimeSpan interval.</summary>
public static class Schedules
{
    public static bool TryParse(string expression, out Func<DateTime, DateTime> next)
    {
        var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (cron is not null && expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6)
        {
            next = cron.GetNextOccurrence;
            return true;
        }

        if (TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            next = from => from + interval;
            return true;
        }

        next = _ => DateTime.MaxValue;
        return false;
    }
}
