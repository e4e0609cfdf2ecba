using System.Text.RegularExpressions;

namespace FunctionsHub.Core.Configuration;

/// <summary>Checks a <see cref="HubDocument"/> and lists every problem, so one start-up failure fixes them all.</summary>
public static partial class HubDocumentValidator
{
    public static IReadOnlyList<string> Validate(HubDocument document)
    {
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(document.Gemeente.Name))
        {
            problems.Add("gemeente.name is required.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(document.Gemeente.TimeZone, out _))
        {
            problems.Add($"gemeente.timeZone '{document.Gemeente.TimeZone}' is not a known time zone.");
        }

        if (document.Gemeente.MaxAge is < 0 or > 17)
        {
            problems.Add("gemeente.maxAge must be between 0 and 17.");
        }

        CheckIds(problems, "gemeente.subscribers", document.Gemeente.Subscribers.Select(s => s.Id));
        CheckIds(problems, "wijken", document.Wijken.Select(w => w.Id));
        CheckIds(problems, "partners", document.Partners.Select(p => p.Id));
        CheckIds(problems, "providers", document.Providers.Select(p => p.Id));
        CheckIds(problems, "routing", document.Routing.Select(r => r.Id));
        CheckIds(problems, "campaigns", document.Campaigns.Select(c => c.Id));

        foreach (var (wijk, i) in document.Wijken.Select((w, i) => (w, i)))
        {
            foreach (var postcode in wijk.Postcodes.Where(p => !FourDigits().IsMatch(p)))
            {
                problems.Add($"wijken[{i}].postcodes: '{postcode}' is not four digits.");
            }
        }

        var duplicatePostcodes = document.Wijken.SelectMany(w => w.Postcodes).GroupBy(p => p).Where(g => g.Count() > 1);
        problems.AddRange(duplicatePostcodes.Select(g => $"wijken: postcode '{g.Key}' belongs to more than one wijk."));

        foreach (var (partner, i) in document.Partners.Select((p, i) => (p, i)))
        {
            if (!Feeds.IsKnown(partner.Feed))
            {
                problems.Add($"partners[{i}].feed '{partner.Feed}' is not one of {string.Join(", ", Feeds.All)}.");
            }
        }

        var providerIds = document.Providers.Select(p => p.Id).ToHashSet();
        CheckProvider(problems, "defaultProvider", document.DefaultProvider, providerIds);
        CheckProvider(problems, "acuteProvider", document.AcuteProvider, providerIds);

        foreach (var (provider, i) in document.Providers.Select((p, i) => (p, i)))
        {
            if (provider.FirstContactHours <= 0)
            {
                problems.Add($"providers[{i}].firstContactHours must be positive.");
            }
        }

        var wijkIds = document.Wijken.Select(w => w.Id).ToHashSet();
        foreach (var (rule, i) in document.Routing.Select((r, i) => (r, i)))
        {
            if (rule.To.Count == 0)
            {
                problems.Add($"routing[{i}].to must name at least one provider.");
            }

            foreach (var to in rule.To)
            {
                CheckProvider(problems, $"routing[{i}].to", to, providerIds);
            }

            foreach (var feed in rule.When?.Feeds ?? [])
            {
                if (!Feeds.IsKnown(feed))
                {
                    problems.Add($"routing[{i}].when.feeds: '{feed}' is not a known feed.");
                }
            }

            foreach (var wijk in rule.When?.Wijken ?? [])
            {
                if (!wijkIds.Contains(wijk))
                {
                    problems.Add($"routing[{i}].when.wijken: '{wijk}' is not a wijk in this document.");
                }
            }

            if (rule.When is { MinAge: int min, MaxAge: int max } && min > max)
            {
                problems.Add($"routing[{i}].when: minAge {min} is above maxAge {max}.");
            }
        }

        foreach (var (campaign, i) in document.Campaigns.Select((c, i) => (c, i)))
        {
            foreach (var provider in campaign.Providers)
            {
                CheckProvider(problems, $"campaigns[{i}].providers", provider, providerIds);
            }

            foreach (var feed in campaign.Audience.Feeds.Where(f => !Feeds.IsKnown(f)))
            {
                problems.Add($"campaigns[{i}].audience.feeds: '{feed}' is not a known feed.");
            }
        }

        if (document.Retention.MeldingMonths <= 0)
        {
            problems.Add("retention.meldingMonths must be positive.");
        }

        return problems;
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private static void CheckIds(List<string> problems, string section, IEnumerable<string> ids)
    {
        var seen = new HashSet<string>();
        foreach (var id in ids)
        {
            if (!IsValidId(id))
            {
                problems.Add($"{section}: id '{id}' must be lowercase letters, digits and hyphens.");
            }
            else if (!seen.Add(id))
            {
                problems.Add($"{section}: id '{id}' appears more than once.");
            }
        }
    }

    private static void CheckProvider(List<string> problems, string path, string id, HashSet<string> providerIds)
    {
        if (!providerIds.Contains(id))
        {
            problems.Add($"{path}: '{id}' is not a provider in this document.");
        }
    }

    // Ids become queue names (inbox-{id}): 3-63 characters in total, so at most 57 here.
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?!-)){0,55}[a-z0-9]$|^[a-z0-9]$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex FourDigits();
}
