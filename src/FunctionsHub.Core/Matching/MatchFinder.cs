using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Matching;

/// <summary>
/// A melding about a child, as the child's file keeps it: who reported, when, how to reach them and,
/// once routing decided, the decision and the state of its send. No content. The partner and the
/// decision's providers are the parties that know the child, and so may state consent for it.
/// </summary>
public sealed record ChildMelding(string MeldingId, string PartnerId, string Feed, DateTimeOffset ReportedAt, Referrer Referrer, RoutingDecision? Decision = null, SendState? Send = null)
{
    public bool WentTo(string providerId) => Decision?.Providers.Any(p => p.ProviderId == providerId) == true;

    /// <summary>The referrals while the melding is decided but not routed yet: those a failed run had sent as sent, the others pending; none before the decision.</summary>
    public IReadOnlyList<ReferralRecord> UnroutedReferrals(HubDocument document, ReferralIds referralIds) =>
        Decision is not { } decision
            ? []
            : decision.Providers.Select(p => ReferralRecords.For(MeldingId, p, Send?.Sent.GetValueOrDefault(p.ProviderId), decision.DecidedAt, document, referralIds)).ToArray();
}

/// <summary>
/// The send of a decided melding's referrals: held by one routing run until <paramref name="LeaseUntil"/>
/// (null: released), and the referrals runs that failed had already sent (provider → kind sent), so
/// a retry does not send them again. <paramref name="Token"/> is the stored version, for compare-and-set.
/// </summary>
public sealed record SendState(DateTimeOffset? LeaseUntil, IReadOnlyDictionary<string, string> Sent, string Token);

/// <summary>The Verwijsindex-style match: meldingen about one child from different partners within 12 months.</summary>
public static class MatchFinder
{
    public const int WindowMonths = 12;

    /// <summary>
    /// One entry per other partner: its latest melding within the window around this one; of two
    /// reported at the same moment, the one whose id sorts last, so the choice does not depend on the
    /// order the child's file is read in.
    /// </summary>
    public static IReadOnlyList<MatchedPartner> Find(Zorgmelding melding, IEnumerable<ChildMelding> others, HubDocument document) =>
        others
            .Where(o => IsMatch(melding.MeldingId, melding.PartnerId, melding.ReportedAt, o))
            .GroupBy(o => o.PartnerId)
            .Select(g => g.OrderByDescending(o => o.ReportedAt).ThenByDescending(o => o.MeldingId, StringComparer.Ordinal).First())
            .OrderBy(o => o.PartnerId, StringComparer.Ordinal)
            .Select(o => new MatchedPartner(o.PartnerId, document.FindPartner(o.PartnerId)?.Name ?? o.PartnerId, o.MeldingId, o.Referrer))
            .ToArray();

    /// <summary>Another partner's melding about the child, reported within the window either side.</summary>
    public static bool IsMatch(string meldingId, string partnerId, DateTimeOffset reportedAt, ChildMelding other) =>
        other.MeldingId != meldingId
        && other.PartnerId != partnerId
        && other.ReportedAt >= reportedAt.AddMonths(-WindowMonths)
        && other.ReportedAt <= reportedAt.AddMonths(WindowMonths);

    public static ChildMelding EntryFor(Zorgmelding melding) =>
        new(melding.MeldingId, melding.PartnerId, melding.Feed, melding.ReportedAt, melding.Referrer);
}
