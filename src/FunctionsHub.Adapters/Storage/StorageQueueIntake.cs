using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Puts accepted meldingen on <c>meldingen-intake</c> for the routing function.</summary>
public sealed class StorageQueueIntake(StorageQueues queues) : IIntakeQueue
{
    public Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.MeldingenIntake, JsonSerializer.SerializeToUtf8Bytes(melding, HubJson.Default.Zorgmelding), cancellationToken);
}
