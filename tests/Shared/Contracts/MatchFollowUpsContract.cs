using FunctionsHub.Core.Matching;

namespace FunctionsHub.Testing.Contracts;

/// <summary>
/// What every <see cref="IMatchFollowUps"/> must do for routing, the referrers' confirmations and the
/// deadlines timer: the first start of a match stays, a referrer's first confirmation stays and the
/// other's is kept beside it, and the due search answers exactly the window asked for. The in-memory
/// fake and the table adapter alike.
/// </summary>
public abstract class MatchFollowUpsContract
{
    private static readonly DateTimeOffset FoundAt = new(2026, 11, 2, 23, 30, 0, 123, TimeSpan.Zero);

    protected abstract IMatchFollowUps FollowUps { get; }

    // Meldingen of their own per test, so the contract can run on one shared table.
    private static MatchFollowUp NewFollowUp(DateTimeOffset? foundAt = null, int days = 10) =>
        MatchFollowUp.Start(
            new MatchSide("obs-de-regenboog", $"mld_{Guid.NewGuid():N}"),
            new MatchSide("jongerenwerk-voorbeeldstad", $"mld_{Guid.NewGuid():N}"),
            foundAt ?? FoundAt,
            days);

    [Fact]
    public async Task A_started_follow_up_is_found_by_its_match_id_with_nobody_confirmed()
    {
        var followUp = NewFollowUp();

        var started = await FollowUps.StartAsync(followUp, CancellationToken.None);
        var found = await FollowUps.FindAsync(followUp.MatchId, CancellationToken.None);

        Assert.NotNull(found);
        foreach (var answer in new[] { started, found })
        {
            Assert.Equal((followUp.MatchId, followUp.First, followUp.Second, followUp.FoundAt, followUp.DueAt), (answer.MatchId, answer.First, answer.Second, answer.FoundAt, answer.DueAt));
            Assert.Empty(answer.Confirmed);
        }
    }

    [Fact]
    public async Task A_match_never_started_is_not_found()
    {
        Assert.Null(await FollowUps.FindAsync(NewFollowUp().MatchId, CancellationToken.None));
    }

    [Fact]
    public async Task Starting_a_match_again_keeps_the_first_deadline_and_the_confirmations()
    {
        var followUp = NewFollowUp();
        await FollowUps.StartAsync(followUp, CancellationToken.None);
        await FollowUps.ConfirmAsync(followUp, followUp.First.PartnerId, FoundAt.AddDays(1), CancellationToken.None);

        // As a run of the other melding would start it: found a day later, so due a day later.
        var again = await FollowUps.StartAsync(followUp with { FoundAt = FoundAt.AddDays(1), DueAt = followUp.DueAt.AddDays(1) }, CancellationToken.None);

        Assert.Equal(followUp.DueAt, again.DueAt);
        var found = (await FollowUps.FindAsync(followUp.MatchId, CancellationToken.None))!;
        Assert.Equal(followUp.DueAt, found.DueAt);
        Assert.Equal(FoundAt.AddDays(1), found.Confirmed[followUp.First.PartnerId]);
        Assert.DoesNotContain(await FollowUps.DueAsync(followUp.DueAt.AddHours(12), followUp.DueAt.AddDays(2), CancellationToken.None), f => f.MatchId == followUp.MatchId);
    }

    [Fact]
    public async Task A_referrers_first_confirmation_stays_and_the_others_is_kept_beside_it()
    {
        var followUp = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);

        var first = await FollowUps.ConfirmAsync(followUp, followUp.Second.PartnerId, FoundAt.AddDays(2), CancellationToken.None);
        var again = await FollowUps.ConfirmAsync(followUp, followUp.Second.PartnerId, FoundAt.AddDays(3), CancellationToken.None);
        var other = await FollowUps.ConfirmAsync(followUp, followUp.First.PartnerId, FoundAt.AddDays(4), CancellationToken.None);

        Assert.Equal((FoundAt.AddDays(2), FoundAt.AddDays(2), FoundAt.AddDays(4)), (first, again, other));
        var found = (await FollowUps.FindAsync(followUp.MatchId, CancellationToken.None))!;
        Assert.Equal(2, found.Confirmed.Count);
        Assert.Equal(FoundAt.AddDays(2), found.Confirmed[followUp.Second.PartnerId]);
        Assert.Equal(FoundAt.AddDays(4), found.Confirmed[followUp.First.PartnerId]);
    }

    [Fact]
    public async Task Both_referrers_confirming_at_the_same_moment_are_both_recorded_each_once()
    {
        var followUp = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            FollowUps.ConfirmAsync(followUp, i % 2 == 0 ? followUp.First.PartnerId : followUp.Second.PartnerId, FoundAt.AddMinutes(i), CancellationToken.None))));

        var found = (await FollowUps.FindAsync(followUp.MatchId, CancellationToken.None))!;
        Assert.Equal(2, found.Confirmed.Count);
        Assert.Single(answers.Where((_, i) => i % 2 == 0).Distinct());
        Assert.Single(answers.Where((_, i) => i % 2 == 1).Distinct());
        Assert.Equal(answers[0], found.Confirmed[followUp.First.PartnerId]);
        Assert.Equal(answers[1], found.Confirmed[followUp.Second.PartnerId]);
    }

    [Fact]
    public async Task The_due_search_answers_the_follow_ups_due_in_the_window_with_their_confirmations_across_days()
    {
        // Due 2026-11-12 23:30 (UTC), 2026-11-13 00:30, 2026-11-13 12:00 and 2026-11-14 00:00.
        var before = await FollowUps.StartAsync(NewFollowUp(FoundAt.AddHours(-1)), CancellationToken.None);
        var atStart = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);
        var nextDay = await FollowUps.StartAsync(NewFollowUp(FoundAt.AddHours(1)), CancellationToken.None);
        var atEnd = await FollowUps.StartAsync(NewFollowUp(FoundAt.AddHours(12.5)), CancellationToken.None);
        await FollowUps.ConfirmAsync(nextDay, nextDay.First.PartnerId, FoundAt.AddDays(1), CancellationToken.None);

        var due = await FollowUps.DueAsync(atStart.DueAt, atEnd.DueAt, CancellationToken.None);

        string[] ours = [before.MatchId, atStart.MatchId, nextDay.MatchId, atEnd.MatchId];
        var found = due.Where(f => ours.Contains(f.MatchId)).ToArray();
        Assert.Equal(new[] { atStart.MatchId, nextDay.MatchId }.Order(StringComparer.Ordinal), found.Select(f => f.MatchId).Order(StringComparer.Ordinal));
        Assert.Equal(FoundAt.AddDays(1), found.Single(f => f.MatchId == nextDay.MatchId).Confirmed[nextDay.First.PartnerId]);
        Assert.Equal(nextDay.First, found.Single(f => f.MatchId == nextDay.MatchId).First);
    }

    [Fact]
    public async Task An_empty_window_answers_nothing()
    {
        var followUp = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);

        Assert.Empty(await FollowUps.DueAsync(followUp.DueAt, followUp.DueAt, CancellationToken.None));
    }

    [Fact]
    public async Task A_withdrawn_follow_up_is_found_and_due_as_withdrawn_keeps_its_first_withdrawal_and_is_not_unattended()
    {
        var followUp = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);
        await FollowUps.ConfirmAsync(followUp, followUp.First.PartnerId, followUp.FoundAt.AddDays(1), CancellationToken.None);
        var at = followUp.FoundAt.AddDays(2);

        await FollowUps.WithdrawAsync(followUp.MatchId, at, CancellationToken.None);
        await FollowUps.WithdrawAsync(followUp.MatchId, at.AddHours(1), CancellationToken.None);
        await FollowUps.WithdrawAsync(NewFollowUp().MatchId, at, CancellationToken.None);

        var found = await FollowUps.FindAsync(followUp.MatchId, CancellationToken.None);
        var due = Assert.Single(await FollowUps.DueAsync(followUp.DueAt.AddMinutes(-1), followUp.DueAt.AddMinutes(1), CancellationToken.None), f => f.MatchId == followUp.MatchId);
        Assert.Equal(at, found!.WithdrawnAt);
        Assert.Equal(at, due.WithdrawnAt);
        Assert.Equal([followUp.First.PartnerId], due.Confirmed.Keys);
        Assert.False(due.Unattended);
    }

    [Fact]
    public async Task A_removed_follow_up_is_neither_found_nor_due_the_others_stay_and_removing_it_again_is_harmless()
    {
        var removed = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);
        var kept = await FollowUps.StartAsync(NewFollowUp(), CancellationToken.None);
        await FollowUps.ConfirmAsync(removed, removed.First.PartnerId, FoundAt.AddDays(1), CancellationToken.None);
        await FollowUps.WithdrawAsync(removed.MatchId, FoundAt.AddDays(2), CancellationToken.None);

        await FollowUps.RemoveAsync(removed.MatchId, CancellationToken.None);
        await FollowUps.RemoveAsync(removed.MatchId, CancellationToken.None);
        await FollowUps.RemoveAsync(NewFollowUp().MatchId, CancellationToken.None);

        Assert.Null(await FollowUps.FindAsync(removed.MatchId, CancellationToken.None));
        Assert.NotNull(await FollowUps.FindAsync(kept.MatchId, CancellationToken.None));
        var due = await FollowUps.DueAsync(removed.DueAt.AddMinutes(-1), removed.DueAt.AddMinutes(1), CancellationToken.None);
        Assert.DoesNotContain(due, f => f.MatchId == removed.MatchId);
        Assert.Contains(due, f => f.MatchId == kept.MatchId);
    }
}
