using System.Net;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// A message on <c>meldingen-intake</c> that is not base64 (host.json <c>messageEncoding</c>) can
/// never be decoded: the DevHost parks it on <c>meldingen-intake-poison</c> at once, as it was, and
/// routes the meldingen received beside it.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class UndecodableMessageTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private const string PoisonQueueName = "meldingen-intake-poison";

    [Fact]
    public async Task A_message_that_is_not_base64_is_parked_at_once_and_the_meldingen_beside_it_are_routed()
    {
        // '!' is no base64 character; the id makes the message this test's own on a shared poison queue.
        var garbage = $"not base64! {Guid.NewGuid():N}";
        var intake = hub.RawQueues.GetQueueClient(QueueNames.MeldingenIntake);
        await intake.CreateIfNotExistsAsync();
        try
        {
            // Sent while the meldingen are being posted, so that the listener is likely to receive it in a batch with some of them.
            var posting = Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
                hub.PostMeldingAsync("school", Melding.SchoolPartner, Melding.School($"UNDECODABLE-{i}", Melding.NewBsn()))));
            var sent = await intake.SendMessageAsync(garbage);
            var answers = await posting;

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
            var meldingIds = await Task.WhenAll(answers.Select(async a =>
                JsonDocument.Parse(await a.Content.ReadAsStringAsync()).RootElement.GetProperty("meldingId").GetString()!));
            await Poll.UntilAsync(
                async () => await hub.ReceivedAsync("inbox-cjg") is var inbox && meldingIds.All(id => inbox.Any(m => m.Contains(id, StringComparison.Ordinal))),
                Deadline,
                "a referral in inbox-cjg for each of the 10 meldingen");
            await Poll.UntilAsync(async () => (await hub.PeekAsync(PoisonQueueName, raw: true)).Contains(garbage), Deadline, "the undecodable message, as it was, on meldingen-intake-poison");
            Assert.DoesNotContain(garbage, await hub.PeekAsync(QueueNames.MeldingenIntake, raw: true));
            Assert.DoesNotContain(hub.Logs.Lines, l => l.Contains($"message {sent.Value.MessageId},", StringComparison.Ordinal));
        }
        finally
        {
            // PoisonReplayTests read this queue too; this message is no business of theirs.
            await hub.DeleteRawAsync(PoisonQueueName, garbage);
        }
    }

    [Fact]
    public async Task A_message_that_is_no_melding_fails_without_its_text_in_any_log_line()
    {
        // Base64 (so the trigger hands it to routing) of text that is no JSON and names a child.
        var name = $"Jantje{Guid.NewGuid():N}"[..16];
        var text = $"{name} de Vries, geboren 2017-03-04";
        var intake = hub.Queues.GetQueueClient(QueueNames.MeldingenIntake);
        await intake.CreateIfNotExistsAsync();

        var sent = await intake.SendMessageAsync(text);
        bool IsItsFailure(string line) => line.Contains("Executed 'RouteMelding'", StringComparison.Ordinal) && line.Contains($"message {sent.Value.MessageId},", StringComparison.Ordinal) && line.Contains("Failed", StringComparison.Ordinal);

        await Poll.UntilAsync(() => Task.FromResult(hub.Logs.Lines.Any(IsItsFailure)), Deadline, "routing to fail on the message");
        Assert.DoesNotContain(hub.Logs.Lines, l => l.Contains(name[..6], StringComparison.Ordinal) || l.Contains("2017-03-04", StringComparison.Ordinal));

        // Where the JSON broke, not the reader's message (which quotes what it read: "'J' is an invalid start of a value").
        var failed = hub.Logs.Lines.Where(IsItsFailure).ToArray();
        Assert.NotEmpty(failed);
        Assert.All(failed, l => Assert.Contains("JsonException (at $, line 0, byte 0)", l));
        Assert.DoesNotContain(failed, l => l.Contains("invalid start", StringComparison.Ordinal));
        await Poll.UntilAsync(async () => (await hub.PeekAsync(PoisonQueueName)).Any(m => m.Contains(name, StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "the message parked after its retries");
        await hub.DeleteRawAsync(PoisonQueueName, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
