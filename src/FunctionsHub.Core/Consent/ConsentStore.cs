namespace FunctionsHub.Core.Consent;

/// <summary>The consent registry, keyed by child pseudonym.</summary>
public interface IConsentStore
{
    /// <summary>Records (or re-records, idempotently by <c>ConsentId</c>) a statement about a child.</summary>
    Task RecordAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<ConsentRecord>> ForChildAsync(string childPseudonym, CancellationToken cancellationToken);

}
