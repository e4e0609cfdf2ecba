namespace FunctionsHub.Core.Routing;

/// <summary>A referral as the hub keeps it: ids, codes, times and whether it reached the inbox. No content.</summary>
public sealed record ReferralRecord(
    string ReferralId,
    string MeldingId,
    string ProviderId,
    string Kind,
    string ConsentBasis,
    string ChildPseudonym,
    DateTimeOffset CreatedAt,
    DateTimeOffset RespondBefore,
    string Dispatch)
{
    public bool IsSent => Dispatch == DispatchStates.Sent;
}

/// <summary>
/// A referral's way to the inbox: <c>pending</c>, then <c>sending</c> while one routing run holds it
/// under a lease (so two runs cannot both send it), then <c>sent</c>. A failed send goes back to pending.
/// </summary>
public static class DispatchStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
}

/// <summary>A routing run's claim on sending a referral: the stored record, and the token to release it by.</summary>
public sealed record ReferralClaim(FunctionsHub.Core.Once.ClaimState State, ReferralRecord Record, string Token = "");
