using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Functions.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Functions.Hosting;

/// <summary>What one look at the configuration blob did.</summary>
public enum DocumentRefresh
{
    /// <summary>The blob has the version in force (or the version refused last time).</summary>
    Unchanged,

    /// <summary>A new, valid version is now in force.</summary>
    Replaced,

    /// <summary>A new version is invalid: its problems are logged, the version in force stays.</summary>
    Refused,
}

/// <summary>
/// The configuration document from its blob (<c>Hub:ConfigUrl</c>): the version loaded at start-up, and
/// each new version of the blob once it passed the same checks as at start-up. A conditional read
/// (<c>If-None-Match</c> on the version last seen) costs one request and no download while the blob is
/// unchanged; an invalid version is refused once, with every problem logged, and not read again until
/// the blob changes. Every use case reads <see cref="Current"/> when it needs the document, so a new
/// version takes effect without a restart, for the next piece of work.
/// </summary>
public sealed partial class BlobHubDocument(
    BlobClient blob,
    HubDocument loaded,
    ETag loadedVersion,
    Func<HubDocument, IReadOnlyList<string>> settingsProblems,
    ILogger<BlobHubDocument> logger) : IHubDocumentSource
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile HubDocument _current = loaded;
    private ETag _seen = loadedVersion;

    public HubDocument Current => _current;

    public async Task<DocumentRefresh> RefreshAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            var response = await blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = _seen } }, cancellationToken);
            if (response.GetRawResponse().Status == 304)
            {
                return DocumentRefresh.Unchanged;
            }

            using var download = response.Value;
            if (download.Details.ETag == _seen)
            {
                return DocumentRefresh.Unchanged;
            }

            var json = (await BinaryData.FromStreamAsync(download.Content, cancellationToken)).ToString();
            _seen = download.Details.ETag;
            var (document, problems) = HubStartupCheck.Parse(json, $"Configuration blob '{blob.Uri}'");
            if (document is not null)
            {
                problems = settingsProblems(document);
            }

            if (document is null || problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    LogProblem(_seen.ToString(), problem);
                }

                LogRefused(_seen.ToString(), problems.Count, Health.Version(_current));
                return DocumentRefresh.Refused;
            }

            _current = document;
            LogReplaced(_seen.ToString(), Health.Version(document));
            return DocumentRefresh.Replaced;
        }
        finally
        {
            _reading.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration blob version {BlobVersion}: {Problem}")]
    private partial void LogProblem(string blobVersion, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration blob version {BlobVersion} refused ({Problems} problem(s)); the document in force (version {Version}) stays")]
    private partial void LogRefused(string blobVersion, int problems, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration blob version {BlobVersion} is now in force (version {Version})")]
    private partial void LogReplaced(string blobVersion, string version);
}

/// <summary>Looks at the configuration blob once a minute (only registered when the document comes from <c>Hub:ConfigUrl</c>).</summary>
public sealed partial class HubDocumentRefresher(IHubDocumentSource source, TimeProvider time, ILogger<HubDocumentRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source is not BlobHubDocument blob)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await blob.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The document in force stays; the next tick looks again.
                LogUnreadable(e is RequestFailedException failed ? $"{failed.Status} {failed.ErrorCode}" : e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configuration blob could not be read ({Failure}); the document in force stays")]
    private partial void LogUnreadable(string failure);
}
