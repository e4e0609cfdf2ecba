namespace FunctionsHub.Core.Digests;

public interface IDigestStore
{
    Task SaveAsync(InstroomDigest digest, CancellationToken cancellationToken);

    Task<InstroomDigest?> FindAsync(string month, CancellationToken cancellationToken);
}
