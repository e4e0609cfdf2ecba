using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Intake;

/// <summary>
/// What the partner that sent a melding may read about it: its state, where it went and whether it
/// matched. Content-free: no child data, no description, and no other partner's identity.
/// </summary>
/// <param name="State"><c>accepted</c> or <c>routed</c>.</param>
/// <param name="Matched">Whether another partner reported the same child within the match window, either way round.</param>
public sealed record MeldingStatusView(string MeldingId, string State, IReadOnlyList<ReferralStatusView> Providers, bool Matched);

/// <param name="Kind"><c>referral</c> or <c>signal</c>.</param>
/// <param name="Status">The latest status of the referral: its dispatch state (<c>pending</c>, <c>sent</c>) until the provider reports one.</param>
public sealed record ReferralStatusView(string Provider, string Kind, string Status);

/// <summary>The status of a melding, for the partner that sent it and for no one else.</summary>
public sealed class MeldingStatuses(IHubDocumentSource documents, IMeldingStore meldingen, IChildFiles files, IInstroomLog instroom)
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

        var file = await files.ReadAsync(melding.ChildPseudonym, cancellationToken);
        var decided = file.Find(meldingId);
        var routed = await instroom.FindAsync(meldingId, melding.ReceivedAt, cancellationToken);
        var referrals = routed?.Referrals ?? ReferralRecords.OfUnrouted(decided, documents.Current);
        var providers = referrals.Select(r => new ReferralStatusView(r.ProviderId, r.Kind, r.Dispatch.Name())).ToArray();

        // The decision only knows the meldingen that came before; a later one about the same child
        // from another partner is a match too (both referrers got match.found).
        var matched = decided?.Decision?.Match.Count > 0
            || file.Meldingen.Any(other => MatchFinder.IsMatch(melding.MeldingId, melding.PartnerId, melding.ReportedAt, other));
        return new MeldingStatusView(melding.MeldingId, (routed is null ? MeldingState.Accepted : MeldingState.Routed).Name(), providers, matched);
    }
}
