namespace FunctionsHub.Core.Intake;

/// <summary>The answer to a partner for an accepted melding.</summary>
public sealed record AcceptedMelding(string MeldingId, string Status = "accepted");
