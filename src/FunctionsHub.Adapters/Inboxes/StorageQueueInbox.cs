using System.Text.Json;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Inboxes;

/// <summary>Transport <c>StorageQueue</c>: Azure Storage queue <c>inbox-{providerId}</c>, base64 JSON.</summary>
public sealed class StorageQueueInbox(StorageQueues queues) : IProviderInbox
{
    public async Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.Inbox(referral.Provider), cancellationToken);
        await queue.SendMessageAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(referral, HubJson.Default.ReferralMessage)), cancellationToken: cancellationToken);
    }
}
