using System.Text.Json;
using Azure.Messaging.ServiceBus;
using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing.Contracts;
using Moq;

namespace FunctionsHub.Adapters.Tests.Inboxes;

/// <summary>
/// No Service Bus can run here, so the client and senders are mocked the way the SDK's own guide
/// does it (Sample15_MockingClientTypes): CreateSender returns a mock whose sends are captured.
/// </summary>
public sealed class ServiceBusInboxTests
{
    private const string Basta = "basta";
    private const string Pit = "pit";
    private const string PolicePartner = "politie-basisteam-voorbeeldstad";

    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 31, 0, TimeSpan.Zero);

    private readonly Mock<ServiceBusClient> _client = new();
    private readonly Dictionary<string, Mock<ServiceBusSender>> _senders = [];
    private readonly List<(string Queue, ServiceBusMessage Message)> _sent = [];

    private ServiceBusInbox Inbox() => new(_client.Object);

    /// <summary>Sets up <c>CreateSender(queue)</c> to hand out a mock that records what it is sent.</summary>
    private Mock<ServiceBusSender> SenderFor(string queue)
    {
        var sender = new Mock<ServiceBusSender>();
        sender
            .Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((message, _) => _sent.Add((queue, message)))
            .Returns(Task.CompletedTask);
        _client.Setup(c => c.CreateSender(queue)).Returns(sender.Object);
        _senders[queue] = sender;
        return sender;
    }

    private static HubDocument Document() => new()
    {
        Partners = [new Partner(PolicePartner, Feeds.Police, "Politie basisteam Voorbeeldstad", null)],
        Providers = [new Provider(Basta, "BASTA!", "intervention", 48), new Provider(Pit, "PIT", "intervention", 48)],
        DefaultProvider = Basta,
        AcuteProvider = Basta,
    };

    private static Zorgmelding Melding() => new()
    {
        MeldingId = Identifiers.MeldingId(PolicePartner, "msg_" + Guid.NewGuid().ToString("N")),
        PartnerId = PolicePartner,
        Feed = Feeds.Police,
        ExternalId = "BVH-2026-0042",
        ReportedAt = Now.AddMinutes(-2),
        ReceivedAt = Now.AddMinutes(-1),
        Child = new Child("123456782", new DateOnly(2016, 2, 29), "3021AB", "Sam", "de Vries"),
        AgeYears = 10,
        Wijk = "west",
        Referrer = new Referrer("Agent K. Bakker", "jeugdagent", null, "0900-8844"),
        Consent = new ConsentStatement("given", ["share-content"], "parent", Now.AddDays(-1)),
        Urgency = Urgencies.Normal,
        Description = "Winkeldiefstal.",
        Categories = ["delinquency"],
        Police = new PoliceDetails("shoplifting", "suspect", Now.AddDays(-3), "3021AB", "yellow"),
    };

    private static ReferralMessage Referral(string provider = Basta, string kind = ReferralKinds.Referral, Zorgmelding? melding = null)
    {
        var consentBasis = kind == ReferralKinds.Referral ? ConsentBases.ParentalConsent : ConsentBases.None;
        return ReferralMessage.Create(melding ?? Melding(), new ProviderDecision(provider, kind, consentBasis, ["police-offence"]), Document(), Now, TestReferralIds.Instance);
    }

    [Fact]
    public async Task A_referral_goes_to_the_providers_own_inbox_queue()
    {
        SenderFor("inbox-basta");

        await Inbox().SendAsync(Referral(Basta), CancellationToken.None);

        var (queue, _) = Assert.Single(_sent);
        Assert.Equal("inbox-basta", queue);
    }

    [Fact]
    public async Task A_referral_carries_its_ids_subject_and_content_type()
    {
        SenderFor("inbox-basta");
        var referral = Referral(Basta);

        await Inbox().SendAsync(referral, CancellationToken.None);

        var message = Assert.Single(_sent).Message;
        Assert.Equal(referral.ReferralId, message.MessageId);
        Assert.StartsWith("ref_", message.MessageId, StringComparison.Ordinal);
        Assert.Equal(referral.MeldingId, message.CorrelationId);
        Assert.Equal("referral", message.Subject);
        Assert.Equal("application/json", message.ContentType);
    }

    [Fact]
    public async Task A_referral_carries_the_content_free_application_properties()
    {
        SenderFor("inbox-basta");

        await Inbox().SendAsync(Referral(Basta), CancellationToken.None);

        var properties = Assert.Single(_sent).Message.ApplicationProperties;
        Assert.Equal("functionshub.referral.v1", properties["schema"]);
        Assert.Equal("basta", properties["provider"]);
        Assert.Equal("police", properties["feed"]);
        Assert.Equal("parental-consent", properties["consentBasis"]);
        Assert.Equal("normal", properties["urgency"]);
        Assert.Equal(5, properties.Count);
    }

    [Fact]
    public async Task The_body_deserialises_to_the_referral_that_was_sent()
    {
        SenderFor("inbox-basta");
        var referral = Referral(Basta);

        await Inbox().SendAsync(referral, CancellationToken.None);

        var received = JsonSerializer.Deserialize(Assert.Single(_sent).Message.Body.ToString(), HubJson.Default.ReferralMessage);
        Assert.NotNull(received);
        Assert.NotNull(received.Content);
        // Records compare lists by reference, so the content is compared field by field.
        Assert.Equal(referral with { Content = received.Content }, received);
        Assert.Equal(referral.Content!.Categories, received.Content.Categories);
        Assert.Equal(referral.Content.Description, received.Content.Description);
        Assert.Equal(referral.Content.Incident, received.Content.Incident);
    }

    [Fact]
    public async Task A_signal_arrives_without_content()
    {
        SenderFor("inbox-basta");

        await Inbox().SendAsync(Referral(Basta, ReferralKinds.Signal), CancellationToken.None);

        var message = Assert.Single(_sent).Message;
        Assert.Equal("signal", message.Subject);
        Assert.Equal("none", message.ApplicationProperties["consentBasis"]);
        using var json = JsonDocument.Parse(message.Body.ToString());
        Assert.False(json.RootElement.TryGetProperty("content", out _));
    }

    [Fact]
    public async Task One_sender_per_queue_is_reused_across_sends()
    {
        var basta = SenderFor("inbox-basta");
        var pit = SenderFor("inbox-pit");
        var inbox = Inbox();

        await inbox.SendAsync(Referral(Basta), CancellationToken.None);
        await inbox.SendAsync(Referral(Pit), CancellationToken.None);
        await inbox.SendAsync(Referral(Basta), CancellationToken.None);
        await inbox.SendAsync(Referral(Pit), CancellationToken.None);

        _client.Verify(c => c.CreateSender("inbox-basta"), Times.Once());
        _client.Verify(c => c.CreateSender("inbox-pit"), Times.Once());
        basta.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
        pit.Verify(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_consent_withdrawn_notice_names_the_referrals_not_the_child()
    {
        SenderFor("inbox-basta");
        var referral = Referral(Basta);
        var notice = new ConsentWithdrawnMessage
        {
            NoticeId = "ntc_" + Guid.NewGuid().ToString("N"),
            Provider = Basta,
            CreatedAt = Now,
            WithdrawnAt = Now.AddMinutes(-5),
            ReferralIds = [referral.ReferralId],
        };

        await Inbox().SendAsync(notice, CancellationToken.None);

        var (queue, message) = Assert.Single(_sent);
        Assert.Equal("inbox-basta", queue);
        Assert.Equal(notice.NoticeId, message.MessageId);
        Assert.Equal("consent-withdrawn", message.Subject);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal("functionshub.referral.v1", message.ApplicationProperties["schema"]);
        Assert.Equal("basta", message.ApplicationProperties["provider"]);
        var received = JsonSerializer.Deserialize(message.Body.ToString(), HubJson.Default.ConsentWithdrawnMessage);
        Assert.NotNull(received);
        Assert.Equal(referral.ReferralId, Assert.Single(received.ReferralIds));
        Assert.DoesNotContain("123456782", message.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_a_transient_failure_sends_the_same_referral_id()
    {
        var sender = SenderFor("inbox-basta");
        var attempts = new List<ServiceBusMessage>();
        sender
            .Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Returns<ServiceBusMessage, CancellationToken>((message, _) =>
            {
                attempts.Add(message);
                return attempts.Count == 1
                    ? throw new ServiceBusException(isTransient: true, "The service was busy.", "inbox-basta", ServiceBusFailureReason.ServiceBusy)
                    : Task.CompletedTask;
            });
        var inbox = Inbox();
        var melding = Melding();

        // The caller (the routing function, run again by the queue trigger) rebuilds the referral from the same melding.
        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => inbox.SendAsync(Referral(Basta, melding: melding), CancellationToken.None));
        Assert.True(failure.IsTransient);
        await inbox.SendAsync(Referral(Basta, melding: melding), CancellationToken.None);

        Assert.Equal(2, attempts.Count);
        var referralId = TestReferralIds.For(melding.MeldingId, Basta);
        Assert.All(attempts, message => Assert.Equal(referralId, message.MessageId));
        Assert.Single(attempts.Select(m => m.MessageId).Distinct());
        _client.Verify(c => c.CreateSender("inbox-basta"), Times.Once());
    }

    [Fact]
    public async Task Disposing_the_inbox_closes_its_senders_but_not_the_client()
    {
        var basta = SenderFor("inbox-basta");
        var inbox = Inbox();
        await inbox.SendAsync(Referral(Basta), CancellationToken.None);

        await inbox.DisposeAsync();

        basta.Verify(s => s.DisposeAsync(), Times.Once());
        _client.Verify(c => c.DisposeAsync(), Times.Never());
    }
}
