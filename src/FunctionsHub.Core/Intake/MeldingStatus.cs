namespace FunctionsHub.Core.Intake;

/// <summary>
/// What the partner that sent a melding may read about it: its state, where it went and whether it
/// matched. Content-free: no child data, no description, and no other partner's identity.
/// </summary>
/// <param name="State"><c>accepted</c>, <c>routed</c> or <c>retracted</c>.</param>
/// <param name="Matched">Whether another partner reported the same child within the match window, either way round.</param>
public sealed record MeldingStatusView(string MeldingId, string State, IReadOnlyList<ReferralStatusView> Providers, bool Matched);

/// <param name="Kind"><c>referral</c> or <c>signal</c>.</param>
/// <param name="Status">The latest status of the referral: its dispatch state (<c>pending</c>, <c>sent</c>) until the provider reports one.</param>
/// <param name="StatusAt">When the provider's latest status happened (its <c>occurredAt</c>); absent until it reports one.</param>
public sealed record ReferralStatusView(string Provider, string Kind, string Status, DateTimeOffset? StatusAt = null);
