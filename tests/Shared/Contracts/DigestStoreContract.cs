using FunctionsHub.Core;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Testing.Contracts;

/// <summary>What every <see cref="IDigestStore"/> must do for the monthly instroom digest: the in-memory fake and the table adapter alike.</summary>
public abstract class DigestStoreContract
{
    private static readonly DateTimeOffset CompiledAt = new(2026, 12, 1, 1, 0, 0, 250, TimeSpan.FromHours(1));

    // Months of a year of its own per test, so the contract can run on one shared table.
    private readonly int _year = Random.Shared.Next(2100, 9999);

    protected abstract IDigestStore Store { get; }

    private string Month(int month) => $"{_year}-{month:00}";

    [Fact]
    public async Task A_saved_digest_is_found_by_its_month()
    {
        var digest = new InstroomDigest(Month(11), 37, CompiledAt);

        await Store.SaveAsync(digest, CancellationToken.None);

        Assert.Equal(digest, await Store.FindAsync(Month(11), CancellationToken.None));
    }

    [Fact]
    public async Task A_month_never_compiled_is_not_found()
    {
        await Store.SaveAsync(new InstroomDigest(Month(11), 37, CompiledAt), CancellationToken.None);

        Assert.Null(await Store.FindAsync(Month(10), CancellationToken.None));
    }

    [Fact]
    public async Task Saving_a_month_again_replaces_it()
    {
        await Store.SaveAsync(new InstroomDigest(Month(11), 37, CompiledAt), CancellationToken.None);
        var recompiled = new InstroomDigest(Month(11), 39, CompiledAt.AddDays(2));

        await Store.SaveAsync(recompiled, CancellationToken.None);

        Assert.Equal(recompiled, await Store.FindAsync(Month(11), CancellationToken.None));
    }

    [Fact]
    public async Task A_month_with_no_meldingen_is_stored_as_zero()
    {
        await Store.SaveAsync(new InstroomDigest(Month(1), 0, CompiledAt), CancellationToken.None);

        Assert.Equal(new InstroomDigest(Month(1), 0, CompiledAt), await Store.FindAsync(Month(1), CancellationToken.None));
    }
}
