using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Consent;

namespace FunctionsHub.Core.Matching;

/// <summary>
/// Everything the hub keeps about one child, by pseudonym, read in one go: the consent statements,
/// and each melding about the child with who reported it, the referrer's contact (for match.found),
/// the routing decision and the state of its send. No child data, no content. <see cref="Version"/>
/// changes with every decision and consent written, so a decision can be stored only if nothing it
/// was made from changed since it was read.
/// </summary>
public sealed record ChildFile(string ChildPseudonym, string? Version, IReadOnlyList<ConsentRecord> Consents, IReadOnlyList<ChildMelding> Meldingen)
{
    /// <summary>A child the hub holds nothing about.</summary>
    public static ChildFile Empty(string childPseudonym) => new(childPseudonym, null, [], []);

    public ChildMelding? Find(string meldingId) => Meldingen.FirstOrDefault(m => m.MeldingId == meldingId);

    /// <summary>
    /// The meldingen of other partners the melding was matched with, either way round: those its own
    /// decision names, and those whose decision names it (routed after it).
    /// </summary>
    public IReadOnlyList<(string MeldingId, string PartnerId)> MatchesOf(string meldingId) =>
        (Find(meldingId)?.Decision?.Match.Select(m => (m.MeldingId, m.PartnerId)) ?? [])
            .Concat(Meldingen.Where(m => m.Decision?.Match.Any(x => x.MeldingId == meldingId) == true).Select(m => (m.MeldingId, m.PartnerId)))
            .Distinct()
            .ToArray();
}

/// <summary>
/// The child's file in storage (one table entity per child): one read gives all of it, and a
/// routing run writes its decision, its claim on sending and the consent the melding carried in one
/// write that succeeds only if the file is still at the version it read.
/// </summary>
public interface IChildFiles
{
    /// <summary>The whole file in one read; <see cref="ChildFile.Empty"/> for a child the hub does not know.</summary>
    Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="decided"/> (a melding with its decision), claimed for sending until
    /// <paramref name="leaseUntil"/>, and the consent the melding carried, in one write, if the file is
    /// still at <c>file.Version</c> and the melding is not in it. Answers the claim's token, or null when
    /// the file changed since it was read: read it again and decide again.
    /// </summary>
    Task<string?> TryAddDecidedAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the send of a melding decided before (its claim released or run out) until
    /// <paramref name="leaseUntil"/>, if neither the file nor the melding changed since <paramref name="file"/>
    /// was read. Answers the token, or null: read again.
    /// </summary>
    Task<string?> TryClaimSendAsync(ChildFile file, string meldingId, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// After a failed run: records the referrals it had sent (provider → kind) and lets go of the claim,
    /// unless another run has taken it over since (<paramref name="token"/>).
    /// </summary>
    Task ReleaseSendAsync(string childPseudonym, string meldingId, string token, IReadOnlyDictionary<string, string> sent, CancellationToken cancellationToken);

    /// <summary>Records a consent statement about a child in the file, changing its version.</summary>
    Task AddConsentAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: removes the melding <paramref name="meldingId"/> (when given) from the file, and takes
    /// its match out of the decisions of the child's other meldingen (<see cref="RoutingDecision.WithoutMatchOf"/>);
    /// with <paramref name="wholeFile"/>, removes everything of the child instead (its consents, the file
    /// itself). One write, if the file is still at <c>file.Version</c>; false when it changed since it
    /// was read (a melding or consent came in): read it again and decide again.
    /// </summary>
    Task<bool> TryRemoveAsync(ChildFile file, string? meldingId, bool wholeFile, CancellationToken cancellationToken);
}
