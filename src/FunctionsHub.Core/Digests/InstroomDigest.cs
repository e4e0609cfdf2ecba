using System.Globalization;

namespace FunctionsHub.Core.Digests;

/// <summary>The monthly aggregate for the gemeente. Skeleton: the number of meldingen received in the month.</summary>
public sealed record InstroomDigest(string Month, int MeldingCount, DateTimeOffset CompiledAt);

/// <summary>A calendar month in the gemeente's time zone, as the UTC instants that bound it.</summary>
public sealed record DigestMonth(string Month, DateTimeOffset From, DateTimeOffset Until)
{
    public static DigestMonth Previous(DateTimeOffset now, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var previous = new DateTime(local.Year, local.Month, 1).AddMonths(-1);
        return Of(previous.Year, previous.Month, zone);
    }

    public static DigestMonth Parse(string month, string timeZone)
    {
        var first = DateTime.ParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture);
        return Of(first.Year, first.Month, TimeZoneInfo.FindSystemTimeZoneById(timeZone));
    }

    private static DigestMonth Of(int year, int month, TimeZoneInfo zone)
    {
        var start = new DateTime(year, month, 1);
        var end = start.AddMonths(1);
        return new DigestMonth(
            start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            new DateTimeOffset(start, zone.GetUtcOffset(start)),
            new DateTimeOffset(end, zone.GetUtcOffset(end)));
    }
}

/// <summary>Compiles the instroom digest of a month and stores it.</summary>
public sealed class DigestCompilation(Configuration.HubDocument document, IMeldingStore meldingen, IDigestStore digests, TimeProvider time)
{
    public Task<InstroomDigest> CompilePreviousMonthAsync(CancellationToken cancellationToken) =>
        CompileAsync(DigestMonth.Previous(time.GetUtcNow(), document.Gemeente.TimeZone), cancellationToken);

    public async Task<InstroomDigest> CompileAsync(DigestMonth month, CancellationToken cancellationToken)
    {
        var count = await meldingen.CountReceivedAsync(month.From, month.Until, cancellationToken);
        var digest = new InstroomDigest(month.Month, count, time.GetUtcNow());
        await digests.SaveAsync(digest, cancellationToken);
        return digest;
    }
}
