namespace FunctionsHub.Core.Tests.Campaigns;

/// <summary>The one reading of a campaign's <c>every</c>, and a period counted from its anchor.</summary>
public sealed class CalendarPeriodTests
{
    [Theory]
    [InlineData("P3M", 0, 3, 0)]
    [InlineData("P1Y", 1, 0, 0)]
    [InlineData("P2W", 0, 0, 14)]
    [InlineData("P14D", 0, 0, 14)]
    [InlineData("P1Y6M", 1, 6, 0)]
    [InlineData("P0Y1M", 0, 1, 0)]
    [InlineData("P1M1W2D", 0, 1, 9)]
    public void A_period_of_whole_calendar_units_is_read_with_weeks_as_days(string text, int years, int months, int days)
    {
        var period = CalendarPeriod.Parse(text);

        Assert.Equal((years, months, days), (period.Years, period.Months, period.Days));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("P0D")]
    [InlineData("P0Y0M0W0D")]
    [InlineData("PT12H")]
    [InlineData("P1DT1H")]
    [InlineData("P1.5M")]
    [InlineData("P-1M")]
    [InlineData("P1M1Y")]
    [InlineData("p3m")]
    [InlineData("P3M\n")]
    [InlineData("P99999999999D")]
    [InlineData("P10000Y")]
    [InlineData("P3652060D")]
    public void Anything_else_is_not_a_calendar_period(string? text)
    {
        Assert.False(CalendarPeriod.TryParse(text, out _));
    }

    [Fact]
    public void A_refused_period_is_a_format_error_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => CalendarPeriod.Parse("PT1H"));

        Assert.Contains("'PT1H'", error.Message);
    }

    [Theory]
    [InlineData("P2W", "P14D")]
    [InlineData("P0Y1M", "P1M")]
    [InlineData("P1Y6M", "P1Y6M")]
    public void The_text_of_a_period_is_its_canonical_form(string text, string canonical)
    {
        Assert.Equal(canonical, CalendarPeriod.Parse(text).ToString());
    }

    [Fact]
    public void Months_are_counted_from_the_anchor_so_the_day_of_the_month_comes_back()
    {
        var monthly = CalendarPeriod.Parse("P1M");
        var anchor = new DateOnly(2026, 1, 31);

        Assert.Equal(new DateOnly(2026, 2, 28), monthly.Times(anchor, 1));
        Assert.Equal(new DateOnly(2026, 3, 31), monthly.Times(anchor, 2));
        Assert.Equal(new DateOnly(2026, 3, 31), CalendarPeriod.Parse("P2M").Times(anchor, 1));
    }

    [Fact]
    public void Months_are_added_before_days()
    {
        // 30 January + 1 month is 28 February, + 1 day is 1 March; days first would give 28 February.
        Assert.Equal(new DateOnly(2026, 3, 1), CalendarPeriod.Parse("P1M1D").Times(new DateOnly(2026, 1, 30), 1));
    }

    [Fact]
    public void Zero_times_is_the_anchor_and_beyond_the_calendar_is_none()
    {
        var yearly = CalendarPeriod.Parse("P1Y");

        Assert.Equal(new DateOnly(2026, 9, 1), yearly.Times(new DateOnly(2026, 9, 1), 0));
        Assert.Equal(new DateOnly(9999, 9, 1), yearly.Times(new DateOnly(2026, 9, 1), 9999 - 2026));
        Assert.Null(yearly.Times(new DateOnly(2026, 9, 1), 9999 - 2025));
        Assert.Null(CalendarPeriod.Parse("P1D").Times(DateOnly.MaxValue, 1));
    }
}
