namespace FunctionsHub.Core.Routing;

/// <summary>
/// One record per referral with its dispatch state. Sending is claimed (compare-and-set on the row,
/// with a lease), so of two routing runs of one melding at the same moment only one sends each referral.
/// </summary>
public interface IReferralStore
{
    /// <summary>
    /// Adds <paramref name="wanted"/> as <c>sending</c> under a lease until now + <paramref name="lease"/>
    /// (claimed), or answers the stored record: <c>sent</c> is done; <c>sending</c> under a live lease is
    /// held by another run; <c>pending</c> or an expired lease is claimed by this call.
    /// </summary>
    Task<ReferralClaim> ClaimSendAsync(ReferralRecord wanted, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the referral sent, as what it was sent (consent withdrawn since the decision makes a signal of it).</summary>
    Task MarkSentAsync(string referralId, string kind, string consentBasis, CancellationToken cancellationToken);

    /// <summary>Back to <c>pending</c> after a failed send, unless another run has claimed it since (<paramref name="token"/>).</summary>
    Task ReleaseSendAsync(string referralId, string token, CancellationToken cancellationToken);

    Task<ReferralRecord?> FindAsync(string referralId, CancellationToken cancellationToken);
}
