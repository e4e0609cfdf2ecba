using System.Text.Json;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Tests.Support;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Matching;

/// <summary>Two organisations that worry about the same child are brought together: contact, never content.</summary>
public sealed class MatchTests
{
    [Fact]
    public void Another_partners_melding_within_12_months_is_a_match()
    {
        var police = TestMeldingen.Police();
        var earlier = new ChildMelding("mld_earlier", SchoolPartner, "school", police.ReportedAt.AddMonths(-11), new("J. de Vries", null, "ib@school.example", null));

        var match = Assert.Single(MatchFinder.Find(police, [earlier], Demo()));

        Assert.Equal(SchoolPartner, match.PartnerId);
        Assert.Equal("OBS De Regenboog", match.PartnerName);
        Assert.Equal("ib@school.example", match.Referrer.Email);
    }

    [Fact]
    public void The_same_partner_again_is_no_match()
    {
        var police = TestMeldingen.Police();
        var earlier = new ChildMelding("mld_earlier", PolicePartner, "police", police.ReportedAt.AddMonths(-1), police.Referrer);

        Assert.Empty(MatchFinder.Find(police, [earlier], Demo()));
    }

    [Fact]
    public void A_melding_older_than_12_months_is_no_match()
    {
        var police = TestMeldingen.Police();
        var earlier = new ChildMelding("mld_earlier", SchoolPartner, "school", police.ReportedAt.AddMonths(-12).AddDays(-1), police.Referrer);

        Assert.Empty(MatchFinder.Find(police, [earlier], Demo()));
    }

    [Fact]
    public void Several_meldingen_of_one_partner_make_one_match_with_its_latest()
    {
        var police = TestMeldingen.Police();
        ChildMelding[] earlier =
        [
            new("mld_old", SchoolPartner, "school", police.ReportedAt.AddMonths(-6), police.Referrer),
            new("mld_new", SchoolPartner, "school", police.ReportedAt.AddMonths(-2), police.Referrer),
        ];

        Assert.Equal("mld_new", Assert.Single(MatchFinder.Find(police, earlier, Demo())).MeldingId);
    }

    [Fact]
    public async Task Both_referrers_get_match_found_and_the_referrals_name_the_other_without_its_content()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School();
        var police = TestMeldingen.Police() with { Child = school.Child };
        await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);

        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);

        Assert.Equal([SchoolPartner, PolicePartner], world.Outbox.Sent.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(world.Outbox.Sent, n => Assert.Equal("match.found", n.Notification.Type));
        var toSchool = world.Outbox.Sent.Single(n => n.Recipient.Id == SchoolPartner).Notification.Data;
        Assert.Equal(school.MeldingId, toSchool.GetProperty("meldingId").GetString());
        Assert.Equal(PolicePartner, toSchool.GetProperty("matchedPartner").GetProperty("id").GetString());
        Assert.Equal("Agent K. Bakker", toSchool.GetProperty("matchedReferrer").GetProperty("name").GetString());
        var everything = string.Join("|", world.Outbox.Sent.Select(n => JsonSerializer.Serialize(n)))
            + string.Join("|", world.Inbox.Referrals.Where(r => r.MeldingId == police.MeldingId).Select(r => JsonSerializer.Serialize(r)));
        Assert.DoesNotContain(school.Description!, everything);
        var referral = world.Inbox.Referrals.First(r => r.MeldingId == police.MeldingId);
        Assert.Equal(SchoolPartner, Assert.Single(referral.Match!.Partners).Id);
    }
}

/// <summary>Two meldingen about one child routed at the same moment still find each other.</summary>
public sealed class ConcurrentMatchTests
{
    [Fact]
    public async Task Meldingen_routed_at_the_same_moment_see_each_other()
    {
        var world = new RoutingWorld();
        var index = new BothAddedFirst(world.Children);
        var routing = new FunctionsHub.Core.Routing.MeldingRouting(world.Documents, world.Pseudonyms, world.Consents, index, world.Audit, world.Referrals,
            world.Inbox, world.Outbox, world.Meldingen, world.Ledger, world.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<FunctionsHub.Core.Routing.MeldingRouting>.Instance);
        var school = await world.AcceptedAsync(TestMeldingen.School());
        var welfare = await world.AcceptedAsync(TestMeldingen.Welfare());

        var decisions = await Task.WhenAll(
            Task.Run(() => routing.RouteAsync(school, CancellationToken.None)),
            Task.Run(() => routing.RouteAsync(welfare, CancellationToken.None)));

        Assert.All(decisions, d => Assert.Single(d.Match));
        Assert.Equal([WelfarePartner, SchoolPartner], world.Outbox.Sent.Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task When_both_meldingen_find_the_match_the_referrers_are_told_once()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        var welfare = await world.AcceptedAsync(TestMeldingen.Welfare());
        // The welfare melding's run has added it to the index, but has not decided yet.
        await world.Children.AddAsync(world.Pseudonyms.Of(welfare.Child.Bsn), FunctionsHub.Core.Matching.MatchFinder.EntryFor(welfare), CancellationToken.None);

        var first = await world.Routing().RouteAsync(school, CancellationToken.None);
        var second = await world.Routing().RouteAsync(welfare, CancellationToken.None);

        Assert.Single(first.Match);
        Assert.Single(second.Match);
        Assert.Equal(2, world.Outbox.Sent.Count);
    }

    /// <summary>
    /// Reads wait (up to a deadline) until both meldingen are in the index: the interleaving in which
    /// both are added before either reads. Routing that read before adding would time out here.
    /// </summary>
    private sealed class BothAddedFirst(IChildIndex inner) : IChildIndex
    {
        private readonly TaskCompletionSource _bothAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _adds;

        public async Task AddAsync(string childPseudonym, ChildMelding entry, CancellationToken cancellationToken)
        {
            await inner.AddAsync(childPseudonym, entry, cancellationToken);
            if (Interlocked.Increment(ref _adds) == 2)
            {
                _bothAdded.SetResult();
            }
        }

        public Task RecordProvidersAsync(string childPseudonym, string meldingId, IReadOnlyList<string> providerIds, CancellationToken cancellationToken) =>
            inner.RecordProvidersAsync(childPseudonym, meldingId, providerIds, cancellationToken);

        public async Task<IReadOnlyList<ChildMelding>> MeldingenAsync(string childPseudonym, CancellationToken cancellationToken)
        {
            await _bothAdded.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return await inner.MeldingenAsync(childPseudonym, cancellationToken);
        }
    }
}
