using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Puts recorded withdrawals on <c>consent-withdrawals</c> (base64 JSON, the child by pseudonym only).</summary>
public sealed class StorageQueueConsentWithdrawals(StorageQueues queues) : IConsentWithdrawalQueue
{
    public Task EnqueueAsync(ConsentWithdrawal withdrawal, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.ConsentWithdrawals, JsonSerializer.SerializeToUtf8Bytes(withdrawal, HubJson.Default.ConsentWithdrawal), cancellationToken);
}
