using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Adapters.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableDigestStoreTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset CompiledAt = new(2026, 12, 1, 1, 0, 0, 250, TimeSpan.Zero);

    private readonly TableDigestStore _store = new(azurite.Tables());

    [Fact]
    public async Task A_saved_digest_is_found_by_its_month()
    {
        var digest = new InstroomDigest("2026-11", 37, CompiledAt);

        await _store.SaveAsync(digest, CancellationToken.None);

        Assert.Equal(digest, await _store.FindAsync("2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task A_month_never_compiled_is_not_found()
    {
        await _store.SaveAsync(new InstroomDigest("2026-11", 37, CompiledAt), CancellationToken.None);

        Assert.Null(await _store.FindAsync("2026-10", CancellationToken.None));
    }

    [Fact]
    public async Task Saving_a_month_again_overwrites_it()
    {
        await _store.SaveAsync(new InstroomDigest("2026-11", 37, CompiledAt), CancellationToken.None);
        var recompiled = new InstroomDigest("2026-11", 39, CompiledAt.AddDays(2));

        await _store.SaveAsync(recompiled, CancellationToken.None);

        Assert.Equal(recompiled, await _store.FindAsync("2026-11", CancellationToken.None));
    }

    [Fact]
    public async Task A_month_with_no_meldingen_is_stored_as_zero()
    {
        await _store.SaveAsync(new InstroomDigest("2027-01", 0, CompiledAt), CancellationToken.None);

        Assert.Equal(0, (await _store.FindAsync("2027-01", CancellationToken.None))?.MeldingCount);
    }
}
