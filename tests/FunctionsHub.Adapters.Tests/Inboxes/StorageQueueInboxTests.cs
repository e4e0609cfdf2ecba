using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Inboxes;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueInboxTests(AzuriteFixture azurite)
{
    private readonly StorageQueueInbox _inbox = new(azurite.Queues());

    private static ReferralMessage Referral(string provider, string kind = ReferralKinds.Referral)
    {
        var meldingId = "mld_" + Guid.NewGuid().ToString("N");
        var createdAt = new DateTimeOffset(2026, 11, 2, 8, 31, 0, TimeSpan.Zero);
        return new ReferralMessage
        {
            ReferralId = TestReferralIds.For(meldingId, provider),
            MeldingId = meldingId,
            Kind = kind,
            Provider = provider,
            CreatedAt = createdAt,
            Feed = Feeds.Police,
            Partner = new PartnerRef("politie-basisteam-voorbeeldstad", "Politie basisteam Voorbeeldstad"),
            Referrer = new Referrer("Agent K. Bakker", "jeugdagent", null, "0900-8844"),
            Child = new ReferralChild("123456782", new DateOnly(2016, 2, 29), 10, "west", null, null),
            ConsentBasis = kind == ReferralKinds.Referral ? ConsentBases.ParentalConsent : ConsentBases.None,
            Urgency = Urgencies.Normal,
            RespondBefore = createdAt.AddHours(48),
            Content = kind == ReferralKinds.Referral ? new ReferralContent { Categories = ["delinquency"], Description = "Winkeldiefstal.", RiskLevel = "yellow" } : null,
        };
    }

    private async Task<string> ReadOneAsync(string provider, QueueMessageEncoding encoding)
    {
        var queue = azurite.Queue(QueueNames.Inbox(provider), encoding);
        var message = await Poll.ForAsync(
            async () => (await queue.PeekMessagesAsync(1)).Value.FirstOrDefault(),
            TimeSpan.FromSeconds(10),
            $"a message on {queue.Name}");
        return message.Body.ToString();
    }

    [Fact]
    public async Task A_referral_lands_on_the_providers_own_inbox_queue()
    {
        var provider = TestNames.Id("basta");

        await _inbox.SendAsync(Referral(provider), CancellationToken.None);

        var properties = await azurite.Queue($"inbox-{provider}", QueueMessageEncoding.Base64).GetPropertiesAsync();
        Assert.Equal(1, properties.Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_base64_reader_gets_the_referral_json_with_the_v1_schema()
    {
        var provider = TestNames.Id("basta");
        var sent = Referral(provider);

        await _inbox.SendAsync(sent, CancellationToken.None);

        using var json = JsonDocument.Parse(await ReadOneAsync(provider, QueueMessageEncoding.Base64));
        var root = json.RootElement;
        Assert.Equal("functionshub.referral.v1", root.GetProperty("schema").GetString());
        Assert.Equal(sent.ReferralId, root.GetProperty("referralId").GetString());
        Assert.Equal(sent.MeldingId, root.GetProperty("meldingId").GetString());
        Assert.Equal("referral", root.GetProperty("kind").GetString());
        Assert.Equal(provider, root.GetProperty("provider").GetString());
        Assert.Equal("123456782", root.GetProperty("child").GetProperty("bsn").GetString());
        Assert.Equal("parental-consent", root.GetProperty("consentBasis").GetString());
        Assert.Equal("delinquency", root.GetProperty("content").GetProperty("categories")[0].GetString());
    }

    [Fact]
    public async Task The_referral_read_back_deserialises_to_what_was_sent()
    {
        var provider = TestNames.Id("pit");
        var sent = Referral(provider);

        await _inbox.SendAsync(sent, CancellationToken.None);

        var received = JsonSerializer.Deserialize(await ReadOneAsync(provider, QueueMessageEncoding.Base64), HubJson.Default.ReferralMessage);
        Assert.NotNull(received);
        Assert.Equal(sent with { Content = received.Content }, received);
        Assert.Equal(sent.Content!.Categories, received.Content!.Categories);
    }

    [Fact]
    public async Task A_signal_arrives_without_content()
    {
        var provider = TestNames.Id("cjg");

        await _inbox.SendAsync(Referral(provider, ReferralKinds.Signal), CancellationToken.None);

        using var json = JsonDocument.Parse(await ReadOneAsync(provider, QueueMessageEncoding.Base64));
        Assert.Equal("signal", json.RootElement.GetProperty("kind").GetString());
        Assert.False(json.RootElement.TryGetProperty("content", out _));
    }

    [Fact]
    public async Task A_raw_reader_sees_base64_text_not_plain_json()
    {
        var provider = TestNames.Id("basta");
        var sent = Referral(provider);

        await _inbox.SendAsync(sent, CancellationToken.None);

        var raw = await ReadOneAsync(provider, QueueMessageEncoding.None);
        Assert.False(raw.TrimStart().StartsWith('{'), "The message text is plain JSON, which the queue trigger would poison.");
        using var decoded = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
        Assert.Equal(sent.ReferralId, decoded.RootElement.GetProperty("referralId").GetString());
    }

    [Fact]
    public async Task Referrals_for_two_providers_land_on_two_queues()
    {
        var basta = TestNames.Id("basta");
        var pit = TestNames.Id("pit");

        await _inbox.SendAsync(Referral(basta), CancellationToken.None);
        await _inbox.SendAsync(Referral(pit), CancellationToken.None);

        using var first = JsonDocument.Parse(await ReadOneAsync(basta, QueueMessageEncoding.Base64));
        using var second = JsonDocument.Parse(await ReadOneAsync(pit, QueueMessageEncoding.Base64));
        Assert.Equal(basta, first.RootElement.GetProperty("provider").GetString());
        Assert.Equal(pit, second.RootElement.GetProperty("provider").GetString());
    }
}
