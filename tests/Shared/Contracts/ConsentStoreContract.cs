using FunctionsHub.Core;
using FunctionsHub.Core.Consent;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IConsentStore"/> must do for routing and consent recording: one record per
/// consent id per child, every field kept. The in-memory fake and the table adapter alike.
/// </summary>
public abstract class ConsentStoreContract
{
    private static readonly DateTimeOffset RecordedAt = new(2026, 11, 2, 9, 30, 0, 250, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 2, 8, 31, 5, 125, TimeSpan.Zero);

    protected abstract IConsentStore Store { get; }

    // A child of its own per test, so the contract can run on one shared table.
    private static string NewChild() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    private static ConsentRecord Given(string consentId = "cns_1") =>
        new(consentId, ConsentStatuses.Given, ["basta", "jeugdbescherming"], "parent", RecordedAt, "mld_1", ReceivedAt);

    // Scope is a list: compare it by its items, then the rest of the record as a record.
    private static void AssertSame(ConsentRecord expected, ConsentRecord actual)
    {
        Assert.Equal(expected.Scope, actual.Scope);
        Assert.Equal(expected with { Scope = actual.Scope }, actual);
    }

    [Fact]
    public async Task A_record_round_trips_every_field_and_its_scope_list()
    {
        var child = NewChild();
        var record = Given();

        await Store.RecordAsync(child, record, CancellationToken.None);

        AssertSame(record, Assert.Single(await Store.ForChildAsync(child, CancellationToken.None)));
    }

    [Fact]
    public async Task A_record_kept_before_the_hub_noted_receipt_round_trips_without_received_at_or_giver()
    {
        var child = NewChild();
        var record = Given() with { Scope = [ConsentRecord.AllProviders], GivenBy = null, ReceivedAt = null };

        await Store.RecordAsync(child, record, CancellationToken.None);

        AssertSame(record, Assert.Single(await Store.ForChildAsync(child, CancellationToken.None)));
    }

    [Fact]
    public async Task Recording_a_consent_id_again_keeps_one_record_holding_the_latest_statement()
    {
        var child = NewChild();
        await Store.RecordAsync(child, Given(), CancellationToken.None);
        await Store.RecordAsync(child, Given(), CancellationToken.None);
        var withdrawn = Given() with { Status = ConsentStatuses.Withdrawn, Scope = ["basta"], RecordedAt = RecordedAt.AddDays(1) };

        await Store.RecordAsync(child, withdrawn, CancellationToken.None);

        AssertSame(withdrawn, Assert.Single(await Store.ForChildAsync(child, CancellationToken.None)));
    }

    [Fact]
    public async Task Every_consent_id_of_a_child_is_listed()
    {
        var child = NewChild();
        await Store.RecordAsync(child, Given("cns_1"), CancellationToken.None);
        await Store.RecordAsync(child, Given("cns_2") with { Status = ConsentStatuses.Refused }, CancellationToken.None);

        var records = await Store.ForChildAsync(child, CancellationToken.None);

        Assert.Equal(["cns_1", "cns_2"], records.Select(r => r.ConsentId).Order());
    }

    [Fact]
    public async Task Records_are_kept_per_child_even_under_the_same_consent_id()
    {
        var child = NewChild();
        var other = NewChild();
        await Store.RecordAsync(child, Given(), CancellationToken.None);
        await Store.RecordAsync(other, Given() with { Status = ConsentStatuses.Refused }, CancellationToken.None);
        await Store.RecordAsync(other, Given("cns_2"), CancellationToken.None);

        AssertSame(Given(), Assert.Single(await Store.ForChildAsync(child, CancellationToken.None)));
        Assert.Equal(2, (await Store.ForChildAsync(other, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_child_without_statements_has_no_records()
    {
        Assert.Empty(await Store.ForChildAsync(NewChild(), CancellationToken.None));
    }
}
