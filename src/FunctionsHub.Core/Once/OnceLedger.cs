using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.Once;

/// <summary>Where a piece of work that must happen once stands for the caller that asked to do it.</summary>
public enum ClaimState
{
    /// <summary>The caller holds the work until its lease runs out: do it, then complete it (or release it on failure).</summary>
    Claimed,

    /// <summary>Someone did it already: do nothing.</summary>
    Done,

    /// <summary>Another run holds it under a live lease: do nothing now, and fail so that the queue retries later.</summary>
    Held,
}

/// <summary>
/// The answer to a claim. <see cref="Token"/> identifies this holder's claim (the row's ETag), so a
/// release cannot undo a claim that another run took over after this one's lease ran out.
/// </summary>
public sealed record OnceClaim(ClaimState State, string Token = "");

/// <summary>
/// The one record of "done once" (table <c>once</c>): work that two runs may both attempt (two deliveries of one queue message, a retry
/// racing the first attempt): claim (scope, key) with a lease, do the work, complete. Claimed-but-
/// not-completed work whose lease ran out (its run crashed) can be claimed again, so nothing is lost;
/// only a crash between doing the work and completing it repeats it, with the same ids.
/// </summary>
public interface IOnceLedger
{
    Task<OnceClaim> TryClaimAsync(string scope, string key, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records (scope, key) as done with <paramref name="value"/> unless it is recorded already, and
    /// answers the value recorded first: who claimed a delivery id, with which body. Of two callers at
    /// the same moment, the store's key decides; both get the first value.
    /// </summary>
    Task<string> RecordFirstAsync(string scope, string key, string value, CancellationToken cancellationToken);

    Task CompleteAsync(string scope, string key, CancellationToken cancellationToken);

    /// <summary>Gives a claim back after a failure, so the retry need not wait for the lease; a no-op when the claim was taken over.</summary>
    Task ReleaseAsync(string scope, string key, string token, CancellationToken cancellationToken);

    /// <summary>Removes (scope, key), done or not (retention: what derives from a purged melding); one not there is no error.</summary>
    Task ForgetAsync(string scope, string key, CancellationToken cancellationToken);
}

/// <summary>
/// Work is held by another run under a live lease. Thrown so that the queue message is retried: by
/// then the other run has finished (the retry finds it done) or crashed (its lease has run out).
/// </summary>
public sealed class ClaimHeldException(string work)
    : Exception($"{work} is being done by another run; the queue retries this message.");

/// <summary>The one way a claim is used: claim, do the work, complete; give the claim back when the work fails.</summary>
public static partial class OnceWork
{
    /// <summary>
    /// Claims (scope, key), does <paramref name="work"/> and completes the claim. Answers
    /// <see cref="ClaimState.Claimed"/> when it did the work, otherwise <see cref="ClaimState.Done"/> or
    /// <see cref="ClaimState.Held"/> without doing anything (the caller decides whether held work is a
    /// reason to fail). A failing work releases the claim and is rethrown.
    /// </summary>
    public static async Task<ClaimState> DoOnceAsync(
        this IOnceLedger ledger, string scope, string key, DateTimeOffset now, TimeSpan lease, Func<Task> work, ILogger logger, CancellationToken cancellationToken)
    {
        var claim = await ledger.TryClaimAsync(scope, key, now, lease, cancellationToken);
        if (claim.State != ClaimState.Claimed)
        {
            return claim.State;
        }

        await ReleasingOnFailureAsync(work, () => ledger.ReleaseAsync(scope, key, claim.Token, CancellationToken.None), $"{scope} {key}", logger, cancellationToken);
        await ledger.CompleteAsync(scope, key, cancellationToken);
        return ClaimState.Claimed;
    }

    /// <summary>
    /// Does claimed work; when it fails, gives the claim back so the retry need not wait for the lease,
    /// and rethrows. A release that fails too is logged, not thrown, so it cannot hide the first
    /// failure: the lease runs out instead, before the queue's next retry.
    /// </summary>
    public static async Task ReleasingOnFailureAsync(Func<Task> work, Func<Task> release, string claimed, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await work();
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await release();
            }
            catch (Exception e)
            {
                LogReleaseFailed(logger, claimed, e.GetType().Name);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing {Claimed} after its work failed failed too ({ExceptionType}); its lease runs out instead")]
    private static partial void LogReleaseFailed(ILogger logger, string claimed, string exceptionType);
}
