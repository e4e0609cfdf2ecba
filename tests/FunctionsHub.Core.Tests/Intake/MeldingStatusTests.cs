using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;

namespace FunctionsHub.Core.Tests.Intake;

/// <summary>The partner's view of its melding, read from the stores routing and feedback write.</summary>
public sealed class MeldingStatusTests
{
    private static MeldingStatuses Statuses(RoutingWorld world) => new(world.Documents, world.Meldingen, world.Files, world.Instroom, world.ReferralIds);

    [Fact]
    public async Task Before_routing_the_melding_is_accepted_with_no_providers_yet()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.School());

        var view = await Statuses(world).ReadAsync(melding.PartnerId, melding.MeldingId, CancellationToken.None);

        Assert.Equal(("accepted", 0), (view!.State, view.Providers.Count));
    }

    [Fact]
    public async Task A_routed_referral_shows_sent_until_its_provider_reports_a_status_and_then_that_status()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.School());
        await world.Routing().RouteAsync(melding, CancellationToken.None);
        var sent = await Statuses(world).ReadAsync(melding.PartnerId, melding.MeldingId, CancellationToken.None);
        var stored = (await world.Instroom.FindReferralAsync(world.ReferralIds.For(melding.MeldingId, TestHub.Cjg), melding.ReceivedAt, CancellationToken.None))!;

        await world.Instroom.TryMoveStatusAsync(stored, ReferralStatus.Contacted, melding.ReceivedAt.AddHours(3), null, CancellationToken.None);

        var contacted = await Statuses(world).ReadAsync(melding.PartnerId, melding.MeldingId, CancellationToken.None);
        Assert.Equal(("routed", "sent"), (sent!.State, Assert.Single(sent.Providers).Status));
        Assert.Equal("contacted", Assert.Single(contacted!.Providers).Status);
    }

    [Fact]
    public async Task Another_partner_reads_nothing()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.School());
        await world.Routing().RouteAsync(melding, CancellationToken.None);

        Assert.Null(await Statuses(world).ReadAsync(TestHub.PolicePartner, melding.MeldingId, CancellationToken.None));
    }
}
