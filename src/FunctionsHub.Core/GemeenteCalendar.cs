using System.Globalization;

namespace FunctionsHub.Core;

/// <summary>
/// The gemeente's calendar: every calendar notion of the hub (the date of an instant, a child's age,
/// a month and the instants that bound it) in <c>gemeente.timeZone</c>, from one place. Schedules run
/// in UTC (Flex Consumption has no WEBSITE_TIME_ZONE); what they mean is computed here.
/// </summary>
public sealed class GemeenteCalendar(TimeZoneInfo zone)
{
    public static GemeenteCalendar Of(string timeZone) => new(TimeZoneInfo.FindSystemTimeZoneById(timeZone));

    /// <summary>The calendar date of an instant in the gemeente.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The month (<c>yyyy-MM</c>) an instant falls in, in the gemeente: 00:30 local on the 1st belongs to that month.</summary>
    public string MonthOf(DateTimeOffset instant) => DateOf(instant).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Whole years at <paramref name="on"/>, as the calendar in the gemeente counts them.</summary>
    public int AgeInYears(DateOnly birthDate, DateTimeOffset on)
    {
        var today = DateOf(on);
        var age = today.Year - birthDate.Year;
        return today < birthDate.AddYears(age) ? age - 1 : age;
    }

    /// <summary>The instant local midnight begins <paramref name="date"/> in the gemeente.</summary>
    public DateTimeOffset StartOf(DateOnly date) => InstantOf(date, TimeOnly.MinValue);

    /// <summary>
    /// The instant the gemeente's clocks show <paramref name="time"/> on <paramref name="date"/>. Twice a
    /// year the clock does not show it once: a time the spring change skips (02:30 on the last Sunday
    /// of March in Europe/Amsterdam) becomes the first time the clock does show after the jump (03:00),
    /// so nothing planned for that night is lost or put off by a day; a time the autumn change shows
    /// twice is its first showing (02:30 summer time), so nothing waits an extra hour.
    /// </summary>
    public DateTimeOffset InstantOf(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return FirstInstantShowingAtLeast(local);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>
    /// The first instant whose local time is <paramref name="local"/> or later: for a local time in a
    /// spring gap, the instant of the jump, whose local time is the end of the gap. Found by bisection
    /// over a window wider than any UTC offset (−12 h to +14 h), in which the local time only rises
    /// around a gap; exact to the tick, whatever the gap's length.
    /// </summary>
    private DateTimeOffset FirstInstantShowingAtLeast(DateTime local)
    {
        var asUtc = DateTime.SpecifyKind(local, DateTimeKind.Utc);
        long low = (asUtc - TimeSpan.FromHours(15)).Ticks, high = (asUtc + TimeSpan.FromHours(13)).Ticks;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var instant = new DateTimeOffset(middle, TimeSpan.Zero);
            if (TimeZoneInfo.ConvertTime(instant, zone).DateTime >= local)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return TimeZoneInfo.ConvertTime(new DateTimeOffset(low, TimeSpan.Zero), zone);
    }

    /// <summary>The instants that bound a calendar month in the gemeente: [first day 00:00, next month's first day 00:00).</summary>
    public (DateTimeOffset From, DateTimeOffset Until) MonthBounds(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return (StartOf(first), StartOf(first.AddMonths(1)));
    }
}
