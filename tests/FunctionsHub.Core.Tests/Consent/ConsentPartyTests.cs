using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Once;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Consent;

/// <summary>
/// Only parties that know the child state consent for it, a stranger learns nothing from the answer,
/// and a withdrawal is answered without the notices, which a queue function sends once each.
/// </summary>
public sealed class ConsentPartyTests
{
    private const string OtherBsn = "123456782";

    private static ConsentParty Partner(string id) => new(ConsentPartyKind.Partner, id);

    private static ConsentParty Provider(string id) => new(ConsentPartyKind.Provider, id);

    private static ConsentStatementBody Statement(string bsn, string status) =>
        new(bsn, status, ["all"], "parent", TestMeldingen.ReportedAt.AddDays(5));

    /// <summary>A school melding (to cjg, as a signal) about the test child, routed.</summary>
    private static async Task<(RoutingWorld World, string Pseudonym)> WorldWithSchoolMeldingAsync()
    {
        var world = new RoutingWorld();
        var school = TestMeldingen.School();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(school), CancellationToken.None);
        }

        return (world, world.Pseudonyms.Of(school.Child.Bsn));
    }

    [Fact]
    public async Task The_partner_that_reported_the_child_may_state_consent()
    {
        var (world, pseudonym) = await WorldWithSchoolMeldingAsync();

        var outcome = await world.Recording().RecordAsync(Partner(SchoolPartner), "msg_given", Statement(TestMeldingen.Bsn, "given"), "fp", CancellationToken.None);

        Assert.IsType<ConsentOutcome.Recorded>(outcome);
        Assert.Contains(world.Files.Peek(pseudonym).Consents, r => r.Source == SchoolPartner);
    }

    [Fact]
    public async Task A_partner_that_never_reported_the_child_cannot_state_consent_and_nothing_is_recorded()
    {
        var (world, pseudonym) = await WorldWithSchoolMeldingAsync();

        var outcome = await world.Recording().RecordAsync(Partner(PolicePartner), "msg_given", Statement(TestMeldingen.Bsn, "given"), "fp", CancellationToken.None);

        Assert.IsType<ConsentOutcome.NotRelated>(outcome);
        Assert.Empty(world.Files.Peek(pseudonym).Consents);
        Assert.Empty(world.Withdrawals.Queued);
    }

    [Fact]
    public async Task A_provider_that_received_only_a_signal_about_the_child_may_state_consent()
    {
        var (world, _) = await WorldWithSchoolMeldingAsync();

        var outcome = await world.Recording().RecordAsync(Provider(Cjg), "msg_given", Statement(TestMeldingen.Bsn, "given"), "fp", CancellationToken.None);

        Assert.IsType<ConsentOutcome.Recorded>(outcome);
    }

    [Fact]
    public async Task A_provider_no_melding_about_the_child_went_to_cannot_state_consent()
    {
        var (world, pseudonym) = await WorldWithSchoolMeldingAsync();

        var outcome = await world.Recording().RecordAsync(Provider(Basta), "msg_given", Statement(TestMeldingen.Bsn, "given"), "fp", CancellationToken.None);

        Assert.IsType<ConsentOutcome.NotRelated>(outcome);
        Assert.Empty(world.Files.Peek(pseudonym).Consents);
    }

    [Fact]
    public async Task A_provider_may_state_consent_once_the_decision_names_it_even_before_the_referral_is_sent()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        world.Faults.FailAtPoint = "inbox.referral:before";
        await Assert.ThrowsAsync<IOException>(() => world.Routing().RouteAsync(school, CancellationToken.None));

        var outcome = await world.Recording().RecordAsync(Provider(Cjg), "msg_given", Statement(TestMeldingen.Bsn, "given"), "fp", CancellationToken.None);

        Assert.IsType<ConsentOutcome.Recorded>(outcome);
    }

    [Fact]
    public async Task A_stranger_gets_the_same_answer_after_the_same_work_for_a_known_and_an_unknown_child()
    {
        var (world, _) = await WorldWithSchoolMeldingAsync();

        var before = world.Faults.Operations;
        var known = await world.Recording().RecordAsync(Partner(PolicePartner), "msg_known", Statement(TestMeldingen.Bsn, "withdrawn"), "fp", CancellationToken.None);
        var knownCost = world.Faults.Operations - before;
        before = world.Faults.Operations;
        var unknown = await world.Recording().RecordAsync(Partner(PolicePartner), "msg_unknown", Statement(OtherBsn, "withdrawn"), "fp", CancellationToken.None);
        var unknownCost = world.Faults.Operations - before;

        Assert.Equal(known, unknown);
        Assert.IsType<ConsentOutcome.NotRelated>(known);
        Assert.Equal(1, knownCost);
        Assert.Equal(knownCost, unknownCost);
    }

    [Fact]
    public async Task A_withdrawal_is_answered_with_the_same_work_whatever_was_shared_and_the_notices_follow_from_the_queue()
    {
        var world = new RoutingWorld();
        var withContent = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        var signalsOnly = TestMeldingen.School();
        using (world.Faults.Suspended())
        {
            await world.Routing().RouteAsync(await world.AcceptedAsync(withContent), CancellationToken.None);
            await world.Routing().RouteAsync(await world.AcceptedAsync(signalsOnly), CancellationToken.None);
        }

        var before = world.Faults.Operations;
        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_w1", Statement(withContent.Child.Bsn, "withdrawn"), "fp", CancellationToken.None);
        var costWithContent = world.Faults.Operations - before;
        before = world.Faults.Operations;
        await world.Recording().RecordAsync(Partner(SchoolPartner), "msg_w2", Statement(signalsOnly.Child.Bsn, "withdrawn"), "fp", CancellationToken.None);
        var costSignalsOnly = world.Faults.Operations - before;

        Assert.Equal(costWithContent, costSignalsOnly);
        Assert.Empty(world.Inbox.Notices);
        Assert.Equal(2, world.Withdrawals.Queued.Count);
        Assert.DoesNotContain(world.Withdrawals.Queued, w => w.ChildPseudonym.Contains(withContent.Child.Bsn));
        // The queue message as it is written: the child by pseudonym, never the BSN.
        Assert.All(world.Withdrawals.Queued, w =>
            Assert.DoesNotContain(withContent.Child.Bsn, System.Text.Json.JsonSerializer.Serialize(w, HubJson.Default.ConsentWithdrawal)));

        await world.NotifyWithdrawalsAsync();

        Assert.Equal([Basta, PakJeKans, Pit], world.Inbox.Notices.Select(n => n.Provider).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_runs_of_one_withdrawal_at_the_same_moment_send_each_notice_once()
    {
        var world = new RoutingWorld();
        var police = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);
        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_w", Statement(police.Child.Bsn, "withdrawn"), "fp", CancellationToken.None);
        Assert.True(world.Withdrawals.TryTake(out var withdrawal));
        var gate = new GatedInbox(world.Inbox);
        ConsentWithdrawalNotices Notices() => world.Notices(gate);

        var first = Notices().NotifyAsync(withdrawal, CancellationToken.None);
        await gate.FirstSendWaiting;
        await Assert.ThrowsAsync<ClaimHeldException>(() => Notices().NotifyAsync(withdrawal, CancellationToken.None));
        gate.Open();
        await first;
        world.Time.Advance(RoutingWorld.QueueRetryDelay);
        await Notices().NotifyAsync(withdrawal, CancellationToken.None);

        Assert.Equal(3, world.Inbox.Notices.Count);
        Assert.Equal(3, world.Inbox.Notices.Select(n => n.NoticeId).Distinct().Count());
    }

    [Fact]
    public async Task A_notice_whose_send_failed_is_sent_by_the_retry()
    {
        var world = new RoutingWorld();
        var police = TestMeldingen.Police() with { Consent = TestMeldingen.Consent("given", "all") };
        await world.Routing().RouteAsync(await world.AcceptedAsync(police), CancellationToken.None);
        await world.Recording().RecordAsync(Partner(PolicePartner), "msg_w", Statement(police.Child.Bsn, "withdrawn"), "fp", CancellationToken.None);
        Assert.True(world.Withdrawals.TryTake(out var withdrawal));

        world.Faults.FailAtPoint = "inbox.notice:before";
        await Assert.ThrowsAsync<IOException>(() => world.Notices().NotifyAsync(withdrawal, CancellationToken.None));
        await world.Notices().NotifyAsync(withdrawal, CancellationToken.None);

        Assert.Equal([Basta, PakJeKans, Pit], world.Inbox.Notices.Select(n => n.Provider).Order(StringComparer.Ordinal));
    }
}

/// <summary>A statement dated ahead cannot outrank what the hub hears after it.</summary>
public sealed class ConsentOrderTests
{
    private static readonly DateTimeOffset Now = TestMeldingen.ReportedAt;

    private static ConsentRecord Record(string id, string status, DateTimeOffset recordedAt, DateTimeOffset receivedAt) =>
        new(id, status, ["all"], "parent", recordedAt, "test", receivedAt);

    [Fact]
    public void A_consent_dated_within_the_skew_ahead_loses_to_a_withdrawal_received_after_it()
    {
        var given = Record("cns_given", ConsentStatuses.Given, Now.AddMinutes(4), Now);
        var withdrawn = Record("cns_withdrawn", ConsentStatuses.Withdrawn, Now.AddMinutes(1), Now.AddMinutes(1));

        Assert.Equal(withdrawn, ConsentRules.Deciding([given, withdrawn], TestHub.Demo().FindProvider(TestHub.Basta)!));
    }

    [Fact]
    public void A_consent_dated_years_ahead_counts_from_when_the_hub_received_it()
    {
        var given = Record("cns_given", ConsentStatuses.Given, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), Now);
        var withdrawn = Record("cns_withdrawn", ConsentStatuses.Withdrawn, Now.AddDays(1), Now.AddDays(1));

        Assert.Equal(withdrawn, ConsentRules.Deciding([given, withdrawn], TestHub.Demo().FindProvider(TestHub.Basta)!));
    }

    [Fact]
    public void A_statement_received_late_still_counts_from_when_it_was_made()
    {
        var withdrawn = Record("cns_withdrawn", ConsentStatuses.Withdrawn, Now, Now.AddDays(2));
        var given = Record("cns_given", ConsentStatuses.Given, Now.AddDays(1), Now.AddDays(1));

        Assert.Equal(given, ConsentRules.Deciding([given, withdrawn], TestHub.Demo().FindProvider(TestHub.Basta)!));
    }
}
