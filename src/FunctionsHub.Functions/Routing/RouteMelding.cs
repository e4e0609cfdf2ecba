using System.Text.Json;
using FunctionsHub.Core;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Telemetry;
using FunctionsHub.Core.UseCases;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHub.Functions.Routing;

/// <summary>
/// Routes each melding on <c>meldingen-intake</c>. A failure throws: the queue retries it and,
/// after <c>maxDequeueCount</c> tries, parks it intact on <c>meldingen-intake-poison</c>.
/// </summary>
public sealed class RouteMelding(MeldingRouting routing)
{
    [Function(nameof(RouteMelding))]
    public async Task Run([QueueTrigger(QueueNames.MeldingenIntake)] string message, CancellationToken cancellationToken)
    {
        try
        {
            var melding = JsonSerializer.Deserialize(message, HubJson.Default.Zorgmelding)
                ?? throw new InvalidDataException("The intake message is empty.");
            await routing.RouteAsync(melding, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            HubTelemetry.MeldingRoutingFailed(e.GetType().Name);
            throw;
        }
    }
}
