using System.Net;
using System.Text.Json;
using FunctionsHub.Testing;
using Samples.Partner;
using Samples.Provider;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The client samples (samples/clients) against the hub, as integrators run them: the partner's client
/// posts and reads its melding, the provider's reader takes it from its storage queue, reports back, drops
/// a repeat and hears of a withdrawal. Only the storage-queue transport runs here (there is no Service Bus
/// emulator); the reader's Service Bus settling is checked in <see cref="ClientSampleServiceBusTests"/>.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ClientSampleTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_partner_sample_posts_and_the_provider_sample_reads_reports_drops_a_repeat_and_hears_of_a_withdrawal()
    {
        // Other tests' referrals still in inbox-cjg go to the fixture's store first, so the reader sees this test's messages.
        await hub.ReceivedAsync("inbox-cjg");
        var hubUrl = new Uri(hub.Url + "/");
        var bsn = Melding.NewBsn();
        const string Description = "Zorgen die in geen enkele logregel mogen staan.";

        // 1. The partner posts; the hub's first answer is lost on the way back, so the client retries with the same webhook-id.
        var losing = new LoseFirstAnswer { InnerHandler = new HttpClientHandler() };
        using var partnerHttp = new HttpClient(losing);
        var partner = new MeldingClient(partnerHttp, hubUrl, Melding.SchoolPartner, hub.SecretOf(Melding.SchoolPartner),
            new MeldingClientOptions(TimeSpan.FromSeconds(10), [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)]));
        var posted = await partner.PostMeldingAsync("school", Melding.School($"SAMPLE-{Guid.NewGuid():N}", bsn, Description));

        Assert.Equal(HttpStatusCode.Accepted, posted.Status);
        Assert.Equal(2, posted.Attempts);
        Assert.Equal([posted.WebhookId, posted.WebhookId], losing.WebhookIds);
        var meldingId = posted.MeldingId!;
        Assert.Equal($"/api/meldingen/{meldingId}", posted.Location?.ToString());

        // 2. The partner follows the Location with a signed GET until the melding is routed: one referral, to cjg.
        var routed = await Poll.ForAsync(async () => await partner.ReadStatusAsync(posted.Location!) is { State: "routed" } s ? s : null, Deadline, "the melding routed, read by the partner sample");
        var toCjg = Assert.Single(routed.Providers);
        Assert.Equal(("cjg", "referral"), (toCjg.Provider, toCjg.Kind));
        var referralId = hub.ReferralIds.For(meldingId, "cjg");
        var sent = Assert.Single(await hub.PeekAsync("inbox-cjg"), m => m.Contains(referralId, StringComparison.Ordinal));

        // 3. cjg's reader on its storage queue: the full referral reaches the case system, contacted goes back, the message is gone.
        var seenFile = Path.Combine(Path.GetTempPath(), $"seen-cjg-{Guid.NewGuid():N}.txt");
        var log = new StringWriter();
        var cases = new RecordingCases();
        using var providerHttp = new HttpClient();
        var reader = new InboxReader(
            StorageQueueInbox.Connect(hub.Configuration["AzureWebJobsStorage"]!, "cjg"),
            new SeenSet(seenFile),
            cases,
            new StatusReporter(providerHttp, hubUrl, "cjg", hub.SecretOf("cjg")),
            log);

        var first = await reader.ReadOnceAsync();

        var referral = Assert.IsType<Referral>(Assert.Single(first.Handled));
        Assert.Equal(referralId, referral.ReferralId);
        Assert.Same(referral, Assert.Single(cases.Referrals));
        Assert.Equal(bsn, referral.Child.Bsn);
        Assert.Equal(Description, referral.Content?.Description);
        Assert.Equal("parental-consent", referral.ConsentBasis);
        Assert.DoesNotContain(await hub.PeekAsync("inbox-cjg"), m => m.Contains(referralId, StringComparison.Ordinal));
        var status = await partner.ReadStatusAsync(posted.Location!);
        Assert.Equal("contacted", Assert.Single(status!.Providers).Status);
        var told = await hub.DeliveredAsync("partner", Melding.SchoolPartner, "referral.status-changed",
            r => r.Json.GetProperty("data").GetProperty("referralId").GetString() == referralId);
        Assert.Equal("contacted", told.Json.GetProperty("data").GetProperty("status").GetString());

        // 4. The same referral again (the storage transport delivers at least once): dropped by its id, and removed.
        await hub.Queues.GetQueueClient("inbox-cjg").SendMessageAsync(BinaryData.FromString(sent));
        var second = await Poll.ForAsync(async () => await reader.ReadOnceAsync() is { Dropped.Count: > 0 } r ? r : null, Deadline, "the repeat dropped");
        Assert.Equal([referralId], second.Dropped);
        Assert.Empty(second.Handled);
        Assert.Single(cases.Referrals);
        Assert.DoesNotContain(await hub.PeekAsync("inbox-cjg"), m => m.Contains(referralId, StringComparison.Ordinal));

        // A reader started afresh on the same seen-file drops it too.
        await hub.Queues.GetQueueClient("inbox-cjg").SendMessageAsync(BinaryData.FromString(sent));
        var restarted = new InboxReader(StorageQueueInbox.Connect(hub.Configuration["AzureWebJobsStorage"]!, "cjg"), new SeenSet(seenFile), cases, null, log);
        var third = await Poll.ForAsync(async () => await restarted.ReadOnceAsync() is { Dropped.Count: > 0 } r ? r : null, Deadline, "the repeat dropped after a restart");
        Assert.Equal([referralId], third.Dropped);
        Assert.Single(cases.Referrals);

        // 5. cjg records the parents' withdrawal; the hub's consent-withdrawn notice reaches the reader, naming the referral.
        var withdrawal = await hub.PostSignedAsync("/api/consents", "X-Provider-Id", "cjg",
            $$"""{ "bsn": "{{bsn}}", "status": "withdrawn", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }""");
        Assert.Equal(HttpStatusCode.Accepted, withdrawal.StatusCode);
        var notice = await Poll.ForAsync(
            async () => (await reader.ReadOnceAsync()).Handled.OfType<ConsentWithdrawn>().FirstOrDefault(n => n.ReferralIds.Contains(referralId)),
            Deadline, "the consent-withdrawn notice handled by the reader");
        Assert.Same(notice, Assert.Single(cases.Withdrawals));
        Assert.Equal("cjg", notice.Provider);
        Assert.DoesNotContain(await hub.PeekAsync("inbox-cjg"), m => m.Contains(notice.NoticeId, StringComparison.Ordinal));

        // The reader's log names kinds and ids, never the child.
        var lines = log.ToString();
        Assert.Contains(referralId, lines);
        Assert.Contains(notice.NoticeId, lines);
        foreach (var personal in new[] { bsn, Description, "Noor", "Testkind", Melding.BirthDateNine, "referrer@partner.example" })
        {
            Assert.DoesNotContain(personal, lines);
        }

        File.Delete(seenFile);
    }

    /// <summary>Passes each request on, but throws away the first answer: the hub got the post, the client never heard.</summary>
    private sealed class LoseFirstAnswer : DelegatingHandler
    {
        public List<string> WebhookIds { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method != HttpMethod.Post)
            {
                return response;
            }

            WebhookIds.Add(request.Headers.GetValues("webhook-id").Single());
            if (WebhookIds.Count > 1)
            {
                return response;
            }

            response.Dispose();
            throw new HttpRequestException("The connection dropped before the answer arrived.");
        }
    }
}

/// <summary>A case system that keeps what it was given, for the tests of the reader sample.</summary>
public sealed class RecordingCases : IReferralHandler
{
    public List<Referral> Referrals { get; } = [];

    public List<Signal> Signals { get; } = [];

    public List<ConsentWithdrawn> Withdrawals { get; } = [];

    /// <summary>When set, the next call throws it (once): a case system that is down.</summary>
    public Exception? FailNext { get; set; }

    public Task OnReferralAsync(Referral referral, CancellationToken cancellationToken) => Record(Referrals, referral);

    public Task OnSignalAsync(Signal signal, CancellationToken cancellationToken) => Record(Signals, signal);

    public Task OnConsentWithdrawnAsync(ConsentWithdrawn notice, CancellationToken cancellationToken) => Record(Withdrawals, notice);

    private Task Record<T>(List<T> list, T item)
    {
        if (FailNext is { } failure)
        {
            FailNext = null;
            throw failure;
        }

        list.Add(item);
        return Task.CompletedTask;
    }
}
