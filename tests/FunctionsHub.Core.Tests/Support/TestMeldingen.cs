using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>Normalised meldingen for routing and intake tests; vary them with <c>with</c>.</summary>
public static class TestMeldingen
{
    public const string Bsn = "111222333";

    public static readonly DateTimeOffset ReportedAt = new(2026, 11, 2, 9, 30, 0, TimeSpan.FromHours(1));

    public static Zorgmelding School(int ageYears = 10) => new()
    {
        MeldingId = Identifiers.MeldingId(TestHub.SchoolPartner, "msg_school_1"),
        PartnerId = TestHub.SchoolPartner,
        Feed = Feeds.School,
        ExternalId = "REGENBOOG-2026-0142",
        ReportedAt = ReportedAt,
        ReceivedAt = ReportedAt.AddSeconds(3),
        Child = new Child(Bsn, new DateOnly(2016, 5, 14), "3071AB", "Sam", "Voorbeeld"),
        AgeYears = ageYears,
        Wijk = "noord",
        Referrer = new Referrer("J. de Vries", "intern begeleider", "ib@obs-de-regenboog.example", null),
        Urgency = Urgencies.Normal,
        Description = "Sam trekt zich de laatste weken sterk terug in de klas.",
        Categories = ["wellbeing"],
        School = new SchoolDetails("12AB", "OBS De Regenboog", 6, ["withdrawn"]),
    };

    public static Zorgmelding Police(string incidentType = "shoplifting", string role = "suspect", string? riskLevel = "yellow", int ageYears = 10) => new()
    {
        MeldingId = Identifiers.MeldingId(TestHub.PolicePartner, "msg_police_1"),
        PartnerId = TestHub.PolicePartner,
        Feed = Feeds.Police,
        ExternalId = "BVH-2026-88812",
        ReportedAt = ReportedAt,
        ReceivedAt = ReportedAt.AddSeconds(3),
        Child = new Child("123456782", new DateOnly(2016, 2, 29), "3021CD", null, null),
        AgeYears = ageYears,
        Wijk = "west",
        Referrer = new Referrer("Agent K. Bakker", "jeugdagent", null, "0900-8844"),
        Urgency = Urgencies.Normal,
        AcuteReason = riskLevel == "red" ? "risk-level-red" : incidentType == "domestic-violence" ? "domestic-violence" : null,
        Description = "Aangehouden bij winkeldiefstal.",
        Categories = [Taxonomy.IncidentTypes[incidentType]],
        Police = new PoliceDetails(incidentType, role, ReportedAt.AddHours(-3), "3021CD", riskLevel),
    };

    public static Zorgmelding Welfare(int ageYears = 10) => new()
    {
        MeldingId = Identifiers.MeldingId(TestHub.WelfarePartner, "msg_welfare_1"),
        PartnerId = TestHub.WelfarePartner,
        Feed = Feeds.Welfare,
        ExternalId = "JW-VBS-2026-311",
        ReportedAt = ReportedAt,
        ReceivedAt = ReportedAt.AddSeconds(3),
        Child = new Child(Bsn, new DateOnly(2016, 5, 14), "3071AB", null, null),
        AgeYears = ageYears,
        Wijk = "noord",
        Referrer = new Referrer("M. Yilmaz", "jongerenwerker", "m.yilmaz@jongerenwerk.example", null),
        Urgency = Urgencies.Normal,
        Categories = ["nuisance", "supervision"],
        Welfare = new WelfareDetails("youth-work", "Jongerenwerk Voorbeeldstad", ["hanging-around-late", "group-nuisance"]),
    };

    /// <summary>A school melding reported as acute by the referrer.</summary>
    public static Zorgmelding AcuteSchool() => School() with { Urgency = Urgencies.Acute, AcuteReason = "urgency-acute" };

    public static ConsentStatement Consent(string status, params string[] scope) =>
        new(status, scope, status == "given" ? "parent" : null, ReportedAt.AddDays(-1));
}
