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

    [Fact]
    public void A_local_time_is_the_instant_the_gemeentes_clock_shows_it_in_winter_and_in_summer()
    {
        Assert.Equal(Utc(2026, 1, 15, 8, 0), Amsterdam.InstantOf(new DateOnly(2026, 1, 15), new TimeOnly(9, 0)));
        Assert.Equal(Utc(2026, 7, 15, 7, 0), Amsterdam.InstantOf(new DateOnly(2026, 7, 15), new TimeOnly(9, 0)));
    }

    [Fact]
    public void A_local_time_that_the_spring_change_skips_is_the_first_time_after_the_jump()
    {
        // 29 March 2026 02:00 +01:00 is followed by 03:00 +02:00: 02:00 to 02:59 never show.
        var instant = Amsterdam.InstantOf(new DateOnly(2026, 3, 29), new TimeOnly(2, 30));

        Assert.Equal(Utc(2026, 3, 29, 1, 0), instant);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), instant);
        Assert.Equal(instant, Amsterdam.InstantOf(new DateOnly(2026, 3, 29), new TimeOnly(2, 0)));
        Assert.Equal(Utc(2026, 3, 29, 0, 59), Amsterdam.InstantOf(new DateOnly(2026, 3, 29), new TimeOnly(1, 59)));
    }

    [Fact]
    public void A_local_time_that_the_autumn_change_shows_twice_is_its_first_showing()
    {
        // 25 October 2026 03:00 +02:00 is followed by 02:00 +01:00: 02:00 to 02:59 show twice.
        Assert.Equal(Utc(2026, 10, 25, 0, 30), Amsterdam.InstantOf(new DateOnly(2026, 10, 25), new TimeOnly(2, 30)));
        Assert.Equal(Utc(2026, 10, 25, 2, 0), Amsterdam.InstantOf(new DateOnly(2026, 10, 25), new TimeOnly(3, 0)));
    }
}
