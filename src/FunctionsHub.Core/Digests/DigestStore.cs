namespace FunctionsHub.Core.Digests;

/// <summary>The compiled digests, one per month; saving a month again replaces it.</summary>
public interface IDigestStore
{
    Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken);

    Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken);

    /// <summary>The months stored, newest first, without their figures.</summary>
    Task<IReadOnlyList<StoredDigest>> ListAsync(CancellationToken cancellationToken);
}
