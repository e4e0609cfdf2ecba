using Azure.Storage.Queues;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.EndToEnd.Tests;

namespace FunctionsHub.Testing;

/// <summary>The melding scenarios whose storage transactions are counted (and bounded) one at a time.</summary>
public enum TransactionScenario
{
    /// <summary>A school melding without consent, routed to one provider (cjg).</summary>
    SchoolToOneProvider,

    /// <summary>A school melding with parental consent, routed to one provider (cjg).</summary>
    SchoolWithConsentToOneProvider,

    /// <summary>A police melding without consent to basta, pak-je-kans and pit, matching a welfare melding about the child.</summary>
    PoliceToThreeProvidersWithMatch,

    /// <summary>The same police melding with parental consent.</summary>
    PoliceWithConsentToThreeProvidersWithMatch,
}

/// <summary>
/// Runs one melding of a scenario through a hub whose storage clients carry a
/// <see cref="StorageRequestCounter"/>, and answers what it cost: counting starts after the intake
/// queue is drained, just before the POST, and stops once the melding is <c>routed</c> (read through
/// a client without the counter) and the trigger has deleted its message from the intake queue. The
/// matched melding a police scenario needs is sent and routed before counting starts.
/// </summary>
/// <param name="post">Posts a signed body to a feed as that feed's partner; answers the melding id of the <c>202</c>.</param>
/// <param name="meldingen">The melding store over uncounted clients.</param>
/// <param name="intake">The intake queue over an uncounted client.</param>
public sealed class TransactionScenarios(
    StorageRequestCounter counter,
    Func<string, string, Task<string>> post,
    IMeldingStore meldingen,
    IInstroomLog instroom,
    QueueClient intake)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Each scenario once, uncounted: tables and queues are created once per process, which the
    /// decisions leave out of a melding's cost, and the first run of each path is not typical.
    /// </summary>
    public async Task WarmUpAsync()
    {
        foreach (var scenario in Enum.GetValues<TransactionScenario>())
        {
            await RunAsync(scenario);
        }
    }

    public async Task<StorageCounts> RunAsync(TransactionScenario scenario)
    {
        var bsn = Melding.NewBsn();
        var externalId = $"COST-{Guid.NewGuid():N}";
        switch (scenario)
        {
            case TransactionScenario.SchoolToOneProvider:
                return await MeasureAsync("school", Melding.Body("school", externalId, bsn).With("consent", null).ToJsonString());
            case TransactionScenario.SchoolWithConsentToOneProvider:
                return await MeasureAsync("school", Melding.Body("school", externalId, bsn).ToJsonString());
            default:
                // Another partner reported the child first, without consent, so the police melding matches it and no registry consent covers it.
                var earlier = await post("welfare", Melding.Body("welfare", externalId + "-W", bsn).With("consent", null).ToJsonString());
                await RoutedAsync(earlier);
                var police = Melding.Body("police", externalId, bsn);
                if (scenario == TransactionScenario.PoliceToThreeProvidersWithMatch)
                {
                    police.With("consent", null);
                }

                return await MeasureAsync("police", police.ToJsonString());
        }
    }

    private async Task<StorageCounts> MeasureAsync(string feed, string body)
    {
        await intake.CreateIfNotExistsAsync(); // the trigger may not have created it yet
        await Poll.UntilAsync(async () => (await intake.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Deadline, "the intake queue drained");
        counter.Reset();
        var meldingId = await post(feed, body);
        await RoutedAsync(meldingId);

        // The trigger deletes its message after the function returned, i.e. after 'routed': wait for that delete to be counted.
        await Poll.UntilAsync(
            () => Task.FromResult(counter.Snapshot().Count(r => r is { Client: StorageClientSetup.Trigger, Kind: "delete message", Resource: QueueNames.MeldingenIntake + "/messages" }) >= 1),
            Deadline, $"the trigger's delete of melding {meldingId}");
        var counts = counter.Snapshot();
        await Poll.UntilAsync(async () => (await intake.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Deadline, "the intake queue empty");
        return counts;
    }

    private Task RoutedAsync(string meldingId) => Poll.UntilAsync(
        async () => await meldingen.FindAsync(meldingId, CancellationToken.None) is { } melding
            && await instroom.FindAsync(meldingId, melding.ReceivedAt, CancellationToken.None) is not null,
        Deadline, $"melding {meldingId} routed");
}
