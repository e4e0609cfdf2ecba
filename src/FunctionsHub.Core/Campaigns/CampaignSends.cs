namespace FunctionsHub.Core.Campaigns;

/// <summary>How one recipient of one occurrence ended: sent, failed for good, or not sent because the address unsubscribed.</summary>
public enum CampaignSendOutcome
{
    Sent,
    Failed,
    Unsubscribed,
}

public static class CampaignChannels
{
    /// <summary><c>campaign.message</c> to a partner on <c>notifications-out</c>; the recipient is the partner id.</summary>
    public const string Webhook = "webhook";

    /// <summary>E-mail to a referrer; the recipient is the address's key, never the address.</summary>
    public const string Email = "email";
}

/// <summary>What became of one recipient of an occurrence: ids and codes only.</summary>
/// <param name="Reason">For <see cref="CampaignSendOutcome.Failed"/>: the failure's code (e.g. <c>RecipientRejected</c>).</param>
public sealed record CampaignSend(string CampaignId, string Occurrence, string Channel, string Recipient, CampaignSendOutcome Outcome, DateTimeOffset At, string? Reason = null);

/// <summary>
/// The record of campaign sends (table <c>campaignsends</c>), one per (campaign, occurrence, channel,
/// recipient): what the gemeente's view counts, and how a fire sees whom an occurrence has reached
/// already without a ledger read per recipient. Exactly-once itself is the once-ledger's.
/// </summary>
public interface ICampaignSends
{
    /// <summary>Records the outcome; a later record of the same recipient replaces it.</summary>
    Task RecordAsync(CampaignSend send, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignSend>> OfOccurrenceAsync(string campaignId, string occurrence, CancellationToken cancellationToken);
}
