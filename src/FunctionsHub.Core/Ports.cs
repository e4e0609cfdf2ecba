using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core;

// The ports the core needs from storage and messaging; src/FunctionsHub.Adapters implements them.

public interface IMeldingStore
{
    /// <summary>Adds the record, or returns the one already stored under its id.</summary>
    Task<MeldingRecord?> TryAddAsync(MeldingRecord record, CancellationToken cancellationToken);

    Task<MeldingRecord?> FindAsync(string meldingId, CancellationToken cancellationToken);

    Task SetStateAsync(string meldingId, string state, CancellationToken cancellationToken);

    Task<int> CountReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken);
}

public interface IIntakeQueue
{
    Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken);
}

/// <summary>
/// The inbox of each provider, <c>inbox-{providerId}</c>, over the configured transport. A message
/// sent twice carries the same id both times (referralId, noticeId), so the receiver can drop the
/// second; Service Bus duplicate detection does that by itself.
/// </summary>
public interface IProviderInbox
{
    Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken);

    Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken);
}

public interface IDigestStore
{
    Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken);

    Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken);
}
