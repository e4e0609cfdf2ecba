using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.Intake;

/// <summary>What became of a melding body: a <see cref="Zorgmelding"/>, or why not.</summary>
public abstract record ParseOutcome
{
    private ParseOutcome() { }

    public sealed record Parsed(Zorgmelding Melding) : ParseOutcome;

    /// <summary>Field problems by JSON path. Messages never repeat the submitted value.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : ParseOutcome;

    public sealed record OutsideTargetGroup(int AgeYears, int MaxAge) : ParseOutcome;
}

/// <summary>Validates a feed's JSON body and normalises it into a <see cref="Zorgmelding"/>, listing every problem at once.</summary>
public static partial class MeldingParser
{
    public static ParseOutcome Parse(JsonElement body, string feed, string partnerId, string meldingId, DateTimeOffset receivedAt, HubDocument document)
    {
        var r = new JsonFieldReader();
        if (!r.IsObject(body))
        {
            return new ParseOutcome.Invalid(r.Errors());
        }

        if (!r.CheckStructure(body))
        {
            return new ParseOutcome.Invalid(r.Errors());
        }

        var calendar = document.Gemeente.Calendar();

        var externalId = r.String(body, "externalId", required: true, max: 100);
        var reportedAt = r.Timestamp(body, "reportedAt", required: true);
        r.NotInFuture(reportedAt, receivedAt, "$.reportedAt");

        var child = r.Object(body, "child", required: true);
        string? bsn = null, postcode = null, givenName = null, familyName = null;
        DateOnly? birthDate = null;
        if (child is { } c)
        {
            bsn = r.String(c, "bsn", required: true, path: "$.child.bsn");
            if (bsn is not null && !Bsn.IsValid(bsn))
            {
                r.Fail("$.child.bsn", "must be 9 digits passing the elfproef.");
            }

            birthDate = r.Date(c, "birthDate", "$.child.birthDate");
            if (birthDate is { } b && b > calendar.DateOf(receivedAt))
            {
                r.Fail("$.child.birthDate", "must not be in the future.");
            }
            else if (birthDate is { } born && reportedAt is { } reported && born > calendar.DateOf(reported))
            {
                r.Fail("$.child.birthDate", "must not be after reportedAt.");
            }

            postcode = r.Postcode(c, "postcode", "$.child.postcode");
            givenName = r.String(c, "givenName", required: false, max: 100, path: "$.child.givenName");
            familyName = r.String(c, "familyName", required: false, max: 100, path: "$.child.familyName");
        }

        var referrer = ReadReferrer(r, body);
        var consent = ReadConsent(r, body, receivedAt);
        var urgency = r.OneOf(body, "urgency", [Urgencies.Normal, Urgencies.Acute], required: false) ?? Urgencies.Normal;
        var description = r.String(body, "description", required: false, max: 4000, multiline: true);

        SchoolDetails? school = null;
        PoliceDetails? police = null;
        WelfareDetails? welfare = null;
        IReadOnlyList<string> categories = [];
        switch (feed)
        {
            case Feeds.School:
                school = ReadSchool(r, body);
                categories = Categorise(school?.Concerns, Taxonomy.SchoolConcerns);
                break;
            case Feeds.Police:
                police = ReadPolice(r, body, receivedAt, birthDate, calendar);
                categories = Categorise(police is null ? null : [police.IncidentType], Taxonomy.IncidentTypes);
                break;
            case Feeds.Welfare:
                welfare = ReadWelfare(r, body);
                categories = Categorise(welfare?.Signals, Taxonomy.WelfareSignals);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(feed), feed, "Not a known feed.");
        }

        if (r.HasErrors)
        {
            return new ParseOutcome.Invalid(r.Errors());
        }

        var age = calendar.AgeInYears(birthDate!.Value, reportedAt!.Value);
        if (age > document.Gemeente.MaxAge)
        {
            return new ParseOutcome.OutsideTargetGroup(age, document.Gemeente.MaxAge);
        }

        return new ParseOutcome.Parsed(new Zorgmelding
        {
            MeldingId = meldingId,
            PartnerId = partnerId,
            Feed = feed,
            ExternalId = externalId!,
            ReportedAt = reportedAt.Value,
            ReceivedAt = receivedAt,
            Child = new Child(bsn!, birthDate.Value, NormalisePostcode(postcode), givenName, familyName),
            AgeYears = age,
            Wijk = document.FindWijk(NormalisePostcode(postcode))?.Id,
            Referrer = referrer!,
            Consent = consent,
            Urgency = urgency,
            AcuteReason = AcuteReason(urgency, police),
            Description = description,
            Categories = categories,
            School = school,
            Police = police,
            Welfare = welfare,
        });
    }

    /// <summary>Why a melding is acute per the spec, or null when it is not.</summary>
    private static string? AcuteReason(string urgency, PoliceDetails? police) => (urgency, police) switch
    {
        (Urgencies.Acute, _) => "urgency-acute",
        (_, { RiskLevel: "red" }) => "risk-level-red",
        (_, { IncidentType: "domestic-violence" }) => "domestic-violence",
        _ => null,
    };

    private static IReadOnlyList<string> Categorise(IReadOnlyList<string>? values, IReadOnlyDictionary<string, string> map) =>
        values is null ? [] : values.Select(v => map[v]).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static Referrer? ReadReferrer(JsonFieldReader r, JsonElement body)
    {
        if (r.Object(body, "referrer", required: true) is not { } e)
        {
            return null;
        }

        var name = r.String(e, "name", required: true, max: 200, path: "$.referrer.name");
        var role = r.String(e, "role", required: false, max: 100, path: "$.referrer.role");
        var email = r.String(e, "email", required: false, max: 254, path: "$.referrer.email");
        var phone = r.String(e, "phone", required: false, max: 30, path: "$.referrer.phone");
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            r.Fail("$.referrer.email", "must be an e-mail address.");
        }

        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            r.Fail("$.referrer.phone", "must be a phone number of digits, spaces, '+', '-' and parentheses.");
        }

        if (email is null && phone is null)
        {
            r.Fail("$.referrer", "needs an email or a phone.");
        }

        return name is null ? null : new Referrer(name, role, email, phone);
    }

    private static ConsentStatement? ReadConsent(JsonFieldReader r, JsonElement body, DateTimeOffset receivedAt)
    {
        if (r.Object(body, "consent", required: false) is not { } e)
        {
            return null;
        }

        var status = r.OneOf(e, "status", Taxonomy.ConsentStatuses, required: true, path: "$.consent.status");
        var scope = r.Scope(e, "scope", "$.consent.scope", required: status == "given");
        var givenBy = r.OneOf(e, "givenBy", Taxonomy.ConsentGivers, required: status == "given", path: "$.consent.givenBy");
        var recordedAt = r.Timestamp(e, "recordedAt", required: status == "given", path: "$.consent.recordedAt");
        r.NotInFuture(recordedAt, receivedAt, "$.consent.recordedAt");

        return status is null ? null : new ConsentStatement(status, scope ?? [], givenBy, recordedAt);
    }

    private static SchoolDetails? ReadSchool(JsonFieldReader r, JsonElement body)
    {
        var concerns = r.StringList(body, "concerns", path: "$.concerns", required: true, allowed: Taxonomy.SchoolConcerns.Keys);
        if (r.Object(body, "school", required: true) is not { } e)
        {
            return null;
        }

        var brin = r.String(e, "brin", required: true, path: "$.school.brin");
        if (brin is not null && !BrinPattern().IsMatch(brin))
        {
            r.Fail("$.school.brin", "must be 2 digits followed by 2 letters.");
        }

        var name = r.String(e, "name", required: true, max: 200, path: "$.school.name");
        var group = r.Integer(e, "group", 1, 8, "$.school.group");
        return brin is null || name is null || group is null || concerns is null ? null : new SchoolDetails(brin.ToUpperInvariant(), name, group.Value, concerns);
    }

    private static PoliceDetails? ReadPolice(JsonFieldReader r, JsonElement body, DateTimeOffset receivedAt, DateOnly? birthDate, GemeenteCalendar calendar)
    {
        var riskLevel = r.OneOf(body, "riskLevel", Taxonomy.RiskLevels, required: false);
        if (r.Object(body, "incident", required: true) is not { } e)
        {
            return null;
        }

        var type = r.OneOf(e, "type", Taxonomy.IncidentTypes.Keys, required: true, path: "$.incident.type");
        var role = r.OneOf(e, "role", Taxonomy.IncidentRoles, required: true, path: "$.incident.role");
        var occurredAt = r.Timestamp(e, "occurredAt", required: true, path: "$.incident.occurredAt");
        r.NotInFuture(occurredAt, receivedAt, "$.incident.occurredAt");
        if (occurredAt is { } at && birthDate is { } born && calendar.DateOf(at) < born)
        {
            r.Fail("$.incident.occurredAt", "must not be before the child's birth date.");
        }

        var postcode = r.Postcode(e, "postcode", "$.incident.postcode");
        return type is null || role is null || occurredAt is null ? null : new PoliceDetails(type, role, occurredAt.Value, NormalisePostcode(postcode), riskLevel);
    }

    private static WelfareDetails? ReadWelfare(JsonFieldReader r, JsonElement body)
    {
        var signals = r.StringList(body, "signals", path: "$.signals", required: true, allowed: Taxonomy.WelfareSignals.Keys);
        if (r.Object(body, "organisation", required: true) is not { } e)
        {
            return null;
        }

        var kind = r.OneOf(e, "kind", Taxonomy.OrganisationKinds, required: true, path: "$.organisation.kind");
        var name = r.String(e, "name", required: true, max: 200, path: "$.organisation.name");
        return kind is null || name is null || signals is null ? null : new WelfareDetails(kind, name, signals);
    }

    private static string? NormalisePostcode(string? postcode) => postcode?.Replace(" ", "").ToUpperInvariant();

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[0-9]{2}[A-Za-z]{2}\z")]
    private static partial Regex BrinPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ()\-]{6,30}\z")]
    private static partial Regex PhonePattern();
}
