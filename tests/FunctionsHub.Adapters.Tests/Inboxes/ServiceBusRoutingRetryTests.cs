using System.Security.Cryptography;
using Azure.Messaging.ServiceBus;
using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.UseCases;
using FunctionsHub.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FunctionsHub.Adapters.Tests.Inboxes;

/// <summary>
/// The real routing use case over the real tables on Azurite, sending through <see cref="ServiceBusInbox"/>
/// to a mocked Service Bus (none can run here) that fails once transiently. The queue trigger then runs
/// the same melding again; each provider must end up with one referral id, never a second one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusRoutingRetryTests(AzuriteFixture azurite)
{
    private const string Basta = "basta";
    private const string Pit = "pit";
    private const string PolicePartner = "politie-basisteam-voorbeeldstad";

    // Fixed: the tables below are this test's own, so no other test sees this child.
    private const string Bsn = "123456782";

    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 31, 0, TimeSpan.Zero);

    private readonly HubTables _tables = azurite.Tables();
    private readonly StorageQueues _queues = azurite.Queues();
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static readonly ReferralIds KeyedReferralIds = new(Key);

    private readonly ChildPseudonym _pseudonyms = new(Key);
    private readonly Mock<ServiceBusClient> _client = new();
    private readonly List<(string Queue, ServiceBusMessage Message)> _attempts = [];
    private readonly List<(string Queue, ServiceBusMessage Message)> _sent = [];

    /// <summary>Both providers get every police melding, Basta first: the decision keeps the rule's order.</summary>
    private static HubDocument Document() => new()
    {
        Partners = [new Partner(PolicePartner, Feeds.Police, "Politie basisteam Voorbeeldstad", null)],
        Providers = [new Provider(Basta, "BASTA!", "intervention", 48), new Provider(Pit, "PIT", "intervention", 48)],
        DefaultProvider = Basta,
        AcuteProvider = Basta,
        Routing = [new RoutingRule("police-to-both", [Basta, Pit], new RuleConditions { Feeds = [Feeds.Police] })],
    };

    private static Zorgmelding Melding() => new()
    {
        MeldingId = Identifiers.MeldingId(PolicePartner, Guid.NewGuid().ToString()),
        PartnerId = PolicePartner,
        Feed = Feeds.Police,
        ExternalId = "BVH-2026-0042",
        ReportedAt = Now.AddMinutes(-2),
        ReceivedAt = Now.AddMinutes(-1),
        Child = new Child(Bsn, new DateOnly(2016, 2, 29), "3021AB", "Sam", "de Vries"),
        AgeYears = 10,
        Wijk = "west",
        Referrer = new Referrer("Agent K. Bakker", "jeugdagent", null, "0900-8844"),
        Consent = new ConsentStatement("given", ["share-content"], "parent", Now.AddDays(-1)),
        Urgency = Urgencies.Normal,
        Description = "Winkeldiefstal.",
        Categories = ["delinquency"],
        Police = new PoliceDetails("shoplifting", "suspect", Now.AddDays(-3), "3021AB", "yellow"),
    };

    /// <summary>
    /// Senders for both inboxes that count every attempt across all queues and fail the given one
    /// (1-based) with a transient error, as a busy namespace would; only the others count as sent.
    /// </summary>
    private void ServiceBusFailingOnAttempt(int failing)
    {
        foreach (var queue in new[] { QueueNames.Inbox(Basta), QueueNames.Inbox(Pit) })
        {
            var sender = new Mock<ServiceBusSender>();
            sender
                .Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
                .Returns<ServiceBusMessage, CancellationToken>((message, _) =>
                {
                    _attempts.Add((queue, message));
                    if (_attempts.Count == failing)
                    {
                        // Faulted, not thrown: the real sender fails asynchronously.
                        return Task.FromException(new ServiceBusException(isTransient: true, "The service was busy.", queue, ServiceBusFailureReason.ServiceBusy));
                    }

                    _sent.Add((queue, message));
                    return Task.CompletedTask;
                });
            _client.Setup(c => c.CreateSender(queue)).Returns(sender.Object);
        }
    }

    /// <summary>One routing use case for all attempts, as the Functions host keeps one container.</summary>
    private MeldingRouting Routing() => new(
        new FixedHubDocument(Document()),
        _pseudonyms,
        new TableChildFiles(_tables),
        new TableAuditTrail(_tables),
        new TableInstroomLog(_tables),
        new ServiceBusInbox(_client.Object),
        new StorageQueueNotifications(_queues),
        new TableOnceLedger(_tables),
        new TableMatchFollowUps(_tables),
        KeyedReferralIds,
        new TableReferrerDirectory(_tables),
        new ReferrerKeys(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray()),
        TimeProvider.System,
        NullLogger<MeldingRouting>.Instance);

    /// <summary>Stores the record the way intake does before the melding reaches the routing queue.</summary>
    private async Task<Zorgmelding> ReceivedAsync()
    {
        var melding = Melding();
        Assert.Null(await new TableMeldingStore(_tables).TryAddAsync(MeldingRecord.From(melding, "fp", _pseudonyms.Of(Bsn)), CancellationToken.None));
        return melding;
    }

    private static string[] ReferralIds(Zorgmelding melding) =>
        [.. new[] { Basta, Pit }.Select(p => KeyedReferralIds.For(melding.MeldingId, p)).Order(StringComparer.Ordinal)];

    private IEnumerable<ServiceBusMessage> AttemptsTo(string provider) =>
        _attempts.Where(a => a.Queue == QueueNames.Inbox(provider)).Select(a => a.Message);

    private IEnumerable<ServiceBusMessage> SentTo(string provider) =>
        _sent.Where(s => s.Queue == QueueNames.Inbox(provider)).Select(s => s.Message);

    [Fact]
    public async Task A_retry_after_a_transient_failure_on_the_first_send_gives_each_provider_one_referral_id()
    {
        ServiceBusFailingOnAttempt(1);
        var routing = Routing();
        var melding = await ReceivedAsync();

        var failure = await Assert.ThrowsAsync<ServiceBusException>(() => routing.RouteAsync(melding, CancellationToken.None));
        Assert.True(failure.IsTransient);
        Assert.Empty(_sent);
        await routing.RouteAsync(melding, CancellationToken.None);

        Assert.Equal(ReferralIds(melding), _sent.Select(s => s.Message.MessageId).Distinct().Order(StringComparer.Ordinal));
        foreach (var provider in new[] { Basta, Pit })
        {
            var referralId = KeyedReferralIds.For(melding.MeldingId, provider);
            Assert.All(AttemptsTo(provider), message => Assert.Equal(referralId, message.MessageId));
            Assert.Equal(referralId, Assert.Single(SentTo(provider)).MessageId);
        }

        // The failed attempt was Basta's; its retry carried the id the broker would deduplicate on.
        Assert.Equal(2, AttemptsTo(Basta).Count());
        Assert.NotNull(await new TableInstroomLog(_tables).FindAsync(melding.MeldingId, melding.ReceivedAt, CancellationToken.None));

        var attempts = _attempts.Count;
        await routing.RouteAsync(melding, CancellationToken.None);
        Assert.Equal(attempts, _attempts.Count);
    }

    [Fact]
    public async Task A_retry_after_a_transient_failure_on_the_second_provider_does_not_send_the_first_again()
    {
        ServiceBusFailingOnAttempt(2);
        var routing = Routing();
        var melding = await ReceivedAsync();
        var bastaReferral = KeyedReferralIds.For(melding.MeldingId, Basta);
        var pitReferral = KeyedReferralIds.For(melding.MeldingId, Pit);

        await Assert.ThrowsAsync<ServiceBusException>(() => routing.RouteAsync(melding, CancellationToken.None));

        // The premise: Basta's referral went out, and the failed run recorded it, before Pit's send failed.
        Assert.Equal(QueueNames.Inbox(Basta), _attempts[0].Queue);
        var file = await new TableChildFiles(_tables).ReadAsync(_pseudonyms.Of(Bsn), CancellationToken.None);
        Assert.Equal([Basta], file.Find(melding.MeldingId)!.Send!.Sent.Keys);

        await routing.RouteAsync(melding, CancellationToken.None);

        Assert.Equal(bastaReferral, Assert.Single(AttemptsTo(Basta)).MessageId);
        Assert.Equal(bastaReferral, Assert.Single(SentTo(Basta)).MessageId);
        Assert.Equal(2, AttemptsTo(Pit).Count());
        Assert.All(AttemptsTo(Pit), message => Assert.Equal(pitReferral, message.MessageId));
        Assert.Equal(pitReferral, Assert.Single(SentTo(Pit)).MessageId);
        Assert.Equal(ReferralIds(melding), _sent.Select(s => s.Message.MessageId).Distinct().Order(StringComparer.Ordinal));
        var routed = await new TableInstroomLog(_tables).FindAsync(melding.MeldingId, melding.ReceivedAt, CancellationToken.None);
        Assert.All(routed!.Referrals, r => Assert.True(r.IsSent));
        Assert.Equal(ReferralIds(melding), routed.Referrals.Select(r => r.ReferralId).Order(StringComparer.Ordinal));

        var attempts = _attempts.Count;
        await routing.RouteAsync(melding, CancellationToken.None);
        Assert.Equal(attempts, _attempts.Count);
    }
}
