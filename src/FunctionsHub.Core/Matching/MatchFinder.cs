using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Matching;

/// <summary>
/// An earlier melding about a child, as the child index keeps it: who reported, when, how to reach
/// them, and (once routing decided) which providers it went to. No content. The partner and the
/// providers are the parties that know the child, and so may state consent for it.
/// </summary>
public sealed record ChildMelding(string MeldingId, string PartnerId, string Feed, DateTimeOffset ReportedAt, Referrer Referrer, IReadOnlyList<string>? Providers = null)
{
    public bool WentTo(string providerId) => Providers?.Contains(providerId) == true;
}

/// <summary>Another organisation that reported the same child: its name and its referrer's contact, never its content.</summary>
public sealed record MatchedPartner(string PartnerId, string PartnerName, string MeldingId, Referrer Referrer);

/// <summary>The Verwijsindex-style match: meldingen about one child from different partners within 12 months.</summary>
public static class MatchFinder
{
    public const int WindowMonths = 12;

    /// <summary>One entry per other partner: its latest melding within the window around this one.</summary>
    public static IReadOnlyList<MatchedPartner> Find(Zorgmelding melding, IEnumerable<ChildMelding> others, HubDocument document) =>
        others
            .Where(o => IsMatch(melding.MeldingId, melding.PartnerId, melding.ReportedAt, o))
            .GroupBy(o => o.PartnerId)
            .Select(g => g.OrderByDescending(o => o.ReportedAt).First())
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
