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
    DispatchState Dispatch)
{
    public bool IsSent => Dispatch == DispatchState.Sent;
}

/// <summary>
/// A referral's way to the inbox: <c>pending</c>, then <c>sending</c> while one routing run holds it
/// under a lease (so two runs cannot both send it), then <c>sent</c>. A failed send goes back to
/// pending. The moves are compare-and-set claims on the referral's row (the adapters' TableClaims).
/// </summary>
public enum DispatchState
{
    Pending,
    Sending,
    Sent,
}

public static class DispatchStates
{
    public static string Name(this DispatchState state) => state switch
    {
        DispatchState.Pending => "pending",
        DispatchState.Sending => "sending",
        DispatchState.Sent => "sent",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a dispatch state."),
    };

    public static DispatchState Parse(string name) =>
        Enum.GetValues<DispatchState>().Cast<DispatchState?>().FirstOrDefault(s => s!.Value.Name() == name)
        ?? throw new FormatException($"'{name}' is not a dispatch state.");
}

/// <summary>A routing run's claim on sending a referral: the stored record, and the token to release it by.</summary>
public sealed record ReferralClaim(FunctionsHub.Core.Once.ClaimState State, ReferralRecord Record, string Token = "");
