using FunctionsHub.Core.Digests;

namespace FunctionsHub.Core.Tests.Digests;

public sealed class DigestMonthTests
{
    private static readonly GemeenteCalendar Calendar = GemeenteCalendar.Of("Europe/Amsterdam");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_month_in_winter_time_runs_from_local_midnight_to_local_midnight()
    {
        var november = DigestMonth.Parse("2026-11", Calendar);

        Assert.Equal("2026-11", november.Month);
        Assert.Equal(Utc(2026, 10, 31, 23), november.From);
        Assert.Equal(Utc(2026, 11, 30, 23), november.Until);
    }

    [Fact]
    public void A_month_in_summer_time_starts_at_local_midnight_on_summer_time()
    {
        var july = DigestMonth.Parse("2026-07", Calendar);

        Assert.Equal(Utc(2026, 6, 30, 22), july.From);
        Assert.Equal(Utc(2026, 7, 31, 22), july.Until);
    }

    [Fact]
    public void The_month_in_which_summer_time_starts_ends_an_hour_earlier_in_utc_than_it_started()
    {
        // Summer time begins on 29 March 2026.
        var march = DigestMonth.Parse("2026-03", Calendar);

        Assert.Equal(Utc(2026, 2, 28, 23), march.From);
        Assert.Equal(Utc(2026, 3, 31, 22), march.Until);
        Assert.Equal(TimeSpan.FromDays(31) - TimeSpan.FromHours(1), march.Until - march.From);
    }

    [Fact]
    public void The_month_in_which_summer_time_ends_lasts_an_hour_longer()
    {
        // Summer time ends on 25 October 2026.
        var october = DigestMonth.Parse("2026-10", Calendar);

        Assert.Equal(Utc(2026, 9, 30, 22), october.From);
        Assert.Equal(Utc(2026, 10, 31, 23), october.Until);
        Assert.Equal(TimeSpan.FromDays(31) + TimeSpan.FromHours(1), october.Until - october.From);
    }

    [Fact]
    public void Half_past_midnight_on_the_first_of_november_in_amsterdam_belongs_to_november()
    {
        var instant = new DateTimeOffset(2026, 11, 1, 0, 30, 0, TimeSpan.FromHours(1));
        Assert.Equal(Utc(2026, 10, 31, 23, 30), instant);

        var november = DigestMonth.Parse("2026-11", Calendar);
        var october = DigestMonth.Parse("2026-10", Calendar);

        Assert.True(instant >= november.From && instant < november.Until);
        Assert.False(instant >= october.From && instant < october.Until);
    }

    [Fact]
    public void Consecutive_months_meet_without_gap_or_overlap()
    {
        for (var month = 1; month <= 12; month++)
        {
            var current = DigestMonth.Parse($"2026-{month:00}", Calendar);
            var next = month == 12 ? DigestMonth.Parse("2027-01", Calendar) : DigestMonth.Parse($"2026-{month + 1:00}", Calendar);
            Assert.Equal(current.Until, next.From);
        }
    }

    [Fact]
    public void Previous_counts_the_month_in_the_gemeente_time_zone_not_in_utc()
    {
        // Still 31 October in UTC, already 1 November in Amsterdam: the previous month is October.
        var previous = DigestMonth.Previous(Utc(2026, 10, 31, 23, 30), Calendar);

        Assert.Equal(DigestMonth.Parse("2026-10", Calendar), previous);
    }

    [Fact]
    public void Previous_just_before_local_midnight_is_the_month_before()
    {
        // 23:30 on 31 October in Amsterdam: October is not over yet.
        var previous = DigestMonth.Previous(Utc(2026, 10, 31, 22, 30), Calendar);

        Assert.Equal("2026-09", previous.Month);
    }

    [Fact]
    public void Previous_in_january_is_december_of_the_year_before()
    {
        var previous = DigestMonth.Previous(Utc(2027, 1, 15, 12), Calendar);

        Assert.Equal("2026-12", previous.Month);
        Assert.Equal(Utc(2026, 11, 30, 23), previous.From);
        Assert.Equal(Utc(2026, 12, 31, 23), previous.Until);
    }

    [Fact]
    public void Previous_at_new_year_in_amsterdam_is_december_while_utc_is_still_in_december()
    {
        var previous = DigestMonth.Previous(Utc(2026, 12, 31, 23, 30), Calendar);

        Assert.Equal("2026-12", previous.Month);
    }

    [Fact]
    public void Another_time_zone_moves_the_boundaries()
    {
        var november = DigestMonth.Parse("2026-11", GemeenteCalendar.Of("America/New_York"));

        Assert.Equal(Utc(2026, 11, 1, 4), november.From);
        Assert.Equal(Utc(2026, 12, 1, 5), november.Until);
    }
}
