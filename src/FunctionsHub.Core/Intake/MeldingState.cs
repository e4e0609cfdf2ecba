namespace FunctionsHub.Core.Intake;

/// <summary>
/// A melding's way through the hub as its partner reads it, by wire name. Not stored as a field that
/// writers move: it follows from what is stored, so no write can undo a later state. A stored melding
/// is <c>accepted</c> (intake answers 202 only once it is on the intake queue, and a delivery that
/// failed before that is put there by the partner's retry); it is <c>routed</c> once it is in the
/// instroom, which routing writes after its last referral reached its inbox; <c>retracted</c> once its
/// partner took it back (a mark on its instroom record).
/// </summary>
public enum MeldingState
{
    /// <summary>Stored and on its way through routing: the partner has its 202.</summary>
    Accepted,

    /// <summary>Every referral of the decision is in its provider's inbox.</summary>
    Routed,

    /// <summary>Routed, then taken back by its partner: each provider was told, and its referral ended.</summary>
    Retracted,
}

public static class MeldingStates
{
    public static string Name(this MeldingState state) => state switch
    {
        MeldingState.Accepted => "accepted",
        MeldingState.Routed => "routed",
        MeldingState.Retracted => "retracted",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a melding state."),
    };
}
