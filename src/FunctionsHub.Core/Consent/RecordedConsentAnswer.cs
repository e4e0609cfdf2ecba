namespace FunctionsHub.Core.Consent;

/// <summary>
/// The answer to the party that posted the consent. It does not list the notified providers: which
/// interventions a child is in is not the poster's to learn.
/// </summary>
public sealed record RecordedConsentAnswer(string ConsentId, string Status = "recorded");
