using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsHub.Core;

/// <summary>
/// A step of whole calendar units, read from an ISO 8601 period such as <c>P3M</c>, <c>P1Y</c>,
/// <c>P2W</c> or <c>P14D</c>. Months and years differ in length, so a <see cref="TimeSpan"/> (and
/// <c>XmlConvert.ToTimeSpan</c>) cannot hold them; the step is counted on the calendar instead.
/// Weeks are read as seven days, so <c>P2W</c> and <c>P14D</c> are the same period. The one parser of
/// periods in the hub: the document's validator and the campaign schedule both read through it.
/// </summary>
public readonly partial record struct CalendarPeriod
{
    /// <summary>Nothing past year 9999 can be a date, so no step can be longer.</summary>
    private const long MaxMonths = 9999L * 12;

    private static readonly long MaxDays = DateOnly.MaxValue.DayNumber;

    private CalendarPeriod(int years, int months, int days)
    {
        Years = years;
        Months = months;
        Days = days;
    }

    public int Years { get; }

    public int Months { get; }

    /// <summary>Days, weeks included (seven days each).</summary>
    public int Days { get; }

    /// <summary>Years and months together: a year is twelve months on every calendar date.</summary>
    public int TotalMonths => Years * 12 + Months;

    /// <summary>
    /// Reads <c>P[nY][nM][nW][nD]</c> in that order, whole numbers, at least one of them not zero.
    /// Times (<c>PT12H</c>), fractions and lowercase are refused: a campaign runs on calendar days.
    /// A period longer than the calendar (beyond year 9999) is refused too.
    /// </summary>
    public static bool TryParse(string? text, out CalendarPeriod period)
    {
        period = default;
        var match = Pattern().Match(text ?? "");
        if (!match.Success
            || !TryPart(match.Groups["years"], out var years)
            || !TryPart(match.Groups["months"], out var months)
            || !TryPart(match.Groups["weeks"], out var weeks)
            || !TryPart(match.Groups["days"], out var days))
        {
            return false;
        }

        var totalMonths = years * 12L + months;
        var totalDays = weeks * 7L + days;
        if ((totalMonths == 0 && totalDays == 0) || totalMonths > MaxMonths || totalDays > MaxDays)
        {
            return false;
        }

        period = new CalendarPeriod(years, months, (int)totalDays);
        return true;

        static bool TryPart(Group group, out int value)
        {
            value = 0;
            return !group.Success || int.TryParse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>The period of <paramref name="text"/>; a <see cref="FormatException"/> when <see cref="TryParse"/> refuses it.</summary>
    public static CalendarPeriod Parse(string text) =>
        TryParse(text, out var period)
            ? period
            : throw new FormatException($"'{text}' is not an ISO 8601 period of whole years, months, weeks or days.");

    /// <summary>
    /// <paramref name="anchor"/> plus <paramref name="times"/> of this period, counted from the anchor
    /// in one go: months first, clamped to the end of a shorter month, then days. Counting from the
    /// anchor keeps the day of the month: 31 January + 2 × P1M is 31 March, where stepping month by
    /// month would have lost the 31st in February. Null when the date lies beyond the calendar
    /// (<see cref="DateOnly.MaxValue"/>).
    /// </summary>
    public DateOnly? Times(DateOnly anchor, long times)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(times);

        var monthIndex = anchor.Year * 12L + anchor.Month - 1 + times * TotalMonths;
        if (monthIndex > DateOnly.MaxValue.Year * 12L + DateOnly.MaxValue.Month - 1)
        {
            return null;
        }

        var months = anchor.AddMonths((int)(times * TotalMonths));
        var dayNumber = months.DayNumber + times * Days;
        return dayNumber > DateOnly.MaxValue.DayNumber ? null : DateOnly.FromDayNumber((int)dayNumber);
    }

    /// <summary>The canonical ISO 8601 text: weeks written as days (<c>P2W</c> is <c>P14D</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder("P");
        Part(Years, 'Y');
        Part(Months, 'M');
        Part(Days, 'D');
        return text.ToString();

        void Part(int value, char unit)
        {
            if (value != 0)
            {
                text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^P(?:(?<years>[0-9]+)Y)?(?:(?<months>[0-9]+)M)?(?:(?<weeks>[0-9]+)W)?(?:(?<days>[0-9]+)D)?\z")]
    private static partial Regex Pattern();
}
