using System.Text.Json;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Testing;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// The poison queue with a message on it that is not base64 among the hub's own: operators can list
/// it and replay it, and it goes back exactly as it was. Each test has a source queue of its own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonQueueTests(AzuriteFixture azurite)
{
    private readonly string _queue = TestNames.Id("intake");

    private PoisonQueue Poison() => new(azurite.Configuration, TimeProvider.System);

    [Fact]
    public async Task Listing_shows_a_message_that_is_not_base64_by_id_without_a_melding_id()
    {
        var parked = await ParkAsync();

        var listed = await Poison().ListAsync(_queue, CancellationToken.None);

        Assert.Equal(3, listed.Count);
        Assert.Null(Assert.Single(listed, m => m.MessageId == parked.GarbageId).MeldingId);
        Assert.NotNull(Assert.Single(listed, m => m.MessageId == parked.GarbageId).InsertedOn);
        Assert.Equal(parked.MeldingIds.Order(), listed.Where(m => m.MessageId != parked.GarbageId).Select(m => m.MeldingId!).Order());
    }

    [Fact]
    public async Task Replaying_all_puts_every_message_back_as_it_was_the_undecodable_one_too()
    {
        var parked = await ParkAsync();

        var replayed = await Poison().ReplayAllAsync(_queue, CancellationToken.None);

        Assert.Equal(3, replayed);
        Assert.Equal(parked.RawTexts.Order(), (await RawTextsAsync(_queue)).Order());
        Assert.Empty(await RawTextsAsync(QueueNames.Poison(_queue)));
    }

    [Fact]
    public async Task Replaying_the_undecodable_message_by_id_puts_it_back_as_it_was()
    {
        var parked = await ParkAsync();

        var replayed = await Poison().ReplayAsync(_queue, parked.GarbageId, CancellationToken.None);

        Assert.True(replayed);
        Assert.Equal([parked.Garbage], await RawTextsAsync(_queue));
        Assert.Equal(2, (await RawTextsAsync(QueueNames.Poison(_queue))).Count);
        Assert.False(await Poison().ReplayAsync(_queue, parked.GarbageId, CancellationToken.None));
    }

    /// <summary>Two intake messages as the hub writes them (base64 JSON) and one that is not base64, on the poison queue.</summary>
    private async Task<Parked> ParkAsync()
    {
        var encoded = azurite.Queue(QueueNames.Poison(_queue), QueueMessageEncoding.Base64);
        var raw = azurite.Queue(QueueNames.Poison(_queue), QueueMessageEncoding.None);
        await raw.CreateIfNotExistsAsync();
        await azurite.Queue(_queue, QueueMessageEncoding.None).CreateIfNotExistsAsync();

        var meldingIds = new[] { NewMeldingId(), NewMeldingId() };
        foreach (var meldingId in meldingIds)
        {
            await encoded.SendMessageAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new { meldingId })));
        }

        var garbage = $"not base64! {Guid.NewGuid():N}";
        var sent = await raw.SendMessageAsync(garbage);
        return new Parked(sent.Value.MessageId, garbage, meldingIds, await RawTextsAsync(QueueNames.Poison(_queue)));
    }

    private static string NewMeldingId() => Identifiers.MeldingId("obs-de-regenboog", $"msg_{Guid.NewGuid():N}");

    /// <summary>The texts on a queue exactly as stored, without decoding.</summary>
    private async Task<IReadOnlyList<string>> RawTextsAsync(string queue) =>
        (await azurite.Queue(queue, QueueMessageEncoding.None).PeekMessagesAsync(32)).Value.Select(m => m.MessageText).ToArray();

    private sealed record Parked(string GarbageId, string Garbage, IReadOnlyList<string> MeldingIds, IReadOnlyList<string> RawTexts);
}
