using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Intake;
using System.Text.Json;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;
using FunctionsHub.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsHub.Core.Tests.Intake;

/// <summary>A partner takes back a melding it sent: its providers hear of it once, their referrals end, the instroom counts it as retracted.</summary>
public sealed class MeldingRetractionTests
{
    private static MeldingStatuses Statuses(RoutingWorld world) => new(world.Documents, world.Meldingen, world.Files, world.Instroom, world.ReferralIds);

    private static MeldingRetractions Retractions(RoutingWorld world) =>
        new(world.Meldingen, world.Instroom, world.Files, world.FollowUps, world.Inbox, world.Outbox, world.Ledger, world.Audit, Statuses(world), world.Time, NullLogger<MeldingRetractions>.Instance);

    private static async Task<(RoutingWorld World, Zorgmelding Melding)> RoutedPoliceMeldingAsync()
    {
        var world = new RoutingWorld();
        var melding = await world.AcceptedAsync(TestMeldingen.Police(riskLevel: "red"));
        await world.Routing().RouteAsync(melding, CancellationToken.None);
        Assert.True(world.Instroom.Peek(melding.MeldingId)!.Referrals.Count >= 2);
        return (world, melding);
    }

    [Fact]
    public async Task Each_provider_that_received_it_is_told_once_by_referral_id_and_every_referral_ends_withdrawn_entered_in_error()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();
        var referrals = world.Instroom.Peek(melding.MeldingId)!.Referrals;

        var outcome = await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "wrong-child", CancellationToken.None);

        var status = Assert.IsType<RetractionOutcome.Retracted>(outcome).Status;
        Assert.Equal("retracted", status.State);
        Assert.All(status.Providers, p => Assert.Equal("withdrawn", p.Status));
        Assert.Equal(referrals.Select(r => (r.ProviderId, r.ReferralId)).Order(), world.Inbox.Retractions.Select(n => (n.Provider, n.ReferralId)).Order());
        Assert.All(world.Inbox.Retractions, n => Assert.Equal(("referral-retracted", "wrong-child", melding.MeldingId), (n.Kind, n.Reason, n.MeldingId)));
        Assert.All(world.Instroom.Peek(melding.MeldingId)!.Referrals, r => Assert.Equal((ReferralStatus.Withdrawn, "entered-in-error"), (r.Status!.Value, r.StatusReason)));
        Assert.True(world.Audit.Has(melding.MeldingId, "retracted"));
    }

    [Fact]
    public async Task Retracting_again_changes_nothing_and_tells_no_one_again()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();
        await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "duplicate", CancellationToken.None);
        var after = world.Instroom.Peek(melding.MeldingId)!;
        world.Time.Advance(TimeSpan.FromHours(1));

        var again = await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "other", CancellationToken.None);

        Assert.Equal("retracted", Assert.IsType<RetractionOutcome.Retracted>(again).Status.State);
        Assert.Equal(after.Referrals.Count, world.Inbox.Retractions.Count);
        Assert.Equal(after.Retraction, world.Instroom.Peek(melding.MeldingId)!.Retraction);
    }

    [Fact]
    public async Task A_retraction_that_failed_halfway_is_finished_by_the_retry_with_the_same_notices()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();
        var providers = world.Instroom.Peek(melding.MeldingId)!.Referrals.Count;
        world.Faults.FailAtPoint = "inbox.retracted:after";

        await Assert.ThrowsAsync<IOException>(() => Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "entered-in-error", CancellationToken.None));
        // The partner retries once the claim of the notice that failed has run out.
        world.Time.Advance(MeldingRetractions.NoticeLease);
        await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "entered-in-error", CancellationToken.None);

        var notices = world.Inbox.Retractions;
        Assert.Equal(providers, notices.Select(n => n.Provider).Distinct().Count());
        // The one in flight when it failed may be there twice, under one id: the inbox drops the repeat by it.
        Assert.Equal(providers, notices.Select(n => n.NoticeId).Distinct().Count());
        Assert.Single(notices.Select(n => n.RetractedAt).Distinct());
    }

    [Fact]
    public async Task Another_partner_and_an_unknown_id_get_the_same_unknown_and_nothing_changes()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();

        Assert.IsType<RetractionOutcome.Unknown>(await Retractions(world).RetractAsync(TestHub.SchoolPartner, melding.MeldingId, "other", CancellationToken.None));
        Assert.IsType<RetractionOutcome.Unknown>(await Retractions(world).RetractAsync(melding.PartnerId, "mld_" + new string('0', 32), "other", CancellationToken.None));
        Assert.IsType<RetractionOutcome.Unknown>(await Retractions(world).RetractAsync(melding.PartnerId, "not an id", "other", CancellationToken.None));

        Assert.Null(world.Instroom.Peek(melding.MeldingId)!.Retraction);
        Assert.Empty(world.Inbox.Retractions);
    }

    [Fact]
    public async Task A_reason_not_in_the_list_is_refused_and_a_melding_not_routed_yet_cannot_be_retracted_yet()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();
        var waiting = await world.AcceptedAsync(TestMeldingen.School());

        Assert.IsType<RetractionOutcome.InvalidReason>(await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "changed-my-mind", CancellationToken.None));
        Assert.IsType<RetractionOutcome.InvalidReason>(await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, null, CancellationToken.None));
        Assert.IsType<RetractionOutcome.NotRoutedYet>(await Retractions(world).RetractAsync(waiting.PartnerId, waiting.MeldingId, "duplicate", CancellationToken.None));

        Assert.Null(world.Instroom.Peek(melding.MeldingId)!.Retraction);
        Assert.Empty(world.Inbox.Retractions);
    }

    [Fact]
    public async Task The_digest_counts_a_retracted_melding_as_retracted_and_not_as_instroom()
    {
        var (world, melding) = await RoutedPoliceMeldingAsync();
        var other = await world.AcceptedAsync(TestMeldingen.School());
        await world.Routing().RouteAsync(other, CancellationToken.None);

        await Retractions(world).RetractAsync(melding.PartnerId, melding.MeldingId, "entered-in-error", CancellationToken.None);

        var month = world.Document.Gemeente.Calendar().MonthOf(melding.ReceivedAt);
        var tally = await world.Instroom.TallyAsync(month, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None);
        Assert.Equal(new Dictionary<string, int> { ["school"] = 1 }, tally.Of(MonthTally.Dimensions.Feed));
        Assert.Equal(new Dictionary<string, int> { ["police"] = 1 }, tally.Of(MonthTally.Dimensions.Retracted));
        Assert.Equal([TestHub.Cjg], tally.ByProvider(MonthTally.Dimensions.Kind).Keys);
    }

    [Fact]
    public async Task A_match_it_caused_is_withdrawn_for_the_other_referrer_once_and_never_reported_unattended()
    {
        var world = new RoutingWorld();
        var school = await world.AcceptedAsync(TestMeldingen.School());
        await world.Routing().RouteAsync(school, CancellationToken.None);
        var police = await world.AcceptedAsync(TestMeldingen.Police() with { Child = school.Child });
        await world.Routing().RouteAsync(police, CancellationToken.None);
        var matchId = Identifiers.MatchId(school.MeldingId, police.MeldingId);
        Assert.NotNull(await world.FollowUps.FindAsync(matchId, CancellationToken.None));

        await Retractions(world).RetractAsync(police.PartnerId, police.MeldingId, "wrong-child", CancellationToken.None);
        await Retractions(world).RetractAsync(police.PartnerId, police.MeldingId, "wrong-child", CancellationToken.None);

        var withdrawn = Assert.Single(world.Outbox.SentOfType(NotificationTypes.MatchWithdrawn));
        Assert.Equal((RecipientKinds.Partner, school.PartnerId), (withdrawn.Recipient.Kind, withdrawn.Recipient.Id));
        var data = withdrawn.Notification.Data.Deserialize(HubJson.Default.MatchWithdrawnData)!;
        Assert.Equal((matchId, school.MeldingId), (data.MatchId, data.MeldingId));
        Assert.DoesNotContain(police.MeldingId, withdrawn.Notification.Data.GetRawText());

        // Past the follow-up's deadline, nobody having confirmed: the withdrawn match is not reported.
        world.Time.Advance(TimeSpan.FromDays(world.Document.MatchFollowUpDays + 1));
        await world.MatchFollowUps().CheckAsync(CancellationToken.None);
        Assert.Empty(world.Outbox.SentOfType(NotificationTypes.MatchUnattended));
    }
}
