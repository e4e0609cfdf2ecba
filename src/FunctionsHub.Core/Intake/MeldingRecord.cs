namespace FunctionsHub.Core.Intake;

/// <summary>
/// What the hub keeps about a melding in its tables: ids, dates, codes and the child pseudonym.
/// No BSN, name, birth date or free text can be expressed here.
/// </summary>
public sealed record MeldingRecord
{
    public required string MeldingId { get; init; }
    public required string PartnerId { get; init; }
    public required string Feed { get; init; }
    public required string BodyFingerprint { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required int AgeYears { get; init; }
    public string? Wijk { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public required string Urgency { get; init; }
    public string? AcuteReason { get; init; }
    public required string ChildPseudonym { get; init; }

    public static MeldingRecord From(Zorgmelding melding, string bodyFingerprint, string childPseudonym) => new()
    {
        MeldingId = melding.MeldingId,
        PartnerId = melding.PartnerId,
        Feed = melding.Feed,
        BodyFingerprint = bodyFingerprint,
        ReceivedAt = melding.ReceivedAt,
        ReportedAt = melding.ReportedAt,
        AgeYears = melding.AgeYears,
        Wijk = melding.Wijk,
        Categories = melding.Categories,
        Urgency = melding.Urgency,
        AcuteReason = melding.AcuteReason,
        ChildPseudonym = childPseudonym,
    };
}
