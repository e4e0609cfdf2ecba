using System.Globalization;

namespace FunctionsHub.Core.Digests;

/// <summary>The monthly aggregate for the gemeente. Skeleton: the number of meldingen received in the month.</summary>
public sealed record InstroomDigest(string Month, int MeldingCount, DateTimeOffset CompiledAt);

/// <summary>A calendar month in the gemeente's time zone, as the UTC instants that bound it.</summary>
public sealed record DigestMonth(string Month, DateTimeOffset From, DateTimeOffset Until)
{
    /// <summary>The month before the one <paramref name="now"/> falls in, in the gemeente.</summary>
    public static DigestMonth Previous(DateTimeOffset now, GemeenteCalendar calendar)
    {
        var previous = calendar.DateOf(now).AddMonths(-1);
        return Of(previous.Year, previous.Month, calendar);
    }

    public static DigestMonth Parse(string month, GemeenteCalendar calendar)
    {
        var first = DateOnly.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);
        return Of(first.Year, first.Month, calendar);
    }

    private static DigestMonth Of(int year, int month, GemeenteCalendar calendar)
    {
        var (from, until) = calendar.MonthBounds(year, month);
        return new DigestMonth(new DateOnly(year, month, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture), from, until);
    }
}
