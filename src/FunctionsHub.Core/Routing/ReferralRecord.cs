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

public static class DispatchStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
}
