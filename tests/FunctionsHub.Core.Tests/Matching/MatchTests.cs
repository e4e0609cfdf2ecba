using System.Text.Json;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Notifications;
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
    public void Of_two_meldingen_of_one_partner_reported_at_the_same_moment_the_same_one_is_the_match_whichever_is_read_first()
    {
        var police = TestMeldingen.Police();
        var a = new ChildMelding("mld_aaaa", SchoolPartner, "school", police.ReportedAt.AddDays(-3), police.Referrer);
        var b = new ChildMelding("mld_bbbb", SchoolPartner, "school", police.ReportedAt.AddDays(-3), police.Referrer);

        Assert.Equal("mld_bbbb", Assert.Single(MatchFinder.Find(police, [a, b], Demo())).MeldingId);
        Assert.Equal("mld_bbbb", Assert.Single(MatchFinder.Find(police, [b, a], Demo())).MeldingId);
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

        Assert.Equal([SchoolPartner, PolicePartner], world.Outbox.SentOfType(NotificationTypes.MatchFound).Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
        Assert.All(world.Outbox.SentOfType(NotificationTypes.MatchFound), n => Assert.Equal("match.found", n.Notification.Type));
        var toSchool = world.Outbox.SentOfType(NotificationTypes.MatchFound).Single(n => n.Recipient.Id == SchoolPartner).Notification.Data;
        Assert.Equal(school.MeldingId, toSchool.GetProperty("meldingId").GetString());
        Assert.Equal(PolicePartner, toSchool.GetProperty("matchedPartner").GetProperty("id").GetString());
        Assert.Equal("Agent K. Bakker", toSchool.GetProperty("matchedReferrer").GetProperty("name").GetString());
        var everything = string.Join("|", world.Outbox.SentOfType(NotificationTypes.MatchFound).Select(n => JsonSerializer.Serialize(n)))
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
        var files = new BothReadFirst(world.Files);
        var school = await world.AcceptedAsync(TestMeldingen.School());
        var welfare = await world.AcceptedAsync(TestMeldingen.Welfare());

        var decisions = await Task.WhenAll(
            Task.Run(() => world.Routing(files).RouteAsync(school, CancellationToken.None)),
            Task.Run(() => world.Routing(files).RouteAsync(welfare, CancellationToken.None)));

        // The run that stored its decision second read the file again, and found the other melding.
        Assert.Equal(1, decisions.Sum(d => d.Match.Count));
        Assert.Equal([WelfarePartner, SchoolPartner], world.Outbox.SentOfType(NotificationTypes.MatchFound).Select(n => n.Recipient.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_match_found_again_by_a_repeated_run_tells_the_referrers_once()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        var welfare = await world.AcceptedAsync(TestMeldingen.Welfare());
        await world.Routing().RouteAsync(school, CancellationToken.None);
        world.Faults.FailAtPoint = "instroom:before";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(welfare, CancellationToken.None));

        var second = await world.Routing().RouteAsync(welfare, CancellationToken.None);

        Assert.Single(second.Match);
        Assert.Equal(2, world.Outbox.SentOfType(NotificationTypes.MatchFound).Count);
        Assert.NotNull(world.RoutedOrNull(welfare.MeldingId));
    }

    /// <summary>
    /// The first read of each of two runs waits (up to a deadline) until both have read: the
    /// interleaving in which both decide on the same version of the file. Routing that stored a
    /// decision made on a file changed since would miss the match here.
    /// </summary>
    private sealed class BothReadFirst(IChildFiles inner) : DelegatingChildFiles(inner)
    {
        private readonly TaskCompletionSource _bothRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public override async Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken)
        {
            var file = await base.ReadAsync(childPseudonym, cancellationToken);
            var read = Interlocked.Increment(ref _reads);
            if (read == 2)
            {
                _bothRead.SetResult();
            }

            if (read <= 2)
            {
                await _bothRead.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return file;
        }
    }
}
