namespace FunctionsHub.Core.Intake;

/// <summary>A melding's way through the hub, stored by its wire name (<c>received</c>, <c>accepted</c>, ...).</summary>
public enum MeldingState
{
    /// <summary>Stored, not yet on the intake queue (a crash here is repaired by the partner's retry).</summary>
    Received,

    /// <summary>On the intake queue: the partner has its 202.</summary>
    Accepted,

    /// <summary>Every referral of the decision is in its provider's inbox.</summary>
    Routed,

    /// <summary>Routing gave up (the melding waits on the poison queue for an operator).</summary>
    Failed,
}

/// <summary>
/// Which state may follow which, in one place: the stores move a state only along these edges
/// (compare-and-set), so a late writer cannot undo a later state (intake's "accepted" arriving after
/// routing's "routed").
/// </summary>
public static class MeldingLifecycle
{
    private static readonly Dictionary<MeldingState, MeldingState[]> Next = new()
    {
        [MeldingState.Received] = [MeldingState.Accepted, MeldingState.Routed, MeldingState.Failed],
        [MeldingState.Accepted] = [MeldingState.Routed, MeldingState.Failed],
        // An operator replays a failed melding from the poison queue.
        [MeldingState.Failed] = [MeldingState.Routed],
        [MeldingState.Routed] = [],
    };

    public static bool CanMove(MeldingState from, MeldingState to) => Next[from].Contains(to);

    public static string Name(this MeldingState state) => state switch
    {
        MeldingState.Received => "received",
        MeldingState.Accepted => "accepted",
        MeldingState.Routed => "routed",
        MeldingState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a melding state."),
    };

    public static MeldingState Parse(string name) =>
        Enum.GetValues<MeldingState>().Cast<MeldingState?>().FirstOrDefault(s => s!.Value.Name() == name)
        ?? throw new FormatException($"'{name}' is not a melding state.");
}
