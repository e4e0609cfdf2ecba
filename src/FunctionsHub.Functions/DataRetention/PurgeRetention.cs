using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.DataRetention;

/// <summary>
/// The retention purge, daily on <c>Hub:Schedules:Retention</c>: meldingen past
/// <c>retention.meldingMonths</c> with everything derived from them, the files of children with no
/// melding left, and referrers silent past <c>retention.referrerMonths</c> (see <see cref="RetentionPurge"/>).
/// A fire that fails part-way, or a missed one, is made good by the next: the purge starts from its
/// index every time and removes what is still there.
/// </summary>
public sealed partial class PurgeRetention(RetentionPurge purge, ILogger<PurgeRetention> logger)
{
    [Function(nameof(PurgeRetention))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Retention%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var counts = await purge.RunAsync(cancellationToken);
        LogPurged(counts.ThroughMonth, counts.Meldingen, counts.Children, counts.Referrers, counts.Waiting);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge done through {Month}: {Meldingen} melding(en), {Children} child file(s), {Referrers} referrer(s) removed; {Waiting} waiting")]
    private partial void LogPurged(string month, int meldingen, int children, int referrers, int waiting);
}
