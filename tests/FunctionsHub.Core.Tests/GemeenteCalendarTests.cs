namespace FunctionsHub.Core.Tests;

/// <summary>Calendar notions in the gemeente's time zone, whatever UTC says.</summary>
public sealed class GemeenteCalendarTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Half_past_midnight_on_the_first_belongs_to_the_new_month_though_UTC_is_still_in_the_old_one()
    {
        // 1 December 00:30 in Amsterdam (winter, +01:00) is 30 November 23:30 UTC.
        Assert.Equal("2026-12", Amsterdam.MonthOf(Utc(2026, 11, 30, 23, 30)));
        Assert.Equal(new DateOnly(2026, 12, 1), Amsterdam.DateOf(Utc(2026, 11, 30, 23, 30)));
    }

    [Fact]
    public void A_child_is_a_year_older_from_local_midnight_of_its_birthday()
    {
        var born = new DateOnly(2016, 6, 15);

        Assert.Equal(9, Amsterdam.AgeInYears(born, Utc(2026, 6, 14, 21, 59)));
        Assert.Equal(10, Amsterdam.AgeInYears(born, Utc(2026, 6, 14, 22, 0))); // 15 June 00:00 at +02:00
    }

    [Fact]
    public void A_month_is_bounded_by_local_midnights_also_across_a_change_of_summer_time()
    {
        var (from, until) = Amsterdam.MonthBounds(2026, 10);

        Assert.Equal(Utc(2026, 9, 30, 22, 0), from);   // +02:00
        Assert.Equal(Utc(2026, 10, 31, 23, 0), until); // +01:00 after 25 October
    }
}
