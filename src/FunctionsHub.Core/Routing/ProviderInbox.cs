namespace FunctionsHub.Core.Routing;

/// <summary>
/// The inbox of each provider, <c>inbox-{providerId}</c>, over the configured transport. A message
/// sent twice carries the same id both times (referralId, noticeId), so the receiver can drop the
/// second; Service Bus duplicate detection does that by itself.
/// </summary>
public interface IProviderInbox
{
    Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken);

    Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken);

    Task SendAsync(ReferralRetractedMessage notice, CancellationToken cancellationToken);
}
