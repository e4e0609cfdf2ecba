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
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static ParseOutcome Parse(JsonElement body, string feed, string partnerId, string meldingId, DateTimeOffset receivedAt, HubDocument document)
    {
        var r = new Reader();
        if (body.ValueKind != JsonValueKind.Object)
        {
            r.Fail("$", "must be a JSON object.");
            return new ParseOutcome.Invalid(r.Errors());
        }

        var externalId = r.String(body, "externalId", required: true, max: 100);
        var reportedAt = r.Timestamp(body, "reportedAt", required: true);
        if (reportedAt > receivedAt + FutureTolerance)
        {
            r.Fail("$.reportedAt", "must not be more than 5 minutes in the future.");
        }

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
            if (birthDate is { } b && b > LocalDate(receivedAt, document.Gemeente.TimeZone))
            {
                r.Fail("$.child.birthDate", "must not be in the future.");
            }

            postcode = r.Postcode(c, "postcode", "$.child.postcode");
            givenName = r.String(c, "givenName", required: false, max: 100, path: "$.child.givenName");
            familyName = r.String(c, "familyName", required: false, max: 100, path: "$.child.familyName");
        }

        var referrer = ReadReferrer(r, body);
        var consent = ReadConsent(r, body);
        var urgency = r.OneOf(body, "urgency", [Urgencies.Normal, Urgencies.Acute], required: false) ?? Urgencies.Normal;
        var description = r.String(body, "description", required: false, max: 4000);

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
                police = ReadPolice(r, body);
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

        var age = AgeInYears(birthDate!.Value, reportedAt!.Value, document.Gemeente.TimeZone);
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

    /// <summary>Whole years at <paramref name="on"/>, as the calendar in the gemeente's time zone counts them.</summary>
    public static int AgeInYears(DateOnly birthDate, DateTimeOffset on, string timeZone)
    {
        var local = LocalDate(on, timeZone);
        var age = local.Year - birthDate.Year;
        return local < birthDate.AddYears(age) ? age - 1 : age;
    }

    /// <summary>The calendar date of an instant in the gemeente's time zone.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, string timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(timeZone)).DateTime);

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

    private static Referrer? ReadReferrer(Reader r, JsonElement body)
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

    private static ConsentStatement? ReadConsent(Reader r, JsonElement body)
    {
        if (r.Object(body, "consent", required: false) is not { } e)
        {
            return null;
        }

        var status = r.OneOf(e, "status", Taxonomy.ConsentStatuses, required: true, path: "$.consent.status");
        var scope = r.StringList(e, "scope", path: "$.consent.scope", required: status == "given", allowed: null);
        var givenBy = r.OneOf(e, "givenBy", Taxonomy.ConsentGivers, required: status == "given", path: "$.consent.givenBy");
        var recordedAt = r.Timestamp(e, "recordedAt", required: status == "given", path: "$.consent.recordedAt");
        foreach (var (id, i) in (scope ?? []).Select((s, i) => (s, i)))
        {
            if (!HubDocumentValidator.IsValidId(id))
            {
                r.Fail($"$.consent.scope[{i}]", "must be 'all', a provider id or a provider kind.");
            }
        }

        return status is null ? null : new ConsentStatement(status, scope ?? [], givenBy, recordedAt);
    }

    private static SchoolDetails? ReadSchool(Reader r, JsonElement body)
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

    private static PoliceDetails? ReadPolice(Reader r, JsonElement body)
    {
        var riskLevel = r.OneOf(body, "riskLevel", Taxonomy.RiskLevels, required: false);
        if (r.Object(body, "incident", required: true) is not { } e)
        {
            return null;
        }

        var type = r.OneOf(e, "type", Taxonomy.IncidentTypes.Keys, required: true, path: "$.incident.type");
        var role = r.OneOf(e, "role", Taxonomy.IncidentRoles, required: true, path: "$.incident.role");
        var occurredAt = r.Timestamp(e, "occurredAt", required: true, path: "$.incident.occurredAt");
        var postcode = r.Postcode(e, "postcode", "$.incident.postcode");
        return type is null || role is null || occurredAt is null ? null : new PoliceDetails(type, role, occurredAt.Value, NormalisePostcode(postcode), riskLevel);
    }

    private static WelfareDetails? ReadWelfare(Reader r, JsonElement body)
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

    [GeneratedRegex("^[0-9]{2}[A-Za-z]{2}$")]
    private static partial Regex BrinPattern();

    [GeneratedRegex("^[1-9][0-9]{3} ?[A-Za-z]{2}$")]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9 ()\-]{6,30}$")]
    private static partial Regex PhonePattern();

    /// <summary>Reads fields and collects problems by JSON path; error messages never quote the value.</summary>
    private sealed class Reader
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public bool HasErrors => _errors.Count > 0;

        public IReadOnlyDictionary<string, string[]> Errors() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

        public void Fail(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var list))
            {
                _errors[path] = list = [];
            }

            list.Add(message);
        }

        public JsonElement? Object(JsonElement parent, string name, bool required)
        {
            var path = $"$.{name}";
            if (!Present(parent, name, required, path, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                Fail(path, "must be an object.");
                return null;
            }

            return value;
        }

        public string? String(JsonElement parent, string name, bool required, int max = int.MaxValue, string? path = null)
        {
            path ??= $"$.{name}";
            if (!Present(parent, name, required, path, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(path, "must be a string.");
                return null;
            }

            var text = value.GetString()!;
            if (text.Trim().Length == 0)
            {
                Fail(path, "must not be empty.");
                return null;
            }

            if (text.Length > max)
            {
                Fail(path, $"must be at most {max} characters.");
                return null;
            }

            return text;
        }

        public string? OneOf(JsonElement parent, string name, IEnumerable<string> allowed, bool required, string? path = null)
        {
            path ??= $"$.{name}";
            var text = String(parent, name, required, 100, path);
            if (text is not null && !allowed.Contains(text))
            {
                Fail(path, $"must be one of: {string.Join(", ", allowed)}.");
                return null;
            }

            return text;
        }

        public IReadOnlyList<string>? StringList(JsonElement parent, string name, string path, bool required, IEnumerable<string>? allowed)
        {
            if (!Present(parent, name, required, path, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            {
                Fail(path, "must be a non-empty array.");
                return null;
            }

            var items = new List<string>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = $"{path}[{index++}]";
                if (item.ValueKind != JsonValueKind.String)
                {
                    Fail(itemPath, "must be a string.");
                }
                else if (allowed is not null && !allowed.Contains(item.GetString()))
                {
                    Fail(itemPath, $"must be one of: {string.Join(", ", allowed)}.");
                }
                else
                {
                    items.Add(item.GetString()!);
                }
            }

            return items.Distinct().ToArray();
        }

        public DateTimeOffset? Timestamp(JsonElement parent, string name, bool required, string? path = null)
        {
            path ??= $"$.{name}";
            var text = String(parent, name, required, 64, path);
            if (text is null)
            {
                return null;
            }

            // RFC 3339 demands an explicit offset: 'Z' or ±hh:mm.
            if (!Rfc3339Pattern().IsMatch(text)
                || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                Fail(path, "must be an RFC 3339 timestamp with offset, e.g. 2026-11-02T09:30:00+01:00.");
                return null;
            }

            return value;
        }

        public DateOnly? Date(JsonElement parent, string name, string path)
        {
            var text = String(parent, name, required: true, 10, path);
            if (text is null)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                Fail(path, "must be a date as YYYY-MM-DD.");
                return null;
            }

            return value;
        }

        public string? Postcode(JsonElement parent, string name, string path)
        {
            var text = String(parent, name, required: false, 7, path);
            if (text is not null && !PostcodePattern().IsMatch(text))
            {
                Fail(path, "must be a Dutch postcode such as 1234AB or 1234 AB.");
                return null;
            }

            return text;
        }

        public int? Integer(JsonElement parent, string name, int min, int max, string path)
        {
            if (!Present(parent, name, required: true, path, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
            {
                Fail(path, $"must be a whole number from {min} to {max}.");
                return null;
            }

            return number;
        }

        private bool Present(JsonElement parent, string name, bool required, string path, out JsonElement value)
        {
            if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Fail(path, "is required.");
                }

                return false;
            }

            return true;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339Pattern();
}
