using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Routing;

/// <summary>The <c>functionshub.referral.v1</c> envelope a provider's inbox receives.</summary>
public sealed record ReferralMessage
{
    public const string SchemaName = "functionshub.referral.v1";

    public string Schema { get; init; } = SchemaName;
    public required string ReferralId { get; init; }
    public required string MeldingId { get; init; }
    public required string Kind { get; init; }
    public required string Provider { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Feed { get; init; }
    public required PartnerRef Partner { get; init; }
    public required Referrer Referrer { get; init; }
    public required ReferralChild Child { get; init; }
    public required string ConsentBasis { get; init; }
    public required string Urgency { get; init; }
    public required DateTimeOffset RespondBefore { get; init; }

    /// <summary>Present only when <see cref="Kind"/> is <c>referral</c>.</summary>
    public ReferralContent? Content { get; init; }

    /// <summary>Other organisations that reported this child: who, and how to reach their referrer. Never their content.</summary>
    public ReferralMatch? Match { get; init; }

    /// <param name="createdAt">When the referral was first decided; a retry passes the same instant and so sends the same message.</param>
    public static ReferralMessage Create(Zorgmelding melding, ProviderDecision decision, HubDocument document, DateTimeOffset createdAt, ReferralIds referralIds, IReadOnlyList<MatchedPartner>? match = null)
    {
        var provider = document.FindProvider(decision.ProviderId)!;
        var partner = document.FindPartner(melding.PartnerId);
        return new ReferralMessage
        {
            ReferralId = referralIds.For(melding.MeldingId, provider.Id),
            MeldingId = melding.MeldingId,
            Kind = decision.Kind,
            Provider = provider.Id,
            CreatedAt = createdAt,
            Feed = melding.Feed,
            Partner = new PartnerRef(melding.PartnerId, partner?.Name ?? melding.PartnerId),
            Referrer = melding.Referrer,
            Child = new ReferralChild(melding.Child.Bsn, melding.Child.BirthDate, melding.AgeYears, melding.Wijk, melding.Child.GivenName, melding.Child.FamilyName),
            ConsentBasis = decision.ConsentBasis,
            Urgency = melding.IsAcute ? Urgencies.Acute : melding.Urgency,
            RespondBefore = provider.RespondBefore(createdAt),
            Content = decision.Kind == ReferralKinds.Referral ? ReferralContent.From(melding) : null,
            Match = match is { Count: > 0 } ? new ReferralMatch(match.Select(m => new MatchedReferrer(m.PartnerId, m.PartnerName, m.Referrer)).ToArray()) : null,
        };
    }
}

public sealed record ReferralMatch(IReadOnlyList<MatchedReferrer> Partners);

public sealed record MatchedReferrer(string Id, string Name, Referrer Referrer);

public sealed record ReferralChild(string Bsn, DateOnly BirthDate, int AgeYears, string? Wijk, string? GivenName, string? FamilyName);

/// <summary>What a provider learns about the concern itself; only with consent or acute unsafety.</summary>
public sealed record ReferralContent
{
    public required IReadOnlyList<string> Categories { get; init; }
    public string? Description { get; init; }
    public SchoolContent? School { get; init; }
    public IReadOnlyList<string>? Concerns { get; init; }
    public IncidentContent? Incident { get; init; }
    public string? RiskLevel { get; init; }
    public OrganisationContent? Organisation { get; init; }
    public IReadOnlyList<string>? Signals { get; init; }

    public static ReferralContent From(Zorgmelding m) => new()
    {
        Categories = m.Categories,
        Description = m.Description,
        School = m.School is { } s ? new SchoolContent(s.Brin, s.Name, s.Group) : null,
        Concerns = m.School?.Concerns,
        Incident = m.Police is { } p ? new IncidentContent(p.IncidentType, p.Role, p.OccurredAt, p.IncidentPostcode) : null,
        RiskLevel = m.Police?.RiskLevel,
        Organisation = m.Welfare is { } w ? new OrganisationContent(w.OrganisationKind, w.OrganisationName) : null,
        Signals = m.Welfare?.Signals,
    };
}

public sealed record SchoolContent(string Brin, string Name, int Group);

public sealed record IncidentContent(string Type, string Role, DateTimeOffset OccurredAt, string? Postcode);

public sealed record OrganisationContent(string Kind, string Name);
