namespace FunctionsHub.Core.Intake;

/// <summary>
/// One report about one child from one partner, normalised from any feed. It travels on
/// <c>meldingen-intake</c> only; tables hold the content-free <see cref="MeldingRecord"/>.
/// </summary>
public sealed record Zorgmelding
{
    public required string MeldingId { get; init; }
    public required string PartnerId { get; init; }
    public required string Feed { get; init; }
    public required string ExternalId { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required Child Child { get; init; }
    public required int AgeYears { get; init; }
    public string? Wijk { get; init; }
    public required Referrer Referrer { get; init; }
    public ConsentStatement? Consent { get; init; }
    public required string Urgency { get; init; }
    public string? AcuteReason { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public SchoolDetails? School { get; init; }
    public PoliceDetails? Police { get; init; }
    public WelfareDetails? Welfare { get; init; }

    public bool IsAcute => AcuteReason is not null;
}

public sealed record Child(string Bsn, DateOnly BirthDate, string? Postcode, string? GivenName, string? FamilyName);

public sealed record ConsentStatement(string Status, IReadOnlyList<string> Scope, string? GivenBy, DateTimeOffset? RecordedAt);

public sealed record SchoolDetails(string Brin, string Name, int Group, IReadOnlyList<string> Concerns);

public sealed record PoliceDetails(string IncidentType, string Role, DateTimeOffset OccurredAt, string? IncidentPostcode, string? RiskLevel);

public sealed record WelfareDetails(string OrganisationKind, string OrganisationName, IReadOnlyList<string> Signals);
