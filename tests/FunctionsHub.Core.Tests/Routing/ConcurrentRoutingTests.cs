using FunctionsHub.Core.Once;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
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
        MeldingRouting Routing() => world.Routing(inbox: gate);

        var first = Routing().RouteAsync(melding, CancellationToken.None);
        await gate.FirstSendWaiting;
        await Assert.ThrowsAsync<ClaimHeldException>(() => Routing().RouteAsync(melding, CancellationToken.None));
        gate.Open();
        var decision = await first;
        world.Time.Advance(RoutingWorld.QueueRetryDelay);
        await Routing().RouteAsync(melding, CancellationToken.None);

        Assert.Equal(3, decision.Providers.Count);
        Assert.Equal(
            decision.Providers.Select(p => world.ReferralIds.For(melding.MeldingId, p.ProviderId)).Order(),
            world.Inbox.Referrals.Select(r => r.ReferralId).Order());
    }
}

/// <summary>A consent statement recorded while a melding about the child is being decided.</summary>
public sealed class ConsentDuringDecisionTests
{
    [Fact]
    public async Task Consent_recorded_between_reading_the_file_and_storing_the_decision_is_decided_with()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.School());
        var given = new FunctionsHub.Core.Consent.ConsentRecord("cns_during", FunctionsHub.Core.Consent.ConsentStatuses.Given, ["all"], "parent", melding.ReportedAt, TestHub.SchoolPartner);
        var files = new ConsentBeforeFirstDecision(world.Files, world.Pseudonyms.Of(melding.Child.Bsn), given);

        var decision = await world.Routing(files).RouteAsync(melding, CancellationToken.None);

        var provider = Assert.Single(decision.Providers);
        Assert.Equal((ReferralKinds.Referral, "cns_during"), (provider.Kind, provider.ConsentId));
        Assert.Equal(ReferralKinds.Referral, Assert.Single(world.Inbox.Referrals).Kind);
    }

    /// <summary>Records a consent statement just before the first decision is stored, as a consent POST at that moment would.</summary>
    private sealed class ConsentBeforeFirstDecision(FaultyChildFiles inner, string child, FunctionsHub.Core.Consent.ConsentRecord consent) : DelegatingChildFiles(inner)
    {
        private int _decisions;

        public override async Task<string?> TryAddDecidedAsync(FunctionsHub.Core.Matching.ChildFile file, FunctionsHub.Core.Matching.ChildMelding decided, FunctionsHub.Core.Consent.ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _decisions) == 1)
            {
                await inner.AddConsentAsync(child, consent, cancellationToken);
            }

            return await base.TryAddDecidedAsync(file, decided, carried, leaseUntil, cancellationToken);
        }
    }
}
