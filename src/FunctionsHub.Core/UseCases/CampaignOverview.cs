using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.UseCases;

/// <summary>An occurrence as the gemeente's view shows it: its id (the local date) and when it is sent.</summary>
public sealed record OccurrenceView(string Id, DateTimeOffset SendAt);

/// <summary>The latest occurrence that fell due, with what became of its recipients so far (both channels together).</summary>
public sealed record SentOccurrenceView(string Id, DateTimeOffset SendAt, int Sent, int Failed, int Unsubscribed);

/// <summary>One campaign in <c>GET /api/campaigns</c>: counts and dates only, never a recipient.</summary>
public sealed record CampaignView(string Id, string Subject, string Every, OccurrenceView? Next, SentOccurrenceView? Last);

public sealed record CampaignsView(IReadOnlyList<CampaignView> Campaigns);

/// <summary><c>POST /api/campaigns/{id}/preview</c>: the mail a referrer would get and the partners' <c>campaign.message</c> data, sent to no one.</summary>
/// <param name="Occurrence">The occurrence previewed: the latest due, else the next.</param>
public sealed record CampaignPreview(string CampaignId, string? Occurrence, string Subject, string Text, string Html, CampaignMessageData Message);

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
