using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Routing;

/// <summary>Use cases read the configuration document in force when they work, so a reloaded document takes effect without a restart.</summary>
public sealed class DocumentSourceTests
{
    private sealed class ChangingDocument(HubDocument first) : IHubDocumentSource
    {
        public HubDocument Current { get; set; } = first;
    }

    [Fact]
    public async Task A_melding_routed_after_the_document_changed_follows_the_new_rules()
    {
        var world = new RoutingWorld();
        var documents = new ChangingDocument(world.Document);
        var routing = world.Routing(documents: documents);
        var before = await routing.RouteAsync(await world.AcceptedAsync(TestMeldingen.School()), CancellationToken.None);

        documents.Current = WithRules(Rule("all-school-to-pit", Pit, new RuleConditions { Feeds = ["school"] }));
        var later = TestMeldingen.School() with { MeldingId = Identifiers.MeldingId(SchoolPartner, "msg_after_reload"), Child = TestMeldingen.Police().Child };
        var after = await routing.RouteAsync(await world.AcceptedAsync(later), CancellationToken.None);

        Assert.Equal([Cjg], before.Providers.Select(p => p.ProviderId));
        Assert.Equal([Pit], after.Providers.Select(p => p.ProviderId));
    }
}
