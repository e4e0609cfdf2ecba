namespace FunctionsHub.Core.Campaigns;

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
