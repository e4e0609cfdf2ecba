using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Consent;

/// <summary>Consent recorded once covers later meldingen; a withdrawal reaches the providers that got content, naming referrals only.</summary>
public sealed class ConsentRegistryTests
{
    private static ConsentParty Partner(string id) => new(ConsentPartyKind.Partner, id);

    private static ConsentStatementBody Withdrawal(string bsn, params string[] scope) =>
        new(bsn, ConsentStatuses.Withdrawn, scope.Length == 0 ? ["all"] : scope, "parent", TestMeldingen.ReportedAt.AddDays(5));

    [Fact]
    public async Task Consent_given_with_a_school_melding_covers_a_later_police_melding_about_the_same_child()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") };
        var police = TestMeldingen.Police() with { Child = school.Child, Consent = null };
        await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);

        var decision = await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);

        Assert.All(decision.Providers, p => Assert.Equal(ConsentBases.ParentalConsent, p.ConsentBasis));
        Assert.All(world.Inbox.Referrals.Where(r => r.MeldingId == police.MeldingId), r => Assert.Equal(police.Description, r.Content!.Description));
    }

    [Fact]
    public async Task A_withdrawal_notifies_each_provider_that_received_content_with_its_referral_ids()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") };
        var police = TestMeldingen.Police() with { Child = school.Child, Consent = null };
        await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);

        await world.Recording().RecordAsync(Partner(SchoolPartner), "msg_withdraw", Withdrawal(school.Child.Bsn), "fingerprint", CancellationToken.None);
        await world.NotifyWithdrawalsAsync();

        Assert.Equal([Basta, Cjg, PakJeKans, Pit], world.Inbox.Notices.Select(n => n.Provider).Order(StringComparer.Ordinal));
        var basta = Assert.Single(world.Inbox.Notices, n => n.Provider == Basta);
        Assert.Equal([world.ReferralIds.For(police.MeldingId, Basta)], basta.ReferralIds);
        Assert.Equal(ReferralKinds.ConsentWithdrawn, basta.Kind);
        var cjg = Assert.Single(world.Inbox.Notices, n => n.Provider == Cjg);
        Assert.Equal([world.ReferralIds.For(school.MeldingId, Cjg)], cjg.ReferralIds);
    }

    [Fact]
    public async Task A_withdrawal_skips_providers_that_only_had_signals_or_acute_referrals()
    {
        var world = new RoutingWorld();
        var acute = TestMeldingen.Police(riskLevel: "red") with { Consent = null };
        await world.Routing().RouteAsync(await world.AcceptedAsync(acute), CancellationToken.None);

        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_withdraw", Withdrawal(acute.Child.Bsn), "fingerprint", CancellationToken.None);
        await world.NotifyWithdrawalsAsync();

        Assert.Empty(world.Inbox.Notices);
    }

    [Fact]
    public async Task A_withdrawal_for_one_provider_notifies_only_that_provider()
    {
        var world = new RoutingWorld();
        var police = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);

        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_withdraw", Withdrawal(police.Child.Bsn, Basta), "fingerprint", CancellationToken.None);
        await world.NotifyWithdrawalsAsync();

        Assert.Equal([Basta], world.Inbox.Notices.Select(n => n.Provider));
    }

    [Fact]
    public async Task A_withdrawal_posted_twice_sends_each_notice_once()
    {
        var world = new RoutingWorld();
        var police = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);

        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_withdraw", Withdrawal(police.Child.Bsn), "fingerprint", CancellationToken.None);
        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_withdraw", Withdrawal(police.Child.Bsn), "fingerprint", CancellationToken.None);
        await world.NotifyWithdrawalsAsync();

        Assert.Equal(3, world.Inbox.Notices.Count);
        Assert.Equal(3, world.Inbox.Notices.Select(n => n.NoticeId).Distinct().Count());
    }

    [Fact]
    public async Task After_a_withdrawal_new_meldingen_about_the_child_are_signals()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);
        await world.Recording().RecordAsync(Partner(SchoolPartner), "msg_withdraw", Withdrawal(school.Child.Bsn), "fingerprint", CancellationToken.None);

        var later = TestMeldingen.Welfare() with { Child = school.Child, ReportedAt = TestMeldingen.ReportedAt.AddDays(6) };
        var decision = await world.Routing().RouteAsync(await world.AcceptedAsync(later), CancellationToken.None);

        Assert.All(decision.Providers, p => Assert.Equal(ReferralKinds.Signal, p.Kind));
    }

    [Fact]
    public async Task The_registry_holds_the_pseudonym_never_the_bsn()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") };

        await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);

        Assert.Empty(world.Files.Peek(school.Child.Bsn).Consents);
        Assert.Single(world.ConsentsAbout(school.Child.Bsn));
    }

    [Fact]
    public async Task The_same_delivery_with_another_body_records_and_sends_nothing()
    {
        var world = new RoutingWorld();
        var police = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);
        var given = new ConsentStatementBody(police.Child.Bsn, ConsentStatuses.Given, ["all"], "parent", TestMeldingen.ReportedAt.AddDays(4));
        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_reused", given, "first body", CancellationToken.None);

        var second = await world.Recording().RecordAsync(Partner(PolicePartner), "msg_reused", Withdrawal(police.Child.Bsn), "second body", CancellationToken.None);
        await world.NotifyWithdrawalsAsync();

        Assert.IsType<ConsentOutcome.Conflict>(second);
        Assert.Empty(world.Inbox.Notices);
        var records = world.ConsentsAbout(police.Child.Bsn);
        Assert.DoesNotContain(records, r => r.Status == ConsentStatuses.Withdrawn);
    }

    [Fact]
    public async Task Content_not_yet_sent_when_consent_is_withdrawn_goes_as_a_signal()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") });
        world.Faults.FailAtPoint = "inbox.referral:before";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(school, CancellationToken.None));
        await world.Files.AddConsentAsync(world.Pseudonyms.Of(school.Child.Bsn),
            new ConsentRecord("cns_withdrawn", ConsentStatuses.Withdrawn, ["all"], "parent", TestMeldingen.ReportedAt.AddDays(1), "test"), CancellationToken.None);

        await world.Routing().RouteAsync(school, CancellationToken.None);

        var sent = Assert.Single(world.Inbox.Referrals);
        Assert.Equal(ReferralKinds.Signal, sent.Kind);
        Assert.Null(sent.Content);
        Assert.True(world.Audit.Has(school.MeldingId, $"content-withheld:{Cjg}"));
    }
}
