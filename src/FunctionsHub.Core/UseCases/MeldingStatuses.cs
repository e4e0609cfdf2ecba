using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.UseCases;

/// <summary>The status of a melding, for the partner that sent it and for no one else.</summary>
public sealed class MeldingStatuses(IHubDocumentSource documents, IMeldingStore meldingen, IChildFiles files, IInstroomLog instroom, ReferralIds referralIds)
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
        var referrals = routed?.Referrals ?? decided?.UnroutedReferrals(documents.Current, referralIds) ?? [];
        // The dispatch state until the provider reports a status.
        var providers = referrals.Select(r => new ReferralStatusView(r.ProviderId, r.Kind, r.Status?.Name() ?? r.Dispatch.Name(), r.StatusAt)).ToArray();

        // The decision only knows the meldingen that came before; a later one about the same child
        // from another partner is a match too (both referrers got match.found).
        var matched = decided?.Decision?.Match.Count > 0
            || file.Meldingen.Any(other => MatchFinder.IsMatch(melding.MeldingId, melding.PartnerId, melding.ReportedAt, other));
        var state = routed is null ? MeldingState.Accepted : routed.Retraction is null ? MeldingState.Routed : MeldingState.Retracted;
        return new MeldingStatusView(melding.MeldingId, state.Name(), providers, matched);
    }
}
