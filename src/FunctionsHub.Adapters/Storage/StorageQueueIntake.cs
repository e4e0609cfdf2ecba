using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Adapters.Storage;

/// <summary>Puts accepted meldingen on <c>meldingen-intake</c> for the routing function.</summary>
public sealed class StorageQueueIntake(StorageQueues queues) : IIntakeQueue
{
    public async Task EnqueueAsync(Zorgmelding melding, CancellationToken cancellationToken)
    {
        var queue = await queues.GetAsync(QueueNames.MeldingenIntake, cancellationToken);
        await queue.SendMessageAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(melding, HubJson.Default.Zorgmelding)), cancellationToken: cancellationToken);
    }
}
