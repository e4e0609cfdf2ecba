using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Storage.Queues;
using FunctionsHub.Adapters.Inboxes;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Testing;
using FunctionsHub.Testing.Contracts;

namespace FunctionsHub.Adapters.Tests.Contracts;

/// <summary>
/// Reads a queue on Azurite as its consumer does (base64 JSON): every message with the id looked
/// for, once at least one is there. The queues have fixed names shared by this Azurite's tests, so
/// each contract finds its own messages by their fresh ids.
/// </summary>
internal static class QueueReadBack
{
    public static async Task<IReadOnlyList<T>> OnQueueAsync<T>(QueueClient queue, JsonTypeInfo<T> json, Func<T, bool> isSent)
    {
        async Task<IReadOnlyList<T>> ReadAsync() =>
            (await queue.PeekMessagesAsync(32)).Value.Select(m => JsonSerializer.Deserialize(m.Body.ToString(), json)!).Where(isSent).ToArray();

        await Poll.UntilAsync(async () => (await ReadAsync()).Count > 0, TimeSpan.FromSeconds(10), $"the message on {queue.Name}");
        return await ReadAsync();
    }
}

/// <summary><c>meldingen-intake</c> on Azurite, held to the same contract as the core tests' recorder.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueIntakeContractTests(AzuriteFixture azurite) : IntakeQueueContract
{
    protected override Task PutAsync(Zorgmelding message) => new StorageQueueIntake(azurite.Queues()).EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<Zorgmelding>> ReadBackAsync(Zorgmelding sent) =>
        QueueReadBack.OnQueueAsync(azurite.Queue(QueueNames.MeldingenIntake, QueueMessageEncoding.Base64), Json, m => m.MeldingId == sent.MeldingId);
}

/// <summary><c>notifications-out</c> on Azurite, held to the same contract as the core tests' recorder.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueNotificationsContractTests(AzuriteFixture azurite) : NotificationOutboxContract
{
    protected override Task PutAsync(OutboundNotification message) => new StorageQueueNotifications(azurite.Queues()).EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<OutboundNotification>> ReadBackAsync(OutboundNotification sent) =>
        QueueReadBack.OnQueueAsync(azurite.Queue(QueueNames.NotificationsOut, QueueMessageEncoding.Base64), Json, n => n.Notification.Id == sent.Notification.Id);
}

/// <summary><c>consent-withdrawals</c> on Azurite, held to the same contract as the core tests' recorder.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueConsentWithdrawalsContractTests(AzuriteFixture azurite) : ConsentWithdrawalQueueContract
{
    protected override Task PutAsync(ConsentWithdrawal message) => new StorageQueueConsentWithdrawals(azurite.Queues()).EnqueueAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<ConsentWithdrawal>> ReadBackAsync(ConsentWithdrawal sent) =>
        QueueReadBack.OnQueueAsync(azurite.Queue(QueueNames.ConsentWithdrawals, QueueMessageEncoding.Base64), Json, w => w.ConsentId == sent.ConsentId);
}

/// <summary>The storage-queue inbox on Azurite, held to the same contract as the core tests' recording inbox.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueInboxNoticeContractTests(AzuriteFixture azurite) : ProviderInboxNoticeContract
{
    protected override Task PutAsync(ConsentWithdrawnMessage message) => new StorageQueueInbox(azurite.Queues()).SendAsync(message, CancellationToken.None);

    protected override Task<IReadOnlyList<ConsentWithdrawnMessage>> ReadBackAsync(ConsentWithdrawnMessage sent) =>
        QueueReadBack.OnQueueAsync(azurite.Queue(QueueNames.Inbox(sent.Provider), QueueMessageEncoding.Base64), Json, n => n.NoticeId == sent.NoticeId);
}
