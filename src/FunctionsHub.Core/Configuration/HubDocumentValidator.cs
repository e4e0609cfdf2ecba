using System.Text.RegularExpressions;

namespace FunctionsHub.Core.Configuration;

/// <summary>
/// Checks a <see cref="HubDocument"/> and lists every problem, so one start-up failure fixes them all.
/// Each problem names its path in the document and the offending value: configuration, never personal data.
/// </summary>
public static partial class HubDocumentValidator
{
    private static readonly Vocabulary KnownFeeds = Vocabulary.OneOf(Feeds.All);
    private static readonly Vocabulary KnownCategories = Vocabulary.OneOf(Taxonomy.Categories);
    private static readonly Vocabulary KnownSchoolConcerns = Vocabulary.OneOf(Taxonomy.SchoolConcerns.Keys);
    private static readonly Vocabulary KnownWelfareSignals = Vocabulary.OneOf(Taxonomy.WelfareSignals.Keys);
    private static readonly Vocabulary KnownIncidentTypes = Vocabulary.OneOf(Taxonomy.IncidentTypes.Keys);
    private static readonly Vocabulary KnownIncidentRoles = Vocabulary.OneOf(Taxonomy.IncidentRoles);
    private static readonly Vocabulary KnownRiskLevels = Vocabulary.OneOf(Taxonomy.RiskLevels);
    private static readonly Vocabulary KnownUrgencies = Vocabulary.OneOf([Urgencies.Normal, Urgencies.Acute]);

    public static IReadOnlyList<string> Validate(HubDocument document)
    {
        document = document.WithDefaults();
        var problems = new List<string>();

        CheckGemeente(problems, document.Gemeente);

        CheckIds(problems, "gemeente.subscribers", document.Gemeente.Subscribers.Select(s => s.Id));
        CheckIds(problems, "wijken", document.Wijken.Select(w => w.Id));
        CheckIds(problems, "partners", document.Partners.Select(p => p.Id));
        CheckIds(problems, "providers", document.Providers.Select(p => p.Id));

        // Partners and providers share Hub:Secrets:{id} and sign as the same kind of party: one id, one party.
        foreach (var id in document.Partners.Select(p => p.Id).Intersect(document.Providers.Select(p => p.Id)))
        {
            problems.Add($"partners and providers: id '{id}' is used by both; each party needs an id of its own (it names its secret).");
        }
        CheckIds(problems, "routing", document.Routing.Select(r => r.Id));
        CheckIds(problems, "campaigns", document.Campaigns.Select(c => c.Id));

        CheckWijken(problems, document.Wijken);
        CheckPartners(problems, document.Partners);
        CheckProviders(problems, document.Providers);
        CheckConsentScopeNames(problems, document.Providers);

        var providers = Vocabulary.InDocument("provider", document.Providers.Select(p => p.Id));
        CheckProviderReference(problems, "defaultProvider", document.DefaultProvider, providers);
        CheckProviderReference(problems, "acuteProvider", document.AcuteProvider, providers);

        var wijken = Vocabulary.InDocument("wijk", document.Wijken.Select(w => w.Id));
        foreach (var (i, rule) in document.Routing.Index())
        {
            CheckRule(problems, $"routing[{i}]", rule, providers, wijken, document.Gemeente.MaxAge);
        }

        foreach (var (i, campaign) in document.Campaigns.Index())
        {
            CheckCampaign(problems, $"campaigns[{i}]", campaign, providers, Vocabulary.InDocument("partner", document.Partners.Select(p => p.Id)));
        }

        if (document.Retention.MeldingMonths <= 0)
        {
            problems.Add($"retention.meldingMonths: {document.Retention.MeldingMonths} must be positive.");
        }

        if (document.Retention.ReferrerMonths <= 0)
        {
            problems.Add($"retention.referrerMonths: {document.Retention.ReferrerMonths} must be positive.");
        }

        if (document.SilentPartnerMonths <= 0)
        {
            problems.Add($"silentPartnerMonths: {document.SilentPartnerMonths} must be positive.");
        }

        if (document.MatchFollowUpDays <= 0)
        {
            problems.Add($"matchFollowUpDays: {document.MatchFollowUpDays} must be positive.");
        }

        return problems;
    }

    /// <summary>The shape of every id in the document (see <see cref="Identifiers.IsDocumentId"/>).</summary>
    public static bool IsValidId(string id) => Identifiers.IsDocumentId(id);

    private static void CheckGemeente(List<string> problems, Gemeente gemeente)
    {
        CheckRequired(problems, "gemeente.name", gemeente.Name);

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(gemeente.TimeZone, out _))
        {
            problems.Add($"gemeente.timeZone '{gemeente.TimeZone}' is not a known time zone.");
        }

        if (gemeente.MaxAge is < 0 or > 17)
        {
            problems.Add($"gemeente.maxAge: {gemeente.MaxAge} must be between 0 and 17.");
        }

        foreach (var (i, subscriber) in gemeente.Subscribers.Index())
        {
            // A subscriber exists only to be called back, unlike a partner, which may just send.
            if (CheckRequired(problems, $"gemeente.subscribers[{i}].callbackUrl", subscriber.CallbackUrl))
            {
                CheckCallbackUrl(problems, $"gemeente.subscribers[{i}].callbackUrl", subscriber.CallbackUrl);
            }
        }
    }

    private static void CheckIds(List<string> problems, string section, IEnumerable<string?> ids)
    {
        var seen = new HashSet<string>();
        foreach (var id in ids)
        {
            if (id is null || !IsValidId(id))
            {
                problems.Add($"{section}: id '{id}' must be lowercase letters, digits and hyphens.");
            }
            else if (!seen.Add(id))
            {
                problems.Add($"{section}: id '{id}' appears more than once.");
            }
        }
    }

    private static void CheckWijken(List<string> problems, IReadOnlyList<Wijk> wijken)
    {
        foreach (var (i, wijk) in wijken.Index())
        {
            CheckRequired(problems, $"wijken[{i}].name", wijk.Name);

            // A missing list reads as null: the same mistake as an empty one.
            var postcodes = wijk.Postcodes ?? [];
            CheckNotEmpty(problems, $"wijken[{i}].postcodes", postcodes, "no melding can be placed in this wijk");
            foreach (var postcode in postcodes.Where(p => p is null || !FourDigits().IsMatch(p)))
            {
                problems.Add($"wijken[{i}].postcodes: '{postcode}' is not four digits.");
            }
        }

        var duplicatePostcodes = wijken.SelectMany(w => w.Postcodes ?? []).GroupBy(p => p).Where(g => g.Count() > 1);
        problems.AddRange(duplicatePostcodes.Select(g => $"wijken: postcode '{g.Key}' belongs to more than one wijk."));
    }

    private static void CheckPartners(List<string> problems, IReadOnlyList<Partner> partners)
    {
        foreach (var (i, partner) in partners.Index())
        {
            CheckValues(problems, $"partners[{i}].feed", [partner.Feed], KnownFeeds);

            if (partner.CallbackUrl is not null)
            {
                CheckCallbackUrl(problems, $"partners[{i}].callbackUrl", partner.CallbackUrl);
            }
        }
    }

    private static void CheckProviders(List<string> problems, IReadOnlyList<Provider> providers)
    {
        foreach (var (i, provider) in providers.Index())
        {
            CheckRequired(problems, $"providers[{i}].name", provider.Name);

            if (CheckRequired(problems, $"providers[{i}].kind", provider.Kind) && !IsValidId(provider.Kind))
            {
                problems.Add($"providers[{i}].kind: '{provider.Kind}' must be lowercase letters, digits and hyphens: kinds are used in consent scopes.");
            }

            if (provider.FirstContactHours <= 0)
            {
                problems.Add($"providers[{i}].firstContactHours: {provider.FirstContactHours} must be positive.");
            }

            if (provider.ExpectedMonthlyInstroom < 0)
            {
                problems.Add($"providers[{i}].expectedMonthlyInstroom: {provider.ExpectedMonthlyInstroom} must not be negative.");
            }

            if (provider.CallbackUrl is not null)
            {
                CheckCallbackUrl(problems, $"providers[{i}].callbackUrl", provider.CallbackUrl);
            }

            if (provider.InfoUrl is not null)
            {
                CheckCallbackUrl(problems, $"providers[{i}].infoUrl", provider.InfoUrl);
            }
        }
    }

    /// <summary>A consent scope names provider ids, provider kinds or <c>all</c>: each name must mean one thing.</summary>
    private static void CheckConsentScopeNames(List<string> problems, IReadOnlyList<Provider> providers)
    {
        foreach (var (i, provider) in providers.Index())
        {
            if (provider.Id == Provider.AllProviders)
            {
                problems.Add($"providers[{i}].id: '{Provider.AllProviders}' is reserved: in a consent scope it means every provider.");
            }
            else if (providers.Where((_, j) => j != i).Any(other => other.Kind == provider.Id))
            {
                problems.Add($"providers[{i}].id: '{provider.Id}' is also the kind of another provider, so a consent scope '{provider.Id}' would be ambiguous.");
            }

            if (provider.Kind == Provider.AllProviders)
            {
                problems.Add($"providers[{i}].kind: '{Provider.AllProviders}' is reserved: in a consent scope it means every provider.");
            }
        }
    }

    private static void CheckProviderReference(List<string> problems, string path, string? id, Vocabulary providers)
    {
        if (CheckRequired(problems, path, id))
        {
            CheckValues(problems, path, [id], providers);
        }
    }

    private static void CheckRule(List<string> problems, string path, RoutingRule rule, Vocabulary providers, Vocabulary wijken, int maxAge)
    {
        var to = rule.To ?? [];
        CheckNotEmpty(problems, $"{path}.to", to, "the rule sends to no provider");
        CheckValues(problems, $"{path}.to", to, providers);

        if (rule.When is { } when)
        {
            CheckConditions(problems, $"{path}.when", when, wijken, maxAge);
        }
    }

    private static void CheckConditions(List<string> problems, string path, RuleConditions when, Vocabulary wijken, int maxAge)
    {
        Condition("feeds", when.Feeds, KnownFeeds);
        Condition("categories", when.Categories, KnownCategories);
        Condition("concerns", when.Concerns, KnownSchoolConcerns);
        Condition("signals", when.Signals, KnownWelfareSignals);
        Condition("incidentTypes", when.IncidentTypes, KnownIncidentTypes);
        Condition("incidentRoles", when.IncidentRoles, KnownIncidentRoles);
        Condition("riskLevels", when.RiskLevels, KnownRiskLevels);
        Condition("wijken", when.Wijken, wijken);
        Condition("urgency", when.Urgency, KnownUrgencies);

        CheckAge(problems, $"{path}.minAge", when.MinAge, maxAge);
        CheckAge(problems, $"{path}.maxAge", when.MaxAge, maxAge);
        if (when is { MinAge: int min, MaxAge: int max } && min > max)
        {
            problems.Add($"{path}: minAge {min} is above maxAge {max}.");
        }

        // An absent condition matches everything; a present one must be able to match something.
        void Condition(string name, IReadOnlyList<string>? values, Vocabulary vocabulary)
        {
            if (values is not null)
            {
                CheckNotEmpty(problems, $"{path}.{name}", values, "the rule can never match");
                CheckValues(problems, $"{path}.{name}", values, vocabulary);
            }
        }
    }

    private static void CheckAge(List<string> problems, string path, int? age, int maxAge)
    {
        if (age is int value && (value < 0 || value > maxAge))
        {
            problems.Add($"{path}: {value} is outside 0 to {maxAge} (gemeente.maxAge).");
        }
    }

    private static void CheckCampaign(List<string> problems, string path, Campaign campaign, Vocabulary providers, Vocabulary partners)
    {
        if (campaign.Audience.Feeds.Count == 0 && campaign.Audience.Partners.Count == 0)
        {
            problems.Add($"{path}.audience: feeds and partners are both empty, so the campaign reaches nobody.");
        }

        CheckValues(problems, $"{path}.audience.feeds", campaign.Audience.Feeds, KnownFeeds);
        CheckValues(problems, $"{path}.audience.partners", campaign.Audience.Partners, partners);
        CheckValues(problems, $"{path}.providers", campaign.Providers, providers);
        CheckRequired(problems, $"{path}.subject", campaign.Subject);
        CheckRequired(problems, $"{path}.body", campaign.Body);

        if (campaign.Period() is null)
        {
            problems.Add($"{path}.every: '{campaign.Every}' is not an ISO 8601 period of whole years, months, weeks or days (such as P3M, P1Y, P2W, P14D).");
        }

        if (campaign.SendTime() is null)
        {
            problems.Add($"{path}.sendAt: '{campaign.SendAt}' is not a local time HH:mm (such as 09:00), in gemeente.timeZone.");
        }

        if (campaign.EndsOn is DateOnly endsOn && endsOn < campaign.StartsOn)
        {
            problems.Add($"{path}.endsOn: {endsOn:yyyy-MM-dd} is before startsOn {campaign.StartsOn:yyyy-MM-dd}.");
        }
    }

    /// <summary>Reports a missing or blank value; answers whether the value is there to be checked further.</summary>
    private static bool CheckRequired(List<string> problems, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{path} is required.");
            return false;
        }

        return true;
    }

    private static void CheckNotEmpty(List<string> problems, string path, IReadOnlyList<string> values, string consequence)
    {
        if (values.Count == 0)
        {
            problems.Add($"{path} is empty, so {consequence}.");
        }
    }

    /// <summary>Reports each value outside the vocabulary: the one loop for every list of names in the document.</summary>
    private static void CheckValues(List<string> problems, string path, IEnumerable<string?> values, Vocabulary vocabulary)
    {
        foreach (var value in values.Where(v => v is null || !vocabulary.Values.Contains(v)))
        {
            problems.Add($"{path}: '{value}' is not {vocabulary.Expected}.");
        }
    }

    private static void CheckCallbackUrl(List<string> problems, string path, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add($"{path}: '{url}' is not an absolute http or https URL.");
        }
    }

    /// <summary>The names a value may take, and how a problem describes them.</summary>
    private sealed record Vocabulary(IReadOnlySet<string> Values, string Expected)
    {
        public static Vocabulary OneOf(IEnumerable<string> values)
        {
            var names = values.ToArray();
            return new(names.ToHashSet(StringComparer.Ordinal), "one of " + string.Join(", ", names));
        }

        public static Vocabulary InDocument(string section, IEnumerable<string> ids) =>
            new(ids.ToHashSet(StringComparer.Ordinal), $"a {section} in this document");
    }

    [GeneratedRegex(@"^[0-9]{4}\z")]
    private static partial Regex FourDigits();
}
