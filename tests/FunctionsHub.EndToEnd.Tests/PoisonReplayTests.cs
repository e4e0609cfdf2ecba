using System.Net;
using System.Text;
using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Privacy;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Operators list and replay <c>meldingen-intake-poison</c>: a melding that failed earlier is seen
/// by id only, routed when replayed, and never routed twice.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class PoisonReplayTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const string PoisonQueueName = "meldingen-intake-poison";

    [Fact]
    public async Task Parked_melding_is_listed_by_id_only_and_replaying_it_routes_it_once()
    {
        var parked = await ParkMeldingAsync();

        var listing = await SendAsync(HttpMethod.Get, "/api/operations/poison/meldingen-intake");

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        var listed = await listing.Content.ReadAsStringAsync();
        foreach (var personal in parked.PersonalValues)
        {
            Assert.DoesNotContain(personal, listed, StringComparison.OrdinalIgnoreCase);
        }

        using (var json = JsonDocument.Parse(listed))
        {
            Assert.Equal(PoisonQueueName, json.RootElement.GetProperty("queue").GetString());
            var entry = Assert.Single(json.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("messageId").GetString() == parked.MessageId);
            Assert.Equal(parked.MeldingId, entry.GetProperty("meldingId").GetString());
            Assert.Equal(JsonValueKind.String, entry.GetProperty("insertedOn").ValueKind);
        }

        var replay = await SendAsync(HttpMethod.Post, $"/api/operations/poison/meldingen-intake/{parked.MessageId}/replay");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed").GetInt32());
        await Poll.UntilAsync(async () => await ReferralsForAsync(parked.MeldingId) == 1, Deadline, $"a referral for {parked.MeldingId} in inbox-cjg");
        Assert.DoesNotContain(await hub.PeekAsync(PoisonQueueName), m => m.Contains(parked.MeldingId, StringComparison.Ordinal));

        var again = await SendAsync(HttpMethod.Post, $"/api/operations/poison/meldingen-intake/{parked.MessageId}/replay");

        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await IntakeDrainedAsync();
        Assert.Equal(1, await ReferralsForAsync(parked.MeldingId));
    }

    [Fact]
    public async Task Replaying_the_whole_poison_queue_routes_each_parked_melding_once()
    {
        var first = await ParkMeldingAsync();
        var second = await ParkMeldingAsync();

        var replay = await SendAsync(HttpMethod.Post, "/api/operations/poison/meldingen-intake/replay");

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True(JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed").GetInt32() >= 2);
        foreach (var parked in new[] { first, second })
        {
            await Poll.UntilAsync(async () => await ReferralsForAsync(parked.MeldingId) == 1, Deadline, $"a referral for {parked.MeldingId} in inbox-cjg");
        }

        var poison = await hub.PeekAsync(PoisonQueueName);
        Assert.DoesNotContain(poison, m => m.Contains(first.MeldingId, StringComparison.Ordinal) || m.Contains(second.MeldingId, StringComparison.Ordinal));

        // Other tests' unroutable messages may come back to the poison queue and be replayed again; these two cannot.
        var again = await SendAsync(HttpMethod.Post, "/api/operations/poison/meldingen-intake/replay");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await IntakeDrainedAsync();
        Assert.Equal(1, await ReferralsForAsync(first.MeldingId));
        Assert.Equal(1, await ReferralsForAsync(second.MeldingId));
    }

    [Fact]
    public async Task A_message_that_is_not_base64_is_listed_without_a_melding_id_and_replayed_as_it_was()
    {
        // '!' is no base64 character; the id makes the message this test's own.
        var garbage = $"not base64! {Guid.NewGuid():N}";
        var poison = hub.RawQueues.GetQueueClient(PoisonQueueName);
        await poison.CreateIfNotExistsAsync();
        try
        {
            var sent = await poison.SendMessageAsync(garbage);

            var listing = await SendAsync(HttpMethod.Get, "/api/operations/poison/meldingen-intake");

            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
            var listed = await listing.Content.ReadAsStringAsync();
            Assert.DoesNotContain(garbage, listed, StringComparison.Ordinal);
            using (var json = JsonDocument.Parse(listed))
            {
                var entry = Assert.Single(json.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetProperty("messageId").GetString() == sent.Value.MessageId);
                Assert.Equal(JsonValueKind.Null, entry.GetProperty("meldingId").ValueKind);
            }

            var one = await SendAsync(HttpMethod.Post, $"/api/operations/poison/meldingen-intake/{sent.Value.MessageId}/replay");

            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            var parkedAgain = await ParkedAgainAsync(garbage, sent.Value.MessageId);

            var all = await SendAsync(HttpMethod.Post, "/api/operations/poison/meldingen-intake/replay");

            Assert.Equal(HttpStatusCode.OK, all.StatusCode);
            Assert.True(JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed").GetInt32() >= 1);
            await ParkedAgainAsync(garbage, parkedAgain);
        }
        finally
        {
            await hub.DeleteRawAsync(PoisonQueueName, garbage);
        }
    }

    [Theory]
    [InlineData("GET", "/api/operations/poison/meldingen-intake")]
    [InlineData("POST", "/api/operations/poison/meldingen-intake/replay")]
    [InlineData("POST", "/api/operations/poison/meldingen-intake/some-message-id/replay")]
    public async Task Operations_refuse_a_caller_without_the_function_key(string method, string path)
    {
        var withoutKey = await SendAsync(new HttpMethod(method), path, functionKey: null);
        var wrongKey = await SendAsync(new HttpMethod(method), path, functionKey: "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/operations/poison/meldingen-intake-poison")]
    [InlineData("POST", "/api/operations/poison/inbox-cjg/replay")]
    [InlineData("POST", "/api/operations/poison/no-such-queue/some-message-id/replay")]
    public async Task Unknown_queue_answers_404(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Replaying_a_message_that_is_not_on_the_poison_queue_answers_404()
    {
        var response = await SendAsync(HttpMethod.Post, $"/api/operations/poison/meldingen-intake/{Guid.NewGuid()}/replay");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A valid school melding (to cjg) stored as intake stores it and parked on the poison queue as
    /// if routing had failed it five times.
    /// </summary>
    private async Task<Parked> ParkMeldingAsync()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var meldingId = Identifiers.MeldingId(Melding.SchoolPartner, $"msg_replay_{Guid.NewGuid():N}");
        const string bsn = "123456782";
        var givenName = $"Voornaam{marker}";
        var familyName = $"Achternaam{marker}";
        var description = $"Vrije tekst {marker} over de klas";
        var body = Melding.Body("school", $"REPLAY-{marker}", bsn, description)
            .With("child.givenName", givenName)
            .With("child.familyName", familyName);

        using var json = JsonDocument.Parse(body.ToJsonString());
        var document = hub.Services.GetRequiredService<IHubDocumentSource>().Current;
        var outcome = MeldingParser.Parse(json.RootElement, "school", Melding.SchoolPartner, meldingId, DateTimeOffset.UtcNow, document);
        var melding = Assert.IsType<ParseOutcome.Parsed>(outcome).Melding;

        var pseudonym = hub.Services.GetRequiredService<ChildPseudonym>();
        var record = MeldingRecord.From(melding, pseudonym.Fingerprint(Encoding.UTF8.GetBytes(body.ToJsonString())), pseudonym.Of(bsn));
        Assert.Null(await hub.Services.GetRequiredService<IMeldingStore>().TryAddAsync(record, CancellationToken.None));

        var poison = hub.Queues.GetQueueClient(PoisonQueueName);
        await poison.CreateIfNotExistsAsync();
        var sent = await poison.SendMessageAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(melding, HubJson.Default.Zorgmelding)));
        return new Parked(sent.Value.MessageId, meldingId, [bsn, givenName, familyName, description, Melding.BirthDateNine]);
    }

    /// <summary>
    /// A replayed message that cannot be decoded went back to the source queue as it was, and the
    /// listener parked it again at once: the same text on the poison queue under a new message id.
    /// </summary>
    private async Task<string> ParkedAgainAsync(string text, string previousMessageId)
    {
        var poison = hub.RawQueues.GetQueueClient(PoisonQueueName);
        var parked = await Poll.ForAsync(
            async () => (await poison.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.MessageText == text && m.MessageId != previousMessageId),
            Deadline,
            "the undecodable message parked again, as it was");
        return parked.MessageId;
    }

    private async Task<int> ReferralsForAsync(string meldingId) =>
        (await hub.ReceivedAsync("inbox-cjg")).Count(m => m.Contains(meldingId, StringComparison.Ordinal));

    /// <summary>Nothing left on <c>meldingen-intake</c>, in flight or waiting: every replayed melding has been routed (or failed).</summary>
    private async Task IntakeDrainedAsync()
    {
        var intake = hub.Queues.GetQueueClient(QueueNames.MeldingenIntake);
        await Poll.UntilAsync(async () => (await intake.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Deadline, "meldingen-intake drained");
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? functionKey = HubFixture.FunctionKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (functionKey is not null)
        {
            request.Headers.Add("x-functions-key", functionKey);
        }

        return hub.Http.SendAsync(request);
    }

    private sealed record Parked(string MessageId, string MeldingId, IReadOnlyList<string> PersonalValues);
}
