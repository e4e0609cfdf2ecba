using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsHub.Core.Tests.Routing;

/// <summary>Two runs of one melding at the same moment (intake enqueued it twice during a storage stall).</summary>
public sealed class ConcurrentRoutingTests
{
    [Fact]
    public async Task Two_runs_of_one_melding_at_the_same_moment_send_each_referral_once()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.Police());
        var gate = new GatedInbox(world.Inbox);
        MeldingRouting Routing() => new(world.Documents, world.Pseudonyms, world.Consents, world.Children, world.Audit, world.Referrals,
            gate, world.Outbox, world.Meldingen, world.Ledger, world.Time, NullLogger<MeldingRouting>.Instance);

        var first = Routing().RouteAsync(melding, CancellationToken.None);
        await gate.FirstSendWaiting;
        await Assert.ThrowsAsync<ClaimHeldException>(() => Routing().RouteAsync(melding, CancellationToken.None));
        gate.Open();
        var decision = await first;
        world.Time.Advance(RoutingWorld.QueueRetryDelay);
        await Routing().RouteAsync(melding, CancellationToken.None);

        Assert.Equal(3, decision.Providers.Count);
        Assert.Equal(
            decision.Providers.Select(p => Identifiers.ReferralId(melding.MeldingId, p.ProviderId)).Order(),
            world.Inbox.Referrals.Select(r => r.ReferralId).Order());
    }
}
