using System.Globalization;
using System.Text.Json;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>
/// The silent-partner reminder, on the campaign timer: an enabled partner that sent no melding for
/// <c>silentPartnerMonths</c> (counted from its last melding, or from when the hub first looked for a
/// partner that never sent one) is reminded once per silent period:
/// <list type="bullet">
/// <item>the gemeente's subscribers get <c>partner.silent</c>;</item>
/// <item>the partner gets, by webhook, the latest occurrence of every still-running campaign it is in the
/// audience of (<c>campaign.message</c>, under an id of its own, so it is not taken for the occurrence's
/// own send).</item>
/// </list>
/// A silent period is named by the partner and the moment its quiet began, so the once-ledger (scope
/// <see cref="LedgerScope"/>) keeps a period's reminder to one however often the timer fires, and a new
/// melding, which moves that moment, starts the next period. Every id is fixed by partner, period and
/// recipient: a reminder repeated after a crash before its claim was completed is dropped by the receiver.
/// </summary>
public sealed partial class SilentPartnerReminders(
    IHubDocumentSource documents,
    IReferrerDirectory directory,
    IOnceLedger ledger,
    INotificationOutbox notifications,
    TimeProvider time,
    ILogger<SilentPartnerReminders> logger)
{
    public const string LedgerScope = "partner-silent";

    /// <summary>How long a fire holds one partner's reminder: far longer than its few enqueues take.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Reminds each partner that is silent and not yet reminded for this silence; answers how many it reminded.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;
        var reminded = 0;
        foreach (var partner in document.Partners.Where(p => p.Enabled))
        {
            try
            {
                var activity = await directory.ActivityAsync(partner.Id, now, cancellationToken);
                var silentAt = activity.QuietSince.AddMonths(document.SilentPartnerMonths);
                if (now < silentAt)
                {
                    continue;
                }

                var period = activity.QuietSince.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
                var state = await ledger.DoOnceAsync(LedgerScope, $"{partner.Id}:{period}", now, Lease,
                    () => SendAsync(partner, activity, silentAt, period, document, now, cancellationToken), logger, cancellationToken);
                if (state == ClaimState.Claimed)
                {
                    reminded++;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One partner's failure does not keep the others from their reminder; the next fire tries it again.
                LogFailed(partner.Id, e.GetType().Name);
            }
        }

        return reminded;
    }

    /// <summary>
    /// The reminder: the campaigns running <paramref name="now"/> (a reminder sent late, after downtime, carries
    /// what runs when it goes out), each message and <c>partner.silent</c> dated when the silence reached its length.
    /// </summary>
    private async Task SendAsync(Partner partner, PartnerActivity activity, DateTimeOffset silentAt, string period, HubDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var calendar = document.Gemeente.Calendar();
        var today = calendar.DateOf(now);
        var campaigns = new List<string>();
        foreach (var campaign in document.Campaigns.Where(c => c.Audience.Of(document).Contains(partner)))
        {
            var schedule = CampaignSchedule.Of(campaign, calendar);
            if (schedule.EndsOn < today || schedule.LatestDue(now) is not { } occurrence)
            {
                continue; // over, or not begun: nothing current to remind of
            }

            await notifications.EnqueueAsync(
                CampaignSending.ToPartner(partner, CampaignContent.Message(campaign, occurrence, document), silentAt, $"{LedgerScope}:{period}"), cancellationToken);
            campaigns.Add(campaign.Id);
        }

        var data = JsonSerializer.SerializeToElement(
            new PartnerSilentData(new PartnerRef(partner.Id, partner.Name), partner.Feed, calendar.DateOf(activity.QuietSince), activity.EverSent, document.SilentPartnerMonths, campaigns),
            HubJson.Default.PartnerSilentData);
        foreach (var subscriber in document.Gemeente.Subscribers)
        {
            await notifications.EnqueueAsync(new OutboundNotification(
                new NotificationRecipient(RecipientKinds.Subscriber, subscriber.Id),
                new NotificationEnvelope(
                    NotificationTypes.PartnerSilent,
                    Identifiers.NotificationId(partner.Id, $"{NotificationTypes.PartnerSilent}:{period}:{RecipientKinds.Subscriber}:{subscriber.Id}"),
                    silentAt,
                    data)), cancellationToken);
        }

        LogReminded(partner.Id, calendar.DateOf(activity.QuietSince).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), campaigns.Count, document.Gemeente.Subscribers.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partner {PartnerId} silent since {QuietSince}: reminded with {Campaigns} campaign(s), {Subscribers} subscriber(s) told")]
    private partial void LogReminded(string partnerId, string quietSince, int campaigns, int subscribers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partner {PartnerId}: the silent-partner check failed ({Failure}); the next fire tries again")]
    private partial void LogFailed(string partnerId, string failure);
}
