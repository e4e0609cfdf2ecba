using System.Net;
using System.Text;
using Azure.Messaging.ServiceBus;
using FunctionsHub.Core.Routing;
using Samples.Provider;
using HubServiceBusInbox = FunctionsHub.Adapters.Inboxes.ServiceBusInbox;
using SampleServiceBusInbox = Samples.Provider.ServiceBusInbox;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The reader sample on the Service Bus transport, without a broker (there is no emulator here): the
/// messages are exactly what the hub's own <see cref="HubServiceBusInbox"/> hands to its sender, given to
/// the sample's reader as received messages, and the test sees how the reader settles each one
/// (complete, abandon, dead-letter). What this does not show: a real namespace's locks, duplicate
/// detection, delivery counts and dead-lettering, and the identity-based connection.
/// </summary>
public sealed class ClientSampleServiceBusTests
{
    private const string Secret = "whsec_c2FtcGxlLXByb3ZpZGVyLXRlc3Qtc2VjcmV0LTAwMDE=";

    private static readonly DateTimeOffset Created = DateTimeOffset.UtcNow.AddMinutes(-1);

    [Fact]
    public async Task Each_kind_is_handled_and_completed_a_resent_referral_dropped_and_an_unreadable_message_dead_lettered()
    {
        var hubSent = await SentByTheHubAsync(Referral("ref_a", ReferralKinds.Referral), Referral("ref_b", ReferralKinds.Signal), Notice("cwn_c", "ref_a"), Referral("ref_a", ReferralKinds.Referral));
        var receiver = new FakeReceiver([.. hubSent, Received("not json at all")]);
        var status = new StatusEndpoint(HttpStatusCode.Accepted);
        var cases = new RecordingCases();
        var log = new StringWriter();
        var reader = Reader(receiver, cases, status, log);

        var result = await reader.ReadOnceAsync();

        Assert.Equal(["ref_a", "ref_b", "cwn_c"], result.Handled.Select(m => m.Id));
        Assert.Equal(["ref_a"], result.Dropped);
        Assert.Single(result.Unreadable);
        Assert.Equal("Zorgen over dit kind.", Assert.Single(cases.Referrals).Content?.Description);
        Assert.Equal("ref_b", Assert.Single(cases.Signals).ReferralId);
        Assert.Equal(["ref_a"], Assert.Single(cases.Withdrawals).ReferralIds);
        Assert.Equal(4, receiver.Completed.Count);
        Assert.Empty(receiver.Abandoned);
        Assert.Equal(["not-json"], receiver.DeadLettered);

        // One status, for the full referral only, signed as the provider.
        var report = Assert.Single(status.Requests);
        Assert.Equal("/api/referrals/ref_a/status", report.Path);
        Assert.Equal("cjg", report.Provider);
        Assert.Equal(HubFixture.Sign(Secret, report.WebhookId, DateTimeOffset.FromUnixTimeSeconds(report.Timestamp), report.Body), report.Signature);
        Assert.Contains("\"status\":\"contacted\"", report.Body);
        Assert.DoesNotContain("111222333", log.ToString());
        Assert.DoesNotContain("Noor", log.ToString());
    }

    [Fact]
    public async Task A_failed_handling_or_status_report_abandons_the_message_and_its_redelivery_is_handled()
    {
        var sent = Assert.Single(await SentByTheHubAsync(Referral("ref_a", ReferralKinds.Referral)));
        var receiver = new FakeReceiver([sent, sent, sent]);
        var status = new StatusEndpoint(HttpStatusCode.InternalServerError);
        var cases = new RecordingCases { FailNext = new InvalidOperationException("case system down") };
        var reader = Reader(receiver, cases, status, new StringWriter());

        var down = await reader.ReadOnceAsync(max: 1);
        var hubFails = await reader.ReadOnceAsync(max: 1);
        status.Answer = HttpStatusCode.Accepted;
        var works = await reader.ReadOnceAsync(max: 1);

        Assert.Equal(["ref_a"], down.Failed);
        Assert.Equal(["ref_a"], hubFails.Failed);
        Assert.Equal(["ref_a"], works.Handled.Select(m => m.Id));
        Assert.Equal(2, receiver.Abandoned.Count);
        Assert.Single(receiver.Completed);
    }

    private static InboxReader Reader(FakeReceiver receiver, RecordingCases cases, StatusEndpoint status, StringWriter log) =>
        new(new SampleServiceBusInbox(receiver), new SeenSet(Path.Combine(Path.GetTempPath(), $"seen-sb-{Guid.NewGuid():N}.txt")), cases,
            new StatusReporter(new HttpClient(status), new Uri("http://hub.test/"), "cjg", Secret), log);

    /// <summary>The hub's Service Bus adapter sends the messages; each is turned into what a receiver gets.</summary>
    private static async Task<List<ServiceBusReceivedMessage>> SentByTheHubAsync(params object[] messages)
    {
        var client = new CapturingClient();
        var inbox = new HubServiceBusInbox(client);
        foreach (var message in messages)
        {
            await (message is ReferralMessage referral ? inbox.SendAsync(referral, default) : inbox.SendAsync((ConsentWithdrawnMessage)message, default));
        }

        Assert.All(client.Sender.Sent, m => Assert.Equal("inbox-cjg", client.Queue));
        return [.. client.Sender.Sent.Select(m => ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: m.Body, messageId: m.MessageId, subject: m.Subject, contentType: m.ContentType, properties: m.ApplicationProperties))];
    }

    private static ServiceBusReceivedMessage Received(string body) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: Guid.NewGuid().ToString("N"));

    private static ReferralMessage Referral(string referralId, string kind) => new()
    {
        ReferralId = referralId,
        MeldingId = "mld_0001",
        Kind = kind,
        Provider = "cjg",
        CreatedAt = Created,
        Feed = "school",
        Partner = new FunctionsHub.Core.PartnerRef(Melding.SchoolPartner, "OBS De Regenboog"),
        Referrer = new FunctionsHub.Core.Referrer("J. de Vries", "intern begeleider", "ib@school.example", "010-1234567"),
        Child = new ReferralChild("111222333", new DateOnly(2016, 5, 14), 9, "noord", "Noor", "Testkind"),
        ConsentBasis = kind == ReferralKinds.Referral ? ConsentBases.ParentalConsent : "none",
        Urgency = "normal",
        RespondBefore = Created.AddDays(5),
        Content = kind == ReferralKinds.Referral ? new FunctionsHub.Core.Routing.ReferralContent { Categories = ["school"], Description = "Zorgen over dit kind." } : null,
    };

    private static ConsentWithdrawnMessage Notice(string noticeId, string referralId) => new()
    {
        NoticeId = noticeId,
        Provider = "cjg",
        CreatedAt = Created,
        WithdrawnAt = Created,
        ReferralIds = [referralId],
    };

    private sealed class CapturingClient : ServiceBusClient
    {
        public CapturingSender Sender { get; } = new();

        public string? Queue { get; private set; }

        public override ServiceBusSender CreateSender(string queueOrTopicName)
        {
            Queue = queueOrTopicName;
            return Sender;
        }
    }

    private sealed class CapturingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>Hands out the given messages in order and records how each was settled.</summary>
    private sealed class FakeReceiver(IEnumerable<ServiceBusReceivedMessage> messages) : ServiceBusReceiver
    {
        private readonly Queue<ServiceBusReceivedMessage> _waiting = new(messages);

        public List<string> Completed { get; } = [];

        public List<string> Abandoned { get; } = [];

        public List<string> DeadLettered { get; } = [];

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
        {
            var batch = new List<ServiceBusReceivedMessage>();
            while (batch.Count < maxMessages && _waiting.TryDequeue(out var message))
            {
                batch.Add(message);
            }

            return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(batch);
        }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            Completed.Add(message.MessageId);
            return Task.CompletedTask;
        }

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
        {
            Abandoned.Add(message.MessageId);
            return Task.CompletedTask;
        }

        public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
        {
            DeadLettered.Add(deadLetterReason);
            return Task.CompletedTask;
        }
    }

    /// <summary>The hub's status endpoint as far as the reader can tell: records each request and answers with <see cref="Answer"/>.</summary>
    private sealed class StatusEndpoint(HttpStatusCode answer) : HttpMessageHandler
    {
        public HttpStatusCode Answer { get; set; } = answer;

        public List<(string Path, string Provider, string WebhookId, long Timestamp, string Signature, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Requests.Add((request.RequestUri!.AbsolutePath, Header(request, "X-Provider-Id"), Header(request, "webhook-id"),
                long.Parse(Header(request, "webhook-timestamp")), Header(request, "webhook-signature"), body));
            return new HttpResponseMessage(Answer) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        }

        private static string Header(HttpRequestMessage request, string name) => request.Headers.GetValues(name).Single();
    }
}
