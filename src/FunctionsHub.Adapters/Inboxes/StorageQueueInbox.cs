using System.Text.Json;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Core;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Inboxes;

/// <summary>Transport <c>StorageQueue</c>: Azure Storage queue <c>inbox-{providerId}</c>, base64 JSON.</summary>
public sealed class StorageQueueInbox(StorageQueues queues) : IProviderInbox
{
    public Task SendAsync(ReferralMessage referral, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.Inbox(referral.Provider), JsonSerializer.SerializeToUtf8Bytes(referral, HubJson.Default.ReferralMessage), cancellationToken);

    public Task SendAsync(ConsentWithdrawnMessage notice, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.Inbox(notice.Provider), JsonSerializer.SerializeToUtf8Bytes(notice, HubJson.Default.ConsentWithdrawnMessage), cancellationToken);

    public Task SendAsync(ReferralRetractedMessage notice, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.Inbox(notice.Provider), JsonSerializer.SerializeToUtf8Bytes(notice, HubJson.Default.ReferralRetractedMessage), cancellationToken);
}
