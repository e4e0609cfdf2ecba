using FunctionsHub.Core.Once;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IWatermarks"/> must do for the deadlines timer: remember how far the work
/// has got, move only forward, and keep the later instant when two runs advance it at once. The
/// in-memory fake and the table adapter alike.
/// </summary>
public abstract class WatermarksContract
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 15, 0, 123, TimeSpan.Zero);

    protected abstract IWatermarks Watermarks { get; }

    // A name of its own per test, so the contract can run on one shared table.
    private static string NewName() => $"work-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_watermark_never_advanced_is_not_found()
    {
        Assert.Null(await Watermarks.ReadAsync(NewName(), CancellationToken.None));
    }

    [Fact]
    public async Task An_advanced_watermark_is_read_back_to_the_tick_whatever_its_offset()
    {
        var name = NewName();
        var to = new DateTimeOffset(2026, 11, 2, 10, 15, 0, TimeSpan.FromHours(1)).AddTicks(1234567);

        await Watermarks.AdvanceAsync(name, to, CancellationToken.None);

        Assert.Equal(to, await Watermarks.ReadAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task A_watermark_moves_forward_and_never_back()
    {
        var name = NewName();
        await Watermarks.AdvanceAsync(name, At, CancellationToken.None);
        await Watermarks.AdvanceAsync(name, At.AddMinutes(15), CancellationToken.None);

        await Watermarks.AdvanceAsync(name, At.AddMinutes(5), CancellationToken.None);

        Assert.Equal(At.AddMinutes(15), await Watermarks.ReadAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task Watermarks_of_different_work_are_kept_apart()
    {
        var (first, second) = (NewName(), NewName());

        await Watermarks.AdvanceAsync(first, At, CancellationToken.None);

        Assert.Equal(At, await Watermarks.ReadAsync(first, CancellationToken.None));
        Assert.Null(await Watermarks.ReadAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task Of_runs_advancing_at_once_the_latest_instant_stays()
    {
        var name = NewName();
        var instants = Enumerable.Range(0, 8).Select(i => At.AddMinutes(i)).ToArray();

        await Task.WhenAll(instants.Reverse().Select(to => Task.Run(() => Watermarks.AdvanceAsync(name, to, CancellationToken.None))));

        Assert.Equal(instants[^1], await Watermarks.ReadAsync(name, CancellationToken.None));
    }
}
