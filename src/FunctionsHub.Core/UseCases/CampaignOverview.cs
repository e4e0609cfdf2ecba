using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.UseCases;

/// <summary>The gemeente's view of its campaigns (function key): what is next, what was sent, and a preview.</summary>
public sealed class CampaignOverview(IHubDocumentSource documents, ICampaignSends sends, CampaignMailing mailing, TimeProvider time)
{
    public async Task<CampaignsView> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var document = documents.Current;
        var calendar = document.Gemeente.Calendar();
        var views = new List<CampaignView>();
        foreach (var campaign in document.Campaigns)
        {
            var schedule = CampaignSchedule.Of(campaign, calendar);
            SentOccurrenceView? last = null;
            if (schedule.LatestDue(now) is { } due)
            {
                var outcomes = (await sends.OfOccurrenceAsync(campaign.Id, due.Id, cancellationToken)).CountBy(s => s.Outcome).ToDictionary();
                last = new SentOccurrenceView(due.Id, due.SendAt,
                    outcomes.GetValueOrDefault(CampaignSendOutcome.Sent), outcomes.GetValueOrDefault(CampaignSendOutcome.Failed), outcomes.GetValueOrDefault(CampaignSendOutcome.Unsubscribed));
            }

            var next = schedule.Next(now);
            views.Add(new CampaignView(campaign.Id, campaign.Subject, schedule.Every.ToString(), next is null ? null : new OccurrenceView(next.Id, next.SendAt), last));
        }

        return new CampaignsView(views);
    }

    /// <summary>The campaign as it would go out now, with an unsubscribe link that unsubscribes no one; null for an unknown id.</summary>
    public CampaignPreview? Preview(string campaignId)
    {
        var document = documents.Current;
        if (document.Campaigns.FirstOrDefault(c => c.Id == campaignId) is not { } campaign)
        {
            return null;
        }

        var schedule = CampaignSchedule.Of(campaign, document.Gemeente.Calendar());
        var now = time.GetUtcNow();
        var occurrence = schedule.LatestDue(now) ?? schedule.Next(now) ?? schedule.Occurrence(0)!;
        var mail = CampaignContent.Mail(campaign, document, mailing.PreviewUnsubscribe);
        return new CampaignPreview(campaign.Id, occurrence.Id, mail.Subject, mail.Text, mail.Html, CampaignContent.Message(campaign, occurrence, document));
    }
}
