using FunctionsHub.Core.Audit;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Intake;

/// <summary>
/// What the partner that sent a melding may read about it: its state, where it went and whether it
/// matched. Content-free: no child data, no description, and no other partner's identity.
/// </summary>
/// <param name="State"><c>accepted</c>, <c>routed</c> or <c>failed</c>.</param>
/// <param name="Matched">Whether another partner reported the same child within the match window, either way round.</param>
public sealed record MeldingStatusView(string MeldingId, string State, IReadOnlyList<ReferralStatusView> Providers, bool Matched);

/// <param name="Kind"><c>referral</c> or <c>signal</c>.</param>
/// <param name="Status">The latest status of the referral: its dispatch state (<c>pending</c>, <c>sent</c>) until the provider reports one.</param>
public sealed record ReferralStatusView(string Provider, string Kind, string Status);

/// <summary>The status of a melding, for the partner that sent it and for no one else.</summary>
public sealed class MeldingStatuses(IMeldingStore meldingen, IAuditTrail audit, IReferralStore referrals, IChildIndex children)
{
    /// <summary>The status, or null when there is no such melding or another partner sent it: the caller cannot tell which.</summary>
    public async Task<MeldingStatusView?> ReadAsync(string partnerId, string meldingId, CancellationToken cancellationToken)
    {
        // Anything not shaped like a melding id cannot name one, and may hold characters a store rejects.
        if (!Identifiers.IsMeldingId(meldingId))
        {
            return null;
        }

        var melding = await meldingen.FindAsync(meldingId, cancellationToken);
        if (melding is null || melding.PartnerId != partnerId)
        {
            return null;
        }

        var decision = (await audit.ReadAsync(meldingId, cancellationToken)).Decision;
        var providers = new List<ReferralStatusView>();
        foreach (var provider in decision?.Providers ?? [])
        {
            var referral = await referrals.FindAsync(Identifiers.ReferralId(meldingId, provider.ProviderId), cancellationToken);
            // "sending" is the hub's own step: to the partner the referral is pending until it is sent.
            providers.Add(new ReferralStatusView(provider.ProviderId, provider.Kind, (referral?.IsSent == true ? DispatchState.Sent : DispatchState.Pending).Name()));
        }

        var matched = decision?.Match.Count > 0 || await MatchedLaterAsync(melding, cancellationToken);
        return new MeldingStatusView(melding.MeldingId, PartnerState(melding.State), providers, matched);
    }

    /// <summary>
    /// The routing decision only knows the meldingen that came before; a later one about the same
    /// child from another partner is a match too (both referrers got match.found), found in the child index.
    /// </summary>
    private async Task<bool> MatchedLaterAsync(MeldingRecord melding, CancellationToken cancellationToken) =>
        (await children.MeldingenAsync(melding.ChildPseudonym, cancellationToken))
            .Any(other => MatchFinder.IsMatch(melding.MeldingId, melding.PartnerId, melding.ReportedAt, other));

    /// <summary>"received" is the hub's own step before the intake queue; to the partner the melding is accepted already.</summary>
    private static string PartnerState(MeldingState state) => (state == MeldingState.Received ? MeldingState.Accepted : state).Name();
}
