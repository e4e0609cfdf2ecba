namespace FunctionsHub.Core.Routing;

/// <summary>A referral as the hub keeps it: ids, codes, times, whether it reached the inbox and what its provider reported. No content.</summary>
/// <param name="Kind">What it was sent as: a referral whose parental consent was withdrawn before it left goes as a signal.</param>
/// <param name="Status">The latest status its provider reported, and when (<paramref name="StatusAt"/>); null until the first.</param>
/// <param name="ContactedAt">
/// When its provider first reported <c>contacted</c> or a later step of the lifecycle (the
/// <c>occurredAt</c> of that report), kept when the status moves on: the digest's time to first contact.
/// </param>
/// <param name="StatusReason">The reason code of the latest status (only an ending status takes one): a code, never text.</param>
public sealed record ReferralRecord(
    string ReferralId,
    string MeldingId,
    string ProviderId,
    string Kind,
    string ConsentBasis,
    DateTimeOffset CreatedAt,
    DateTimeOffset RespondBefore,
    DispatchState Dispatch,
    ReferralStatus? Status = null,
    DateTimeOffset? StatusAt = null,
    DateTimeOffset? ContactedAt = null,
    string? StatusReason = null)
{
    public bool IsSent => Dispatch == DispatchState.Sent;

    /// <summary>Still waiting for its first contact: no status reported, or only <c>received</c>.</summary>
    public bool AwaitsContact => Status is null or ReferralStatus.Received;

    /// <summary>
    /// The referral after its provider reported <paramref name="to"/> at <paramref name="at"/> (with
    /// <paramref name="reason"/> for an ending status): the first report of contact or a later step sets
    /// <see cref="ContactedAt"/>, which later moves keep. Whether the move is allowed is <see cref="ReferralLifecycle.CanMove"/>'s to say.
    /// </summary>
    public ReferralRecord MovedTo(ReferralStatus to, DateTimeOffset at, string? reason) => this with
    {
        Status = to,
        StatusAt = at,
        ContactedAt = ContactedAt ?? (ReferralLifecycle.MeansContact(to) ? at : null),
        StatusReason = reason,
    };
}

/// <summary>
/// A referral's way to the inbox: <c>pending</c> until a routing run sends it, then <c>sent</c>. Two
/// runs cannot both send it: the send of a melding's referrals is claimed under a lease in the
/// child's file.
/// </summary>
public enum DispatchState
{
    Pending,
    Sent,
}

public static class DispatchStates
{
    public static string Name(this DispatchState state) => state switch
    {
        DispatchState.Pending => "pending",
        DispatchState.Sent => "sent",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a dispatch state."),
    };

    public static DispatchState Parse(string name) =>
        name switch
        {
            "pending" => DispatchState.Pending,
            "sent" => DispatchState.Sent,
            _ => throw new FormatException($"'{name}' is not a dispatch state."),
        };
}

public static class ReferralRecords
{
    /// <summary>
    /// The referral a decision makes for <paramref name="provider"/>, created when the melding was
    /// decided and due by the provider's first-contact promise from then: as sent (as
    /// <paramref name="sentAs"/>: a referral whose consent was withdrawn before it left went as a signal),
    /// or pending while <paramref name="sentAs"/> is null.
    /// </summary>
    public static ReferralRecord For(string meldingId, ProviderDecision provider, string? sentAs, DateTimeOffset decidedAt, Configuration.HubDocument document, ReferralIds referralIds)
    {
        var downgraded = sentAs is not null && sentAs != provider.Kind;
        return new ReferralRecord(
            referralIds.For(meldingId, provider.ProviderId),
            meldingId,
            provider.ProviderId,
            sentAs ?? provider.Kind,
            downgraded ? ConsentBases.None : provider.ConsentBasis,
            decidedAt,
            document.FindProvider(provider.ProviderId)?.RespondBefore(decidedAt) ?? decidedAt,
            sentAs is null ? DispatchState.Pending : DispatchState.Sent);
    }
}
