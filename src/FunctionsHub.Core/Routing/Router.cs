using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Routing;

/// <summary>The gemeente's routing rules, the acute override and consent, applied to one melding.</summary>
public static class Router
{
    public const string DefaultProviderReason = "default-provider";
    public const string AcuteProviderReason = "acute-provider";

    public static RoutingDecision Decide(Zorgmelding melding, HubDocument document, ConsentStatement? consent)
    {
        var matched = document.Routing.Where(rule => Matches(rule.When, melding)).ToArray();

        // Insertion order is the order of the decision: acute provider first, then rules in document order.
        var reasons = new Dictionary<string, List<string>>();
        void Add(string providerId, string reason)
        {
            if (!reasons.TryGetValue(providerId, out var list))
            {
                reasons[providerId] = list = [];
            }

            list.Add(reason);
        }

        if (melding.IsAcute)
        {
            Add(document.AcuteProvider, AcuteProviderReason);
        }

        foreach (var rule in matched)
        {
            foreach (var to in rule.To)
            {
                Add(to, rule.Id);
            }
        }

        if (matched.Length == 0)
        {
            Add(document.DefaultProvider, DefaultProviderReason);
        }

        var providers = reasons.Select(pair =>
        {
            var provider = document.FindProvider(pair.Key)
                ?? throw new InvalidOperationException($"Provider '{pair.Key}' is not in the configuration.");
            var (kind, basis) = melding.IsAcute && provider.Id == document.AcuteProvider
                ? (ReferralKinds.Referral, ConsentBases.AcuteSafety)
                : Covers(consent, provider)
                    ? (ReferralKinds.Referral, ConsentBases.ParentalConsent)
                    : (ReferralKinds.Signal, ConsentBases.None);
            return new ProviderDecision(provider.Id, kind, basis, pair.Value);
        }).ToArray();

        return new RoutingDecision(providers, matched.Select(r => r.Id).ToArray(), melding.AcuteReason);
    }

    /// <summary>A given consent covers a provider named by id, by kind, or by <c>all</c>.</summary>
    public static bool Covers(ConsentStatement? consent, Provider provider) =>
        consent is { Status: "given" }
        && consent.Scope.Any(s => s == "all" || s == provider.Id || s == provider.Kind);

    public static bool Matches(RuleConditions? when, Zorgmelding m)
    {
        if (when is null)
        {
            return true;
        }

        return AnyOf(when.Feeds, [m.Feed])
            && AnyOf(when.Categories, m.Categories)
            && AnyOf(when.Concerns, m.School?.Concerns ?? [])
            && AnyOf(when.Signals, m.Welfare?.Signals ?? [])
            && AnyOf(when.IncidentTypes, Maybe(m.Police?.IncidentType))
            && AnyOf(when.IncidentRoles, Maybe(m.Police?.Role))
            && AnyOf(when.RiskLevels, Maybe(m.Police?.RiskLevel))
            && AnyOf(when.Wijken, Maybe(m.Wijk))
            && AnyOf(when.Urgency, [m.Urgency])
            && (when.MinAge is not int min || m.AgeYears >= min)
            && (when.MaxAge is not int max || m.AgeYears <= max);
    }

    private static bool AnyOf(IReadOnlyList<string>? condition, IEnumerable<string> values) =>
        condition is null || condition.Intersect(values).Any();

    private static IEnumerable<string> Maybe(string? value) => value is null ? [] : [value];
}
