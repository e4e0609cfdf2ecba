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
    public DateTimeOffset StartOf(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The instants that bound a calendar month in the gemeente: [first day 00:00, next month's first day 00:00).</summary>
    public (DateTimeOffset From, DateTimeOffset Until) MonthBounds(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return (StartOf(first), StartOf(first.AddMonths(1)));
    }
}
