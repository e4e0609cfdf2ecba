using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Campaigns;

/// <summary>
/// Sends each campaign's due occurrence to its partners (webhook) and their referrers (e-mail), exactly
/// once per recipient, on <c>Hub:Schedules:Campaigns</c>. Firing more often than campaigns recur is
/// harmless and makes a new referrer's welcome (the current occurrence) and the rest of an interrupted
/// fan-out come sooner. Then reminds the partners that have gone silent, once per silent period.
/// </summary>
public sealed partial class SendCampaigns(CampaignSending campaigns, SilentPartnerReminders silentPartners, ILogger<SendCampaigns> logger)
{
    [Function(nameof(SendCampaigns))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Campaigns%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var fire = await campaigns.FireAsync(cancellationToken);
        var reminded = await silentPartners.RemindAsync(cancellationToken);
        LogSent(fire.Sent, fire.Failed, reminded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaigns fired: {Sent} sent, {Failed} failed; {Reminded} silent partner(s) reminded")]
    private partial void LogSent(int sent, int failed, int reminded);
}
