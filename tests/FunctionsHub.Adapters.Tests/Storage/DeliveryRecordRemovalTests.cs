using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core.Notifications;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// The retention purge removes a notification's delivery record with its copy in the gemeente's
/// listing: a record that needed attention must not stay listed after it is gone. No in-memory fake
/// of the delivery records exists, so this holds the table adapter to it on Azurite directly.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeliveryRecordRemovalTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, 250, TimeSpan.Zero);

    private readonly TableDeliveryRecords _records = new(azurite.Tables());

    private static DeliveryRecord Record(DeliveryState state) => new(
        $"ntf_{Guid.NewGuid():N}", NotificationTypes.MeldingRouted, new NotificationRecipient(RecipientKinds.Partner, "obs-de-regenboog"),
        state, 3, At, At.AddHours(24), 400, "http-400");

    private Task<IReadOnlyList<DeliveryRecord>> ListAsync(DeliveryState state) => _records.ListAsync(state, 100, CancellationToken.None);

    [Fact]
    public async Task A_failed_record_removed_is_found_no_more_nor_listed_and_the_others_stay()
    {
        var removed = Record(DeliveryState.Failed);
        var kept = Record(DeliveryState.Failed);
        await _records.SaveAsync(removed with { State = DeliveryState.Retrying, Attempts = 1 }, null, CancellationToken.None);
        await _records.SaveAsync(removed, DeliveryState.Retrying, CancellationToken.None);
        await _records.SaveAsync(kept, null, CancellationToken.None);
        Assert.Equal(
            new[] { removed.NotificationId, kept.NotificationId }.Order(StringComparer.Ordinal),
            (await ListAsync(DeliveryState.Failed)).Select(r => r.NotificationId).Order(StringComparer.Ordinal));

        await _records.RemoveAsync(removed.NotificationId, CancellationToken.None);

        Assert.Null(await _records.FindAsync(removed.NotificationId, CancellationToken.None));
        Assert.Equal([kept], await ListAsync(DeliveryState.Failed));
        Assert.Equal(kept, await _records.FindAsync(kept.NotificationId, CancellationToken.None));
    }

    [Fact]
    public async Task A_copy_left_in_the_listing_of_a_state_before_is_removed_too()
    {
        // A save that moved the record from gone to failed and was interrupted before it took the gone copy away.
        var record = Record(DeliveryState.Failed);
        await _records.SaveAsync(record with { State = DeliveryState.Gone }, null, CancellationToken.None);
        await _records.SaveAsync(record, previous: null, CancellationToken.None);
        Assert.Contains(await ListAsync(DeliveryState.Gone), r => r.NotificationId == record.NotificationId);

        await _records.RemoveAsync(record.NotificationId, CancellationToken.None);

        Assert.Null(await _records.FindAsync(record.NotificationId, CancellationToken.None));
        Assert.Empty(await ListAsync(DeliveryState.Failed));
        Assert.Empty(await ListAsync(DeliveryState.Gone));
    }

    [Fact]
    public async Task Removing_a_record_again_or_one_never_saved_is_no_error()
    {
        var record = Record(DeliveryState.Undeliverable);
        await _records.SaveAsync(record, null, CancellationToken.None);

        await _records.RemoveAsync(record.NotificationId, CancellationToken.None);
        await _records.RemoveAsync(record.NotificationId, CancellationToken.None);
        await _records.RemoveAsync($"ntf_{Guid.NewGuid():N}", CancellationToken.None);

        Assert.Null(await _records.FindAsync(record.NotificationId, CancellationToken.None));
        Assert.Empty(await ListAsync(DeliveryState.Undeliverable));
    }
}
