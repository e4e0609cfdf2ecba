using System.Text.Json;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.UseCases;

/// <summary>What one fire of the campaign timer did, over every campaign.</summary>
/// <param name="Sent">Recipients this fire sent to (webhooks enqueued, mails accepted by the relay).</param>
/// <param name="AlreadyDone">Recipients an earlier or concurrent fire had sent to.</param>
/// <param name="Held">Recipients a concurrent fire was sending to at that moment.</param>
/// <param name="Failed">Recipients that could not be sent to: for good (recorded) or for now (the next fire tries again).</param>
/// <param name="Unsubscribed">Referrers not mailed because they unsubscribed.</param>
public sealed record CampaignFire(int Sent, int AlreadyDone, int Held, int Failed, int Unsubscribed);

/// <summary>The hub's own public address, for links in mails that leave it (the unsubscribe link).</summary>
public sealed record CampaignLinks(Uri PublicUrl)
{
    public Uri Unsubscribe(string token) => new(PublicUrl, $"api/referrers/unsubscribe?token={Uri.EscapeDataString(token)}");
}

/// <summary>
/// The campaign timer (<c>Hub:Schedules:Campaigns</c>): each campaign's latest due occurrence
/// (<see cref="CampaignSchedule.LatestDue"/>, so after downtime only the latest missed one) goes to every
/// recipient of its audience exactly once, however often, late or concurrently the timer fires:
/// <list type="bullet">
/// <item>each enabled partner of the audience by webhook (<c>campaign.message</c> on <c>notifications-out</c>, delivered like every notification);</item>
/// <item>each referrer of those partners in the directory by e-mail (an address under two partners once), unless
/// the address unsubscribed; referrers whose last melding is older than <c>retention.referrerMonths</c> are
/// removed from the directory instead.</item>
/// </list>
/// Once per (campaign, occurrence, recipient) is the once-ledger's (scope <see cref="LedgerScope"/>): claimed,
/// sent, completed. A fire that dies halfway leaves the rest unclaimed, or claimed under a lease that runs
/// out, and the next fire sends those and nothing twice; only a death between the relay's acceptance and the
/// completion repeats that one mail (with the same Message-Id). A referrer who joins the directory while an
/// occurrence is current gets it on the next fire: the welcome (docs/decisions.md, "Campaigns").
/// An occurrence is sent only until one period after it, so a campaign that ended long ago is not sent
/// when the hub first starts.
/// </summary>
public sealed partial class CampaignSending(
    IHubDocumentSource documents,
    IReferrerDirectory directory,
    ReferrerKeys keys,
    IOnceLedger ledger,
    INotificationOutbox notifications,
    ICampaignSends sends,
    CampaignMailing mailing,
    TimeProvider time,
    ILogger<CampaignSending> logger)
{
    public const string LedgerScope = "campaign";

    /// <summary>How long a fire holds one recipient: far longer than one send takes, far shorter than the schedule's interval.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task<CampaignFire> FireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;
        var calendar = document.Gemeente.Calendar();
        var tally = new Tally();
        var unsubscribed = await directory.UnsubscribedAsync(cancellationToken);
        var referrers = new Dictionary<string, IReadOnlyList<DirectoryReferrer>>(StringComparer.Ordinal);
        var relayDown = false;

        foreach (var campaign in document.Campaigns)
        {
            var schedule = CampaignSchedule.Of(campaign, calendar);
            if (schedule.LatestDue(now) is not { } occurrence || now >= StaleAfter(schedule, occurrence, calendar))
            {
                continue;
            }

            var done = (await sends.OfOccurrenceAsync(campaign.Id, occurrence.Id, cancellationToken))
                .Select(s => (s.Channel, s.Recipient)).ToHashSet();
            var partners = campaign.Audience.Of(document);
            var message = CampaignContent.Message(campaign, occurrence, document);

            foreach (var partner in partners.Where(p => !done.Contains((CampaignChannels.Webhook, p.Id))))
            {
                await SendOnceAsync(tally, campaign, occurrence, CampaignChannels.Webhook, partner.Id,
                    () => notifications.EnqueueAsync(ToPartner(partner, message, occurrence.SendAt), cancellationToken), cancellationToken);
            }

            if (!mailing.Enabled)
            {
                continue;
            }

            foreach (var referrer in await AudienceReferrersAsync(partners, referrers, document, now, cancellationToken))
            {
                if (done.Contains((CampaignChannels.Email, referrer.Key)))
                {
                    continue;
                }

                if (unsubscribed.Contains(referrer.Key))
                {
                    tally.Unsubscribed++;
                    await RecordAsync(new CampaignSend(campaign.Id, occurrence.Id, CampaignChannels.Email, referrer.Key, CampaignSendOutcome.Unsubscribed, now), cancellationToken);
                    continue;
                }

                if (relayDown)
                {
                    tally.Failed++;
                    continue;
                }

                try
                {
                    await SendOnceAsync(tally, campaign, occurrence, CampaignChannels.Email, referrer.Key,
                        () => mailing.SendAsync(campaign, occurrence, document, referrer, keys.TokenFor(referrer.Key), cancellationToken), cancellationToken);
                }
                catch (MailNotSentException e) when (e.Failure is MailFailure.ConnectionFailed or MailFailure.SetupRejected)
                {
                    // Every other mail would fail the same way: the rest wait for the next fire.
                    LogRelayDown(campaign.Id, occurrence.Id, e.Message);
                    relayDown = true;
                }
            }
        }

        var fire = new CampaignFire(tally.Sent, tally.AlreadyDone, tally.Held, tally.Failed, tally.Unsubscribed);
        LogFired(fire.Sent, fire.AlreadyDone, fire.Held, fire.Failed, fire.Unsubscribed);
        return fire;
    }

    /// <summary>
    /// Claims (campaign, occurrence, recipient), sends, completes, records. A permanent mail failure
    /// completes the claim too (never again to that address for this occurrence) and is recorded as
    /// failed; any other failure gives the claim back for the next fire. Only the relay being
    /// unreachable or refusing the hub is thrown, to stop the fire's mail.
    /// </summary>
    private async Task SendOnceAsync(Tally tally, Campaign campaign, CampaignOccurrence occurrence, string channel, string recipient, Func<Task> send, CancellationToken cancellationToken)
    {
        MailNotSentException? permanent = null;
        ClaimState state;
        try
        {
            state = await ledger.DoOnceAsync(LedgerScope, $"{campaign.Id}:{occurrence.Id}:{channel}:{recipient}", time.GetUtcNow(), Lease, async () =>
            {
                try
                {
                    await send();
                }
                catch (MailNotSentException e) when (e.IsPermanent)
                {
                    permanent = e;
                }
            }, logger, cancellationToken);
        }
        catch (MailNotSentException e) when (e.Failure is MailFailure.ConnectionFailed or MailFailure.SetupRejected)
        {
            tally.Failed++;
            throw;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(campaign.Id, occurrence.Id, channel, e.GetType().Name);
            tally.Failed++;
            return;
        }

        switch (state)
        {
            case ClaimState.Claimed when permanent is not null:
                tally.Failed++;
                LogFailed(campaign.Id, occurrence.Id, channel, permanent.Failure.ToString());
                await RecordAsync(new CampaignSend(campaign.Id, occurrence.Id, channel, recipient, CampaignSendOutcome.Failed, time.GetUtcNow(), permanent.Failure.ToString()), cancellationToken);
                break;
            case ClaimState.Claimed:
                tally.Sent++;
                await RecordAsync(new CampaignSend(campaign.Id, occurrence.Id, channel, recipient, CampaignSendOutcome.Sent, time.GetUtcNow()), cancellationToken);
                break;
            case ClaimState.Done:
                tally.AlreadyDone++;
                break;
            default:
                tally.Held++;
                break;
        }
    }

    /// <summary>The record is for the view and for skipping: what it records holds whether or not it is written (a record not written is looked at again next fire).</summary>
    private async Task RecordAsync(CampaignSend send, CancellationToken cancellationToken)
    {
        try
        {
            await sends.RecordAsync(send, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotRecorded(send.CampaignId, send.Occurrence, send.Channel, e.GetType().Name);
        }
    }

    /// <summary>
    /// The referrers of the audience's partners, once per address (the first partner's entry), read
    /// once per fire per partner; those past <c>retention.referrerMonths</c> are removed, not returned.
    /// </summary>
    private async Task<IReadOnlyList<DirectoryReferrer>> AudienceReferrersAsync(
        IReadOnlyList<Partner> partners, Dictionary<string, IReadOnlyList<DirectoryReferrer>> cache, HubDocument document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DirectoryReferrer>(StringComparer.Ordinal);
        foreach (var partner in partners)
        {
            if (!cache.TryGetValue(partner.Id, out var listed))
            {
                var kept = new List<DirectoryReferrer>();
                foreach (var referrer in await directory.OfPartnerAsync(partner.Id, cancellationToken))
                {
                    if (ReferrerRetention.IsOver(referrer, now, document.Retention.ReferrerMonths))
                    {
                        await directory.RemoveAsync(referrer, cancellationToken);
                    }
                    else
                    {
                        kept.Add(referrer);
                    }
                }

                cache[partner.Id] = listed = kept;
            }

            foreach (var referrer in listed)
            {
                found.TryAdd(referrer.Key, referrer);
            }
        }

        return found.Values.ToArray();
    }

    /// <summary>One period after the occurrence (at its send time): from then on it is history, not news.</summary>
    private static DateTimeOffset StaleAfter(CampaignSchedule schedule, CampaignOccurrence occurrence, GemeenteCalendar calendar) =>
        schedule.Every.Times(occurrence.Date, 1) is { } next ? calendar.InstantOf(next, schedule.SendAt) : DateTimeOffset.MaxValue;

    /// <summary>
    /// The <c>campaign.message</c> notification of <paramref name="message"/> to <paramref name="partner"/>, its id
    /// fixed by campaign, occurrence, partner and <paramref name="occasion"/> (none for the occurrence's own
    /// send, another for a reminder of it), so a send repeated after a crash is dropped by the receiver.
    /// </summary>
    internal static OutboundNotification ToPartner(Partner partner, CampaignMessageData message, DateTimeOffset occurredAt, string? occasion = null) =>
        new(new NotificationRecipient(RecipientKinds.Partner, partner.Id), new NotificationEnvelope(
            NotificationTypes.CampaignMessage,
            Identifiers.NotificationId(message.CampaignId, $"{NotificationTypes.CampaignMessage}:{message.Occurrence}:{RecipientKinds.Partner}:{partner.Id}{(occasion is null ? "" : ":" + occasion)}"),
            occurredAt,
            JsonSerializer.SerializeToElement(message, HubJson.Default.CampaignMessageData)));

    private sealed class Tally
    {
        public int Sent;
        public int AlreadyDone;
        public int Held;
        public int Failed;
        public int Unsubscribed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign fire: {Sent} sent, {AlreadyDone} already done, {Held} held by another fire, {Failed} failed, {Unsubscribed} unsubscribed")]
    private partial void LogFired(int sent, int alreadyDone, int held, int failed, int unsubscribed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId} occurrence {Occurrence}: one {Channel} send failed ({Failure})")]
    private partial void LogFailed(string campaignId, string occurrence, string channel, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Campaign {CampaignId} occurrence {Occurrence}: the mail relay cannot be used ({Problem}); the remaining mails wait for the next fire")]
    private partial void LogRelayDown(string campaignId, string occurrence, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId} occurrence {Occurrence}: one {Channel} send was done but its record not written ({Failure})")]
    private partial void LogNotRecorded(string campaignId, string occurrence, string channel, string failure);
}

/// <summary>
/// The e-mail side of campaigns: whether it is configured (<c>Hub:Smtp:Host</c>), and one referrer's
/// mail built and sent. Without SMTP, campaigns go to partners by webhook only.
/// </summary>
public sealed class CampaignMailing(IMailSender? sender, CampaignLinks? links)
{
    public static readonly CampaignMailing Disabled = new(null, null);

    public bool Enabled => sender is not null && links is not null;

    /// <summary>The unsubscribe link a preview shows: the real endpoint with a token that unsubscribes no one.</summary>
    public Uri PreviewUnsubscribe => links?.Unsubscribe("voorbeeld") ?? new Uri("https://hub.example/api/referrers/unsubscribe?token=voorbeeld");

    public Task SendAsync(Campaign campaign, CampaignOccurrence occurrence, HubDocument document, DirectoryReferrer referrer, string token, CancellationToken cancellationToken)
    {
        if (sender is null || links is null)
        {
            throw new InvalidOperationException("E-mail is not configured.");
        }

        var unsubscribe = links.Unsubscribe(token);
        var mail = CampaignContent.Mail(campaign, document, unsubscribe);
        return sender.SendAsync(new OutgoingMail(referrer.Email, mail.Subject, mail.Text, mail.Html, unsubscribe)
        {
            // The same for a mail sent again after a crash: mail clients see one message.
            MessageId = $"campaign.{campaign.Id}.{occurrence.Id}.{referrer.Key}",
        }, cancellationToken);
    }
}
