using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// <c>meldingen-intake</c> has a fixed name and is shared by every test on this Azurite, so each
/// test finds its own message by its unique melding id.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueIntakeTests(AzuriteFixture azurite)
{
    private readonly StorageQueueIntake _intake = new(azurite.Queues());

    private static Zorgmelding Melding() => FunctionsHub.Testing.Contracts.QueueMessages.Melding();

    private static string? MeldingIdOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("meldingId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<PeekedMessage> FindAsync(QueueClient queue, Func<PeekedMessage, bool> isOurs) =>
        await Poll.ForAsync(
            async () => (await queue.PeekMessagesAsync(32)).Value.FirstOrDefault(isOurs),
            TimeSpan.FromSeconds(10),
            "our melding on meldingen-intake");

    [Fact]
    public async Task A_base64_reader_finds_the_melding_json_on_meldingen_intake()
    {
        var melding = Melding();

        await _intake.EnqueueAsync(melding, CancellationToken.None);

        var queue = azurite.Queue("meldingen-intake", QueueMessageEncoding.Base64);
        var message = await FindAsync(queue, m => MeldingIdOf(m.Body.ToString()) == melding.MeldingId);
        var received = JsonSerializer.Deserialize(message.Body.ToString(), HubJson.Default.Zorgmelding);
        Assert.NotNull(received);
        Assert.Equal(melding.PartnerId, received.PartnerId);
        Assert.Equal(melding.Child, received.Child);
        Assert.Equal(melding.ReportedAt, received.ReportedAt);
        Assert.Equal(melding.Categories, received.Categories);
        Assert.Equal(melding.Welfare!.Signals, received.Welfare?.Signals);
    }

    [Fact]
    public async Task A_raw_reader_sees_base64_text_not_plain_json()
    {
        var melding = Melding();

        await _intake.EnqueueAsync(melding, CancellationToken.None);

        var raw = azurite.Queue("meldingen-intake", QueueMessageEncoding.None);
        var message = await FindAsync(raw, m => MeldingIdOf(Decode(m.MessageText)) == melding.MeldingId || MeldingIdOf(m.MessageText) == melding.MeldingId);
        Assert.False(message.MessageText.TrimStart().StartsWith('{'), "The message text is plain JSON, which the queue trigger would poison.");
    }

    private static string Decode(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
