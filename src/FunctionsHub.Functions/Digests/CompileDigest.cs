using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Digests;

/// <summary>Compiles the previous calendar month's instroom digest (in the gemeente's time zone) on <c>Hub:Schedules:Digest</c>.</summary>
public sealed partial class CompileDigest(DigestCompilation compilation, ILogger<CompileDigest> logger)
{
    [Function(nameof(CompileDigest))]
    public async Task Run([TimerTrigger("%Hub:Schedules:Digest%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var digest = await compilation.CompilePreviousMonthAsync(cancellationToken);
        LogCompiled(digest.Month, digest.MeldingCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled instroom digest {Month}: {MeldingCount} meldingen")]
    private partial void LogCompiled(string month, int meldingCount);
}
