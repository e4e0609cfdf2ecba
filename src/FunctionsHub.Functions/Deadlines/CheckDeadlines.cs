using System.Runtime.ExceptionServices;
using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Deadlines;

/// <summary>
/// The hub's deadlines, on <c>Hub:Schedules:Deadlines</c>: referrals whose first-contact promise passed
/// without contact (<c>referral.overdue</c>), and matches whose referrers had not both confirmed contact
/// by the follow-up's deadline (<c>match.unattended</c>). A fire that comes late (or a missed one) is made
/// good by the next, which carries on from each one's watermark. The two are independent: one failing
/// does not keep the other from running, and the fire fails afterwards so that it is seen.
/// </summary>
public sealed partial class CheckDeadlines(ReferralDeadlines deadlines, MatchFollowUps followUps, ILogger<CheckDeadlines> logger)
{
    [Function(nameof(CheckDeadlines))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Deadlines%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ExceptionDispatchInfo? failed = null;
        try
        {
            var fire = await deadlines.CheckAsync(cancellationToken);
            LogChecked(fire.Notified, fire.Held);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failed = ExceptionDispatchInfo.Capture(e);
        }

        var followUp = await followUps.CheckAsync(cancellationToken);
        LogFollowUps(followUp.Notified, followUp.Held);
        failed?.Throw();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked first-contact deadlines: {Notified} referral(s) overdue now, {Held} held by another run")]
    private partial void LogChecked(int notified, int held);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked match follow-ups: {Notified} match(es) unattended now, {Held} held by another run")]
    private partial void LogFollowUps(int notified, int held);
}
