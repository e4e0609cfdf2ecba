using FunctionsHub.Core.Once;
using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Digests;

/// <summary>
/// Compiles the previous calendar month's instroom digest (in the gemeente's time zone) on
/// <c>Hub:Schedules:Digest</c> and announces it once to the gemeente's subscribers (<c>digest.published</c>);
/// a later fire for a month already published leaves it as published.
/// </summary>
public sealed partial class CompileDigest(DigestCompilation compilation, ILogger<CompileDigest> logger)
{
    [Function(nameof(CompileDigest))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Digest%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var publication = await compilation.CompileAndPublishPreviousMonthAsync(cancellationToken);
        if (publication.State == ClaimState.Claimed)
        {
            LogPublished(publication.Month, publication.Digest!.MeldingCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled and published instroom digest {Month}: {MeldingCount} meldingen")]
    private partial void LogPublished(string month, int meldingCount);
}
