using CsCheck;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.Tests.Campaigns;

/// <summary>When a campaign's occurrences fall, on the gemeente's clock, and which one the timer sends.</summary>
public sealed class CampaignScheduleTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateOnly Date(int year, int month, int day) => new(year, month, day);

    private static CampaignSchedule Schedule(string every, DateOnly startsOn, string? sendAt = null, DateOnly? endsOn = null) =>
        CampaignSchedule.Of(new Campaign { Id = "basta-info", Every = every, StartsOn = startsOn, SendAt = sendAt, EndsOn = endsOn }, Amsterdam);

    private static IEnumerable<DateOnly> Dates(CampaignSchedule schedule, int count) =>
        Enumerable.Range(0, count).Select(n => schedule.Occurrence(n)!.Date);

    [Fact]
    public void The_send_time_stays_nine_on_the_local_clock_across_the_last_Sunday_of_March()
    {
        var schedule = Schedule("P1D", Date(2026, 3, 28));

        Assert.Equal(Utc(2026, 3, 28, 8), schedule.Occurrence(0)!.SendAt); // 09:00 at +01:00
        Assert.Equal(Utc(2026, 3, 29, 7), schedule.Occurrence(1)!.SendAt); // 09:00 at +02:00, summer time from 02:00 that night
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.FromHours(2)), schedule.Occurrence(1)!.SendAt);
    }

    [Fact]
    public void The_send_time_stays_nine_on_the_local_clock_across_the_last_Sunday_of_October()
    {
        var schedule = Schedule("P1W", Date(2026, 10, 18));

        Assert.Equal(Utc(2026, 10, 18, 7), schedule.Occurrence(0)!.SendAt); // 09:00 at +02:00
        Assert.Equal(Utc(2026, 10, 25, 8), schedule.Occurrence(1)!.SendAt); // 09:00 at +01:00, winter time from 03:00 that night
    }

    [Fact]
    public void The_occurrence_on_the_day_summer_time_ends_is_due_at_nine_local_not_an_hour_early()
    {
        var schedule = Schedule("P1W", Date(2026, 10, 18));

        Assert.Equal(Date(2026, 10, 18), schedule.LatestDue(Utc(2026, 10, 25, 7, 59))!.Date); // 08:59 local
        Assert.Equal(Date(2026, 10, 25), schedule.LatestDue(Utc(2026, 10, 25, 8))!.Date);
    }

    [Fact]
    public void A_send_time_that_summer_time_skips_moves_to_the_first_time_the_clock_shows()
    {
        // 29 March 2026: the clock jumps from 02:00 to 03:00, so 02:30 does not happen; it is sent at 03:00.
        var schedule = Schedule("P1D", Date(2026, 3, 28), sendAt: "02:30");

        Assert.Equal(new DateTimeOffset(2026, 3, 28, 2, 30, 0, TimeSpan.FromHours(1)), schedule.Occurrence(0)!.SendAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), schedule.Occurrence(1)!.SendAt);
        Assert.Equal(Utc(2026, 3, 29, 1), schedule.Occurrence(1)!.SendAt);
        Assert.Equal("2026-03-29", schedule.Occurrence(1)!.Id); // still the day it was planned for
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 2, 30, 0, TimeSpan.FromHours(2)), schedule.Occurrence(2)!.SendAt);
    }

    [Fact]
    public void A_send_time_the_clock_shows_twice_in_October_is_its_first_showing()
    {
        // 25 October 2026: 02:00-03:00 happens in summer time (+02:00) and again in winter time (+01:00).
        var schedule = Schedule("P1D", Date(2026, 10, 25), sendAt: "02:30");

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), schedule.Occurrence(0)!.SendAt);
        Assert.Null(schedule.LatestDue(Utc(2026, 10, 25, 0, 29)));
        Assert.Equal("2026-10-25", schedule.LatestDue(Utc(2026, 10, 25, 0, 30))!.Id);
    }

    [Fact]
    public void Monthly_from_the_31st_falls_on_each_months_last_day_and_returns_to_the_31st()
    {
        var schedule = Schedule("P1M", Date(2026, 1, 31));

        Assert.Equal(
            [Date(2026, 1, 31), Date(2026, 2, 28), Date(2026, 3, 31), Date(2026, 4, 30), Date(2026, 5, 31), Date(2026, 6, 30)],
            Dates(schedule, 6));
    }

    [Fact]
    public void Monthly_from_the_31st_of_January_of_a_leap_year_falls_on_the_29th_of_February()
    {
        var schedule = Schedule("P1M", Date(2028, 1, 31));

        Assert.Equal([Date(2028, 1, 31), Date(2028, 2, 29), Date(2028, 3, 31)], Dates(schedule, 3));
    }

    [Fact]
    public void Every_three_months_from_the_30th_of_November_falls_on_the_last_day_of_February_only_when_shorter()
    {
        var schedule = Schedule("P3M", Date(2027, 11, 30));

        Assert.Equal([Date(2027, 11, 30), Date(2028, 2, 29), Date(2028, 5, 30), Date(2028, 8, 30)], Dates(schedule, 4));
    }

    [Fact]
    public void Yearly_from_the_29th_of_February_falls_on_the_28th_until_the_next_leap_year()
    {
        var schedule = Schedule("P1Y", Date(2028, 2, 29));

        Assert.Equal([Date(2028, 2, 29), Date(2029, 2, 28), Date(2030, 2, 28), Date(2031, 2, 28), Date(2032, 2, 29)], Dates(schedule, 5));
    }

    [Fact]
    public void Every_two_weeks_falls_on_the_same_weekday()
    {
        var schedule = Schedule("P2W", Date(2026, 9, 7)); // a Monday

        var dates = Dates(schedule, 30).ToArray();

        Assert.Equal([Date(2026, 9, 7), Date(2026, 9, 21), Date(2026, 10, 5)], dates[..3]);
        Assert.All(dates, d => Assert.Equal(DayOfWeek.Monday, d.DayOfWeek));
        Assert.Equal(schedule.Occurrence(29), Schedule("P14D", Date(2026, 9, 7)).Occurrence(29));
    }

    [Fact]
    public void Nothing_is_due_before_the_first_occurrence()
    {
        var schedule = Schedule("P3M", Date(2026, 9, 1));

        Assert.Null(schedule.LatestDue(Utc(2026, 8, 1, 12)));
        Assert.Null(schedule.LatestDue(Utc(2026, 9, 1, 6, 59))); // 08:59 local on the first day
        Assert.Equal(schedule.Occurrence(0), schedule.Next(Utc(2026, 8, 1, 12)));
        Assert.Equal(Utc(2026, 9, 1, 7), schedule.Next(Utc(2026, 9, 1, 6, 59))!.SendAt);
    }

    [Fact]
    public void An_occurrence_is_due_from_its_send_instant_on()
    {
        var schedule = Schedule("P3M", Date(2026, 9, 1));

        var first = schedule.LatestDue(Utc(2026, 9, 1, 7));

        Assert.Equal(new CampaignOccurrence(0, Date(2026, 9, 1), Utc(2026, 9, 1, 7)), first);
        Assert.Equal(Date(2026, 12, 1), schedule.Next(Utc(2026, 9, 1, 7))!.Date);
    }

    [Fact]
    public void After_downtime_of_three_periods_only_the_latest_missed_occurrence_is_due()
    {
        var schedule = Schedule("P1M", Date(2026, 1, 15));

        // Down from 10 February to 20 May: 15 February, March, April and May were missed.
        var due = schedule.LatestDue(Utc(2026, 5, 20, 12));

        Assert.Equal(Date(2026, 5, 15), due!.Date);
        Assert.Equal(4, due.Index);
        Assert.Equal(Date(2026, 6, 15), schedule.Next(Utc(2026, 5, 20, 12))!.Date);
    }

    [Fact]
    public void A_daily_campaign_that_started_years_ago_answers_the_latest_occurrence_not_the_first()
    {
        var schedule = Schedule("P1D", Date(2001, 1, 1));
        var now = Utc(2026, 11, 4, 10); // 11:00 local

        var due = schedule.LatestDue(now);

        Assert.Equal(Date(2026, 11, 4), due!.Date);
        Assert.Equal(Date(2026, 11, 4).DayNumber - Date(2001, 1, 1).DayNumber, due.Index);
        Assert.Equal(Date(2026, 11, 5), schedule.Next(now)!.Date);
        Assert.Equal(Date(2026, 11, 3), schedule.LatestDue(Utc(2026, 11, 4, 7, 59))!.Date); // 08:59 local: today's is not due yet
    }

    [Fact]
    public void No_occurrence_falls_after_the_end_but_one_on_the_end_date_counts()
    {
        var schedule = Schedule("P1M", Date(2026, 9, 1), endsOn: Date(2026, 12, 1));

        Assert.Equal(Date(2026, 12, 1), schedule.Occurrence(3)!.Date);
        Assert.Null(schedule.Occurrence(4));
        Assert.Equal(Date(2026, 12, 1), schedule.Next(Utc(2026, 11, 20, 12))!.Date);
        Assert.Null(schedule.Next(Utc(2026, 12, 1, 8)));
    }

    [Fact]
    public void Long_after_the_end_the_last_occurrence_stays_the_latest_due()
    {
        var schedule = Schedule("P1M", Date(2026, 9, 1), endsOn: Date(2026, 12, 15));

        var due = schedule.LatestDue(Utc(2028, 3, 1, 12));

        Assert.Equal(Date(2026, 12, 1), due!.Date);
        Assert.Null(schedule.Next(Utc(2028, 3, 1, 12)));
    }

    [Fact]
    public void An_occurrence_is_named_by_its_local_date()
    {
        // 1 December 2026 00:30 local is still 30 November in UTC.
        var schedule = Schedule("P1M", Date(2026, 9, 1), sendAt: "00:30");

        var due = schedule.LatestDue(Utc(2026, 11, 30, 23, 30));

        Assert.Equal("2026-12-01", due!.Id);
        Assert.Equal(Utc(2026, 11, 30, 23, 30), due.SendAt);
    }

    [Fact]
    public void Without_sendAt_a_campaign_is_sent_at_nine()
    {
        Assert.Equal(new TimeOnly(9, 0), Schedule("P3M", Date(2026, 9, 1)).SendAt);
        Assert.Equal(new TimeOnly(16, 45), Schedule("P3M", Date(2026, 9, 1), sendAt: "16:45").SendAt);
    }

    [Fact]
    public void A_campaign_the_validator_refuses_cannot_be_scheduled()
    {
        var error = Assert.Throws<ArgumentException>(() => Schedule("P3M", Date(2026, 9, 1), sendAt: "9 uur"));

        Assert.Contains("sendAt '9 uur'", error.Message);
        Assert.Throws<ArgumentException>(() => Schedule("P0D", Date(2026, 9, 1)));
    }

    [Fact]
    public void An_occurrence_past_the_last_date_of_the_calendar_is_none()
    {
        var schedule = Schedule("P1Y", Date(9998, 6, 1));

        Assert.Equal(Date(9999, 6, 1), schedule.Occurrence(1)!.Date);
        Assert.Null(schedule.Occurrence(2));
        Assert.Null(schedule.Next(Utc(9999, 6, 2, 0)));
        Assert.Equal(Date(9999, 6, 1), schedule.LatestDue(Utc(9999, 12, 31, 12))!.Date);
    }

    private static readonly string[] Periods = ["P1D", "P2D", "P1W", "P2W", "P10D", "P1M", "P2M", "P3M", "P6M", "P1Y", "P1Y1M", "P1M3D"];

    [Fact]
    public void The_latest_due_and_the_next_are_what_counting_from_the_start_finds_for_every_campaign_and_moment()
    {
        var gen =
            from every in Gen.OneOf(Periods)
            from startsOn in Gen.Int[Date(2020, 1, 1).DayNumber, Date(2028, 12, 31).DayNumber].Select(DateOnly.FromDayNumber)
            from endsAfter in Gen.Int[-1, 900]
            from sendAt in Gen.OneOf("00:00", "00:30", "02:00", "02:30", "09:00", "23:59")
            from nowSeconds in Gen.Long[Utc(2019, 6, 1, 0).ToUnixTimeSeconds(), Utc(2030, 1, 1, 0).ToUnixTimeSeconds()]
            select (every, startsOn, EndsOn: endsAfter < 0 ? (DateOnly?)null : startsOn.AddDays(endsAfter), sendAt, Now: DateTimeOffset.FromUnixTimeSeconds(nowSeconds));

        gen.Sample(c =>
        {
            var schedule = Schedule(c.every, c.startsOn, c.sendAt, c.EndsOn);
            CampaignOccurrence? latest = null, next = null;
            for (var n = 0; schedule.Occurrence(n) is { } occurrence; n++)
            {
                if (occurrence.SendAt > c.Now)
                {
                    next = occurrence;
                    break;
                }

                latest = occurrence;
            }

            Assert.Equal(latest, schedule.LatestDue(c.Now));
            Assert.Equal(next, schedule.Next(c.Now));
        }, iter: 1000, threads: 1);
    }

    [Fact]
    public void Counting_from_the_start_gives_each_date_once_and_in_order()
    {
        foreach (var every in Periods)
        {
            var dates = Dates(Schedule(every, Date(2027, 1, 31)), 400).ToArray();

            Assert.True(dates.Zip(dates.Skip(1)).All(p => p.First < p.Second), $"{every}: dates do not rise");
        }
    }
}
