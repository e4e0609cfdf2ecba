using FunctionsHub.Core.Once;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IOnceLedger"/> must do, run against the in-memory fake (core tests) and the
/// table adapter on Azurite (adapter tests), so the fake the core is tested with cannot drift from
/// the real store.
/// </summary>
public abstract class OnceLedgerContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(25);
    private const string Scope = "contract";

    protected abstract IOnceLedger Ledger { get; }

    private static string NewKey() => $"key_{Guid.NewGuid():N}";

    [Fact]
    public async Task The_first_claim_holds_the_work_and_a_second_is_told_it_is_held()
    {
        var key = NewKey();

        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None)).State);
        Assert.Equal(ClaimState.Held, (await Ledger.TryClaimAsync(Scope, key, Now.AddSeconds(24), Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Work_whose_lease_ran_out_can_be_claimed_again()
    {
        var key = NewKey();
        await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None);

        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, key, Now + Lease + TimeSpan.FromSeconds(1), Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Completed_work_is_done_for_every_later_claim()
    {
        var key = NewKey();
        await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None);
        await Ledger.CompleteAsync(Scope, key, CancellationToken.None);

        Assert.Equal(ClaimState.Done, (await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None)).State);
        Assert.Equal(ClaimState.Done, (await Ledger.TryClaimAsync(Scope, key, Now.AddDays(1), Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Released_work_can_be_claimed_at_once()
    {
        var key = NewKey();
        var claim = await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None);
        await Ledger.ReleaseAsync(Scope, key, claim.Token, CancellationToken.None);

        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task A_late_release_does_not_undo_the_claim_of_the_run_that_took_over()
    {
        var key = NewKey();
        var stale = await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None);
        var later = Now + Lease + TimeSpan.FromSeconds(1);
        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, key, later, Lease, CancellationToken.None)).State);

        await Ledger.ReleaseAsync(Scope, key, stale.Token, CancellationToken.None);

        Assert.Equal(ClaimState.Held, (await Ledger.TryClaimAsync(Scope, key, later, Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task The_first_value_recorded_is_the_one_every_caller_gets()
    {
        var key = NewKey();

        Assert.Equal("body-1", await Ledger.RecordFirstAsync(Scope, key, "body-1", CancellationToken.None));
        Assert.Equal("body-1", await Ledger.RecordFirstAsync(Scope, key, "body-2", CancellationToken.None));
        Assert.Equal("body-1", await Ledger.RecordFirstAsync(Scope, key, "body-1", CancellationToken.None));
    }

    [Fact]
    public async Task Of_many_records_at_the_same_moment_all_get_the_same_first_value()
    {
        var key = NewKey();

        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Ledger.RecordFirstAsync(Scope, key, $"value-{i}", CancellationToken.None))));

        Assert.Single(values.Distinct());
    }

    [Fact]
    public async Task A_key_is_its_own_in_each_scope()
    {
        var key = NewKey();
        await Ledger.RecordFirstAsync("one-scope", key, "first", CancellationToken.None);

        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync("another-scope", key, Now, Lease, CancellationToken.None)).State);
        Assert.Equal("second", await Ledger.RecordFirstAsync("yet-another-scope", key, "second", CancellationToken.None));
    }

    [Fact]
    public async Task Forgotten_work_claimed_or_done_can_be_claimed_afresh()
    {
        var held = NewKey();
        var done = NewKey();
        await Ledger.TryClaimAsync(Scope, held, Now, Lease, CancellationToken.None);
        await Ledger.TryClaimAsync(Scope, done, Now, Lease, CancellationToken.None);
        await Ledger.CompleteAsync(Scope, done, CancellationToken.None);

        await Ledger.ForgetAsync(Scope, held, CancellationToken.None);
        await Ledger.ForgetAsync(Scope, done, CancellationToken.None);

        // Within the lease the first claim would still hold, and done work stays done: forgotten, neither does.
        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, held, Now.AddSeconds(1), Lease, CancellationToken.None)).State);
        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, done, Now.AddSeconds(1), Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task A_forgotten_value_is_recorded_afresh_and_the_same_key_in_another_scope_is_kept()
    {
        var key = NewKey();
        await Ledger.RecordFirstAsync(Scope, key, "first", CancellationToken.None);
        await Ledger.RecordFirstAsync("another-scope", key, "kept", CancellationToken.None);
        await Ledger.TryClaimAsync("a-third-scope", key, Now, Lease, CancellationToken.None);
        await Ledger.CompleteAsync("a-third-scope", key, CancellationToken.None);

        await Ledger.ForgetAsync(Scope, key, CancellationToken.None);

        Assert.Equal("second", await Ledger.RecordFirstAsync(Scope, key, "second", CancellationToken.None));
        Assert.Equal("kept", await Ledger.RecordFirstAsync("another-scope", key, "other", CancellationToken.None));
        Assert.Equal(ClaimState.Done, (await Ledger.TryClaimAsync("a-third-scope", key, Now, Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Forgetting_what_was_never_recorded_or_forgetting_twice_is_no_error()
    {
        var key = NewKey();
        await Ledger.ForgetAsync(Scope, key, CancellationToken.None);
        await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None);

        await Ledger.ForgetAsync(Scope, key, CancellationToken.None);
        await Ledger.ForgetAsync(Scope, key, CancellationToken.None);

        Assert.Equal(ClaimState.Claimed, (await Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Of_many_claims_at_the_same_moment_exactly_one_holds_the_work()
    {
        var key = NewKey();

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Ledger.TryClaimAsync(Scope, key, Now, Lease, CancellationToken.None))));

        Assert.Single(claims, c => c.State == ClaimState.Claimed);
        Assert.All(claims.Where(c => c.State != ClaimState.Claimed), c => Assert.Equal(ClaimState.Held, c.State));
    }
}
