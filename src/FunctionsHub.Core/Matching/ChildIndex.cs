namespace FunctionsHub.Core.Matching;

/// <summary>
/// Which meldingen there are about a child (by pseudonym), from which partner and to which providers:
/// for matching, for consent withdrawal, and for who may state consent for the child.
/// </summary>
public interface IChildIndex
{
    /// <summary>
    /// Adds the entry; adding it again (a retried routing run adds the same entry, built from the same
    /// melding) keeps the providers recorded for it. A merge, so a field set to null later is kept as it was.
    /// </summary>
    Task AddAsync(string childPseudonym, ChildMelding entry, CancellationToken cancellationToken);

    /// <summary>Records which providers the melding goes to (the stored decision's providers).</summary>
    Task RecordProvidersAsync(string childPseudonym, string meldingId, IReadOnlyList<string> providerIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChildMelding>> MeldingenAsync(string childPseudonym, CancellationToken cancellationToken);
}
