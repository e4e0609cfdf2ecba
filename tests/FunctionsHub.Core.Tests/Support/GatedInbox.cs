using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>
/// An inbox whose first send waits at a gate until the test opens it: the interleaving in which a
/// second run starts while the first is in the middle of sending.
/// </summary>
public sealed class GatedInbox(IProviderInbox inner) : IProviderInbox
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sends;

    /// <summary>Completes when the first send has reached the gate.</summary>
    public Task FirstSendWaiting => _entered.Task;

    public void Open() => _open.TrySetResult();

    public async Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken)
    {
        await PassAsync();
        await inner.SendAsync(referral, cancellationToken);
    }

    public async Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken)
    {
        await PassAsync();
        await inner.SendAsync(notice, cancellationToken);
    }

    public async Task SendAsync(ReferralRetractedMessage notice, CancellationToken cancellationToken)
    {
        await PassAsync();
        await inner.SendAsync(notice, cancellationToken);
    }

    private async Task PassAsync()
    {
        if (Interlocked.Increment(ref _sends) == 1)
        {
            _entered.TrySetResult();
            await _open.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
