using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Core.UseCases;

/// <summary>A compiled digest as the gemeente may read it: always through small-cell protection.</summary>
public sealed class DigestReading(IHubDocumentSource documents, IDigestStore digests)
{
    /// <summary>The published digest of <paramref name="month"/> (<c>yyyy-MM</c>), or null when it was not compiled.</summary>
    public async Task<PublishedDigest?> FindAsync(string month, CancellationToken cancellationToken) =>
        await digests.FindAsync(month, cancellationToken) is { } digest
            ? DigestPublication.Publish(digest, documents.Current.Gemeente.Name)
            : null;
}
