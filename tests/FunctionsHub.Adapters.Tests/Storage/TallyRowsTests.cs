using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// What the table adapter's month tallies must survive beyond the port's contract: an answer lost on
/// the way back (the transaction landed, the client sent it again), which leaves a writer's copy of its
/// row behind the stored one, and the rows being read by the month's key range only.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TallyRowsTests(AzuriteFixture azurite)
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");
    private readonly int _year = Random.Shared.Next(2200, 9000);

    private RoutedMelding Routed(int day)
    {
        var meldingId = $"mld_{Guid.NewGuid():N}";
        var at = new DateTimeOffset(_year, 4, day, 10, 0, 0, TimeSpan.Zero);
        return new RoutedMelding(meldingId, "obs-de-regenboog", Feeds.School, at, Amsterdam.MonthOf(at), 9, "west", ["wellbeing"], Urgencies.Normal, null, false,
            at.AddSeconds(2), [new ReferralRecord(TestReferralIds.For(meldingId, "cjg"), meldingId, "cjg", ReferralKinds.Referral, ConsentBases.ParentalConsent, at, at.AddDays(5), DispatchState.Sent)]);
    }

    [Fact]
    public async Task A_transaction_whose_answer_was_lost_is_counted_once_and_the_writer_catches_up_with_its_row()
    {
        var lose = new LoseFirstTransactionAnswer();
        var tables = new HubTables(
            StorageAccount.TableService(azurite.Configuration, setup: new StorageClientSetup((options, _) => options.AddPolicy(lose, HttpPipelinePosition.PerRetry))),
            TestNames.TablePrefix());
        var log = new TableInstroomLog(tables);
        var first = Routed(3);
        var second = Routed(4);
        var third = Routed(5);

        // Landed, answer lost, sent again by the client's retry: the melding exists, so the repeat is refused.
        await log.RecordAsync(first, CancellationToken.None);
        Assert.True(lose.Lost);
        // The writer believes its row is not there yet; the row is there: it must read it and add to it.
        await log.RecordAsync(second, CancellationToken.None);
        await log.RecordAsync(third, CancellationToken.None);

        var (from, until) = Amsterdam.MonthBounds(_year, 4);
        var tally = await log.TallyAsync($"{_year:D4}-04", from, until, CancellationToken.None);
        Assert.Equal(3, tally.Of(MonthTally.Dimensions.Feed)[Feeds.School]);
        Assert.Equal(MonthTally.Of([first, second, third]).Counts.OrderBy(c => c.Key, StringComparer.Ordinal), tally.Counts.OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Tally_rows_are_never_read_as_meldingen_nor_as_referrals_due()
    {
        var log = new TableInstroomLog(azurite.Tables());
        var routed = Routed(10);
        await log.RecordAsync(routed, CancellationToken.None);

        var (from, until) = Amsterdam.MonthBounds(_year, 4);
        Assert.Equal([routed.MeldingId], (await log.ReceivedAsync(from, until, CancellationToken.None)).Select(m => m.MeldingId));
        Assert.Equal([routed.Referrals[0].ReferralId], (await log.DueAsync(from, from, until, CancellationToken.None)).Select(r => r.ReferralId));
    }

    /// <summary>Lets the first entity-group transaction reach the table, then fails it as a dropped connection would, so the client sends it again.</summary>
    private sealed class LoseFirstTransactionAnswer : HttpPipelinePolicy
    {
        public bool Lost { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (!Lost && message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Response.Status == 202)
            {
                Lost = true;
                throw new IOException("The connection closed before the answer was read.");
            }
        }
    }
}
