using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Matching;

namespace FunctionsHub.Core.Routing;

/// <summary>The gemeente's routing rules, the acute override and consent, applied to one melding.</summary>
public static class Router
{
    public const string DefaultProviderReason = "default-provider";
    public const string AcuteProviderReason = "acute-provider";

    /// <param name="consents">The child's consent records, including the one the melding itself carries.</param>
    /// <param name="match">Other partners that reported the child (see <see cref="MatchFinder"/>).</param>
    public static RoutingDecision Decide(
        Zorgmelding melding,
        HubDocument document,
        IReadOnlyList<ConsentRecord> consents,
        IReadOnlyList<MatchedPartner>? match = null,
        DateTimeOffset decidedAt = default)
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
            if (melding.IsAcute && provider.Id == document.AcuteProvider)
            {
                return new ProviderDecision(provider.Id, ReferralKinds.Referral, ConsentBases.AcuteSafety, pair.Value);
            }

            var deciding = ConsentRules.Deciding(consents, provider);
            return deciding is { Status: ConsentStatuses.Given }
                ? new ProviderDecision(provider.Id, ReferralKinds.Referral, ConsentBases.ParentalConsent, pair.Value, deciding.ConsentId)
                : new ProviderDecision(provider.Id, ReferralKinds.Signal, ConsentBases.None, pair.Value, deciding?.ConsentId);
        }).ToArray();

        return new RoutingDecision(providers, matched.Select(r => r.Id).ToArray(), melding.AcuteReason, match ?? [], decidedAt);
    }

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
