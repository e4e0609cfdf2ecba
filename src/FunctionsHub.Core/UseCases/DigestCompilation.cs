using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;

namespace FunctionsHub.Core.UseCases;

/// <summary>Compiles the instroom digest of a month and stores it.</summary>
public sealed class DigestCompilation(IHubDocumentSource documents, IInstroomLog instroom, IDigestStore digests, TimeProvider time)
{
    private HubDocument Document => documents.Current;

    public Task<InstroomDigest> CompilePreviousMonthAsync(CancellationToken cancellationToken) =>
        CompileAsync(DigestMonth.Previous(time.GetUtcNow(), Document.Gemeente.Calendar()), cancellationToken);

    public async Task<InstroomDigest> CompileAsync(DigestMonth month, CancellationToken cancellationToken)
    {
        var count = (await instroom.ReceivedAsync(month.From, month.Until, cancellationToken)).Count;
        var digest = new InstroomDigest(month.Month, count, time.GetUtcNow());
        await digests.SaveAsync(digest, cancellationToken);
        return digest;
    }
}
