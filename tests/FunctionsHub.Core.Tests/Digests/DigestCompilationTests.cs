using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsHub.Core.Tests.Digests;

public sealed class DigestCompilationTests
{
    private readonly FaultyInstroomLog _instroom = new(new FaultPlan());
    private readonly InMemoryDigestStore _digests = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.FromHours(1)));

    private DigestCompilation Compilation() => new(new FunctionsHub.Core.Configuration.FixedHubDocument(TestHub.Demo()), _instroom, _digests, _time);

    private void Received(int year, int month, int day, int hour, int minute = 0)
    {
        var at = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero);
        _instroom.RecordAsync(new RoutedMelding($"mld_{at:yyyyMMddHHmm}_{_instroom.Routed.Count}", TestHub.SchoolPartner, Feeds.School, at, 9, null,
            ["wellbeing"], Urgencies.Normal, null, Matched: false, at.AddSeconds(1), []), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task The_previous_month_in_the_gemeente_time_zone_is_compiled()
    {
        Received(2026, 10, 31, 22, 59); // 23:59 on 31 October in Amsterdam
        Received(2026, 10, 31, 23, 0); // local midnight, 1 November
        Received(2026, 11, 15, 12);
        Received(2026, 11, 30, 22, 59); // 23:59 on 30 November
        Received(2026, 11, 30, 23, 0); // local midnight, 1 December

        var digest = await Compilation().CompilePreviousMonthAsync(CancellationToken.None);

        Assert.Equal("2026-11", digest.Month);
        Assert.Equal(3, digest.MeldingCount);
    }

    [Fact]
    public async Task The_compiled_digest_is_stored_under_its_month()
    {
        Received(2026, 11, 15, 12);
        Received(2026, 11, 16, 12);

        var digest = await Compilation().CompilePreviousMonthAsync(CancellationToken.None);

        Assert.Equal(digest, await _digests.FindAsync("2026-11", CancellationToken.None));
        Assert.Equal(2, digest.MeldingCount);
    }

    [Fact]
    public async Task The_digest_records_when_it_was_compiled()
    {
        var digest = await Compilation().CompilePreviousMonthAsync(CancellationToken.None);

        Assert.Equal(_time.GetUtcNow(), digest.CompiledAt);
    }

    [Fact]
    public async Task An_empty_month_is_compiled_as_zero()
    {
        Received(2026, 12, 1, 0, 30);

        var digest = await Compilation().CompilePreviousMonthAsync(CancellationToken.None);

        Assert.Equal(0, digest.MeldingCount);
    }

    [Fact]
    public async Task Recompiling_a_month_replaces_the_stored_digest()
    {
        Received(2026, 11, 15, 12);
        await Compilation().CompilePreviousMonthAsync(CancellationToken.None);
        Received(2026, 11, 16, 12);
        _time.Advance(TimeSpan.FromHours(1));

        await Compilation().CompileAsync(DigestMonth.Parse("2026-11", GemeenteCalendar.Of("Europe/Amsterdam")), CancellationToken.None);

        var stored = await _digests.FindAsync("2026-11", CancellationToken.None);
        Assert.Equal(2, stored?.MeldingCount);
        Assert.Equal(_time.GetUtcNow(), stored?.CompiledAt);
    }

    [Fact]
    public async Task In_january_the_december_of_the_year_before_is_compiled()
    {
        _time.SetUtcNow(new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero));
        Received(2026, 12, 31, 22, 59);

        var digest = await Compilation().CompilePreviousMonthAsync(CancellationToken.None);

        Assert.Equal(("2026-12", 1), (digest.Month, digest.MeldingCount));
    }
}
