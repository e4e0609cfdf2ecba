using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using Microsoft.Extensions.Logging;

namespace FunctionsHub.Core.Routing;

/// <summary>Routes one melding from <c>meldingen-intake</c> into the inboxes its decision names.</summary>
public sealed partial class MeldingRouting(
    HubDocument document,
    IProviderInbox inbox,
    IMeldingStore store,
    TimeProvider time,
    ILogger<MeldingRouting> logger)
{
    public async Task<RoutingDecision> RouteAsync(Zorgmelding melding, CancellationToken cancellationToken)
    {
        var decision = Router.Decide(melding, document, melding.Consent);
        var now = time.GetUtcNow();
        foreach (var provider in decision.Providers)
        {
            await inbox.SendAsync(ReferralMessage.Create(melding, provider, document, now), cancellationToken);
        }

        await store.SetStateAsync(melding.MeldingId, MeldingStates.Routed, cancellationToken);
        LogRouted(melding.MeldingId, string.Join(",", decision.Providers.Select(p => $"{p.ProviderId}:{p.Kind}")));
        return decision;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed melding {MeldingId} to {Providers}")]
    private partial void LogRouted(string meldingId, string providers);
}
