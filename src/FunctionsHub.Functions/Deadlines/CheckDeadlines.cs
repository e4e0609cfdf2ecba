using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Deadlines;

/// <summary>
/// Tells providers and the gemeente's subscribers about referrals whose first-contact promise passed
/// without contact (<c>referral.overdue</c>), on <c>Hub:Schedules:Deadlines</c>. A fire that comes late
/// (or a missed one) is made good by the next, which carries on from the last handled fire's watermark.
/// </summary>
public sealed partial class CheckDeadlines(ReferralDeadlines deadlines, ILogger<CheckDeadlines> logger)
{
    [Function(nameof(CheckDeadlines))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Deadlines%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var fire = await deadlines.CheckAsync(cancellationToken);
        LogChecked(fire.Notified, fire.Held);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked first-contact deadlines: {Notified} referral(s) overdue now, {Held} held by another run")]
    private partial void LogChecked(int notified, int held);
}
