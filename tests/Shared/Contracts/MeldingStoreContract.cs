using FunctionsHub.Core;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Testing.Contracts;

/// <summary>What every <see cref="IMeldingStore"/> must do with a melding's state: the in-memory fake and the table adapter alike.</summary>
public abstract class MeldingStoreContract
{
    protected abstract IMeldingStore Store { get; }

    private async Task<string> StoredAsync(MeldingState state = MeldingState.Received)
    {
        var meldingId = Identifiers.MeldingId("contract-partner", $"msg_{Guid.NewGuid():N}");
        var record = new MeldingRecord
        {
            MeldingId = meldingId,
            PartnerId = "contract-partner",
            Feed = Feeds.School,
            BodyFingerprint = "fingerprint",
            ReceivedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
            ReportedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
            AgeYears = 9,
            Categories = ["wellbeing"],
            Urgency = "normal",
            ChildPseudonym = new string('c', 64),
            State = state,
        };
        Assert.Null(await Store.TryAddAsync(record, CancellationToken.None));
        return meldingId;
    }

    [Fact]
    public async Task A_state_moves_forward()
    {
        var meldingId = await StoredAsync();

        Assert.Equal(MeldingState.Accepted, await Store.MoveAsync(meldingId, MeldingState.Accepted, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_late_accepted_leaves_routed_as_it_is()
    {
        var meldingId = await StoredAsync();
        await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None);

        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Accepted, CancellationToken.None));
        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_failed_melding_replayed_by_an_operator_can_still_be_routed()
    {
        var meldingId = await StoredAsync(MeldingState.Failed);

        Assert.Equal(MeldingState.Routed, await Store.MoveAsync(meldingId, MeldingState.Routed, CancellationToken.None));
    }

    [Fact]
    public async Task Moving_one_melding_leaves_the_others_alone()
    {
        var one = await StoredAsync();
        var other = await StoredAsync();

        await Store.MoveAsync(one, MeldingState.Failed, CancellationToken.None);

        Assert.Equal(MeldingState.Received, (await Store.FindAsync(other, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Writers_racing_to_accept_and_to_route_end_routed()
    {
        var meldingId = await StoredAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.MoveAsync(meldingId, i % 2 == 0 ? MeldingState.Accepted : MeldingState.Routed, CancellationToken.None))));

        Assert.Equal(MeldingState.Routed, (await Store.FindAsync(meldingId, CancellationToken.None))!.State);
    }
}
