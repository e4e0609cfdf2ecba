using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Functions.Consent;

/// <summary>
/// Sends the <c>consent-withdrawn</c> notices of each withdrawal on <c>consent-withdrawals</c>, away
/// from the HTTP answer to the party that posted it. A failure throws: the queue retries it and, after
/// <c>maxDequeueCount</c> tries, parks it on <c>consent-withdrawals-poison</c> for an operator to replay.
/// </summary>
public sealed class NotifyConsentWithdrawal(ConsentWithdrawalNotices notices)
{
    [Function(nameof(NotifyConsentWithdrawal))]
    public async Task Run([QueueTrigger(QueueNames.ConsentWithdrawals)] string message, CancellationToken cancellationToken)
    {
        var withdrawal = JsonSerializer.Deserialize(message, HubJson.Default.ConsentWithdrawal)
            ?? throw new InvalidDataException("The consent-withdrawals message is empty.");
        await notices.NotifyAsync(withdrawal, cancellationToken);
    }
}
