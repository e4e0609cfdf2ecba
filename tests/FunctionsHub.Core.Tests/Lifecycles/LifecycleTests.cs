using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Tests.Lifecycles;

/// <summary>The allowed moves of a melding's state and a referral's status, over every pair of states.</summary>
public sealed class LifecycleTests
{
    private static readonly ReferralStatus[] Progress =
        [ReferralStatus.Received, ReferralStatus.Contacted, ReferralStatus.IntakeCompleted, ReferralStatus.InterventionStarted, ReferralStatus.Completed];

    private static readonly ReferralStatus[] Endings = [ReferralStatus.Declined, ReferralStatus.NoContact, ReferralStatus.Withdrawn];

    public static TheoryData<ReferralStatus, ReferralStatus> EveryPair()
    {
        var data = new TheoryData<ReferralStatus, ReferralStatus>();
        foreach (var from in Enum.GetValues<ReferralStatus>())
        {
            foreach (var to in Enum.GetValues<ReferralStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_referral_moves_forward_or_to_an_ending_while_open_and_never_after_an_end(ReferralStatus from, ReferralStatus to)
    {
        var open = !Endings.Contains(from) && from != ReferralStatus.Completed;
        var forward = Progress.Contains(to) && Array.IndexOf(Progress, to) > Array.IndexOf(Progress, from);
        var expected = open && (forward || Endings.Contains(to));

        Assert.Equal(expected, ReferralLifecycle.CanMove(from, to));
    }

    [Fact]
    public void Any_status_may_be_the_first_one_reported()
    {
        Assert.All(Enum.GetValues<ReferralStatus>(), to => Assert.True(ReferralLifecycle.CanMove(null, to)));
    }

    [Fact]
    public void A_provider_may_skip_forward_but_not_go_back()
    {
        Assert.True(ReferralLifecycle.CanMove(ReferralStatus.Received, ReferralStatus.InterventionStarted));
        Assert.False(ReferralLifecycle.CanMove(ReferralStatus.InterventionStarted, ReferralStatus.Contacted));
        Assert.False(ReferralLifecycle.CanMove(ReferralStatus.Contacted, ReferralStatus.Contacted));
    }

    [Fact]
    public void Only_the_endings_take_reasons_and_each_has_the_spec_list()
    {
        Assert.Equal(["not-in-target-group", "capacity", "family-refused", "other-help-in-place", "other"], ReferralLifecycle.ReasonsFor(ReferralStatus.Declined));
        Assert.Equal(["unreachable", "moved", "other"], ReferralLifecycle.ReasonsFor(ReferralStatus.NoContact));
        Assert.Equal(["consent-withdrawn", "entered-in-error", "other"], ReferralLifecycle.ReasonsFor(ReferralStatus.Withdrawn));
        Assert.All(Progress, status => Assert.Empty(ReferralLifecycle.ReasonsFor(status)));
    }

    [Fact]
    public void Statuses_have_the_wire_names_of_the_contract_and_parse_back()
    {
        Assert.Equal(
            ["received", "contacted", "intake-completed", "intervention-started", "completed", "declined", "no-contact", "withdrawn"],
            Enum.GetValues<ReferralStatus>().Select(s => s.Name()));
        Assert.All(Enum.GetValues<ReferralStatus>(), s => Assert.Equal(s, ReferralLifecycle.Parse(s.Name())));
        Assert.Null(ReferralLifecycle.Parse("Contacted"));
        Assert.Null(ReferralLifecycle.Parse(null));
    }

    [Fact]
    public void Melding_states_have_the_wire_names_of_the_contract()
    {
        Assert.Equal(["accepted", "routed", "retracted"], Enum.GetValues<MeldingState>().Select(s => s.Name()));
    }

    [Fact]
    public void Dispatch_states_have_their_stored_names_and_parse_back()
    {
        Assert.Equal(["pending", "sent"], Enum.GetValues<DispatchState>().Select(s => s.Name()));
        Assert.All(Enum.GetValues<DispatchState>(), s => Assert.Equal(s, DispatchStates.Parse(s.Name())));
        Assert.Throws<FormatException>(() => DispatchStates.Parse("Sent"));
    }
}
