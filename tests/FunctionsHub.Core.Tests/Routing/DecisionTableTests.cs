using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Routing;

/// <summary>
/// Consent × acute reason × rule match: for every combination, the kind and consent basis each
/// provider gets. The expectations come from three small tables written out by hand below.
/// </summary>
public sealed class DecisionTableTests
{
    private static readonly DateTimeOffset Day = TestMeldingen.ReportedAt.AddDays(-10);

    /// <summary>Consent situations, and which providers (of the demo document) each lets receive content.</summary>
    private static readonly Dictionary<string, (ConsentRecord[] Records, string[] Covered)> ConsentCases = new()
    {
        ["none"] = ([], []),
        ["given-all"] = ([Record("given", ["all"], 0)], [Cjg, Basta, PakJeKans, AllesKidzzz, Pit, VeiligThuis]),
        ["given-provider-id"] = ([Record("given", [Basta], 0)], [Basta]),
        ["given-provider-kind"] = ([Record("given", ["intervention"], 0)], [Basta, PakJeKans, AllesKidzzz, Pit]),
        ["refused"] = ([Record("refused", ["all"], 0)], []),
        ["not-asked"] = ([Record("not-asked", ["all"], 0)], []),
        ["withdrawn-after-given"] = ([Record("given", ["all"], 0), Record("withdrawn", ["all"], 1)], []),
        ["given-after-refused"] = ([Record("refused", ["all"], 0), Record("given", ["all"], 1)], [Cjg, Basta, PakJeKans, AllesKidzzz, Pit, VeiligThuis]),
        ["withdrawn-for-basta-only"] = ([Record("given", ["all"], 0), Record("withdrawn", [Basta], 1)], [Cjg, PakJeKans, AllesKidzzz, Pit, VeiligThuis]),
        ["refusal-and-consent-at-the-same-time"] = ([Record("given", ["all"], 0), Record("refused", ["all"], 0)], []),
    };

    /// <summary>Acute reasons: how a police melding becomes acute (or not).</summary>
    private static readonly Dictionary<string, Func<Zorgmelding>> AcuteCases = new()
    {
        ["not-acute"] = () => TestMeldingen.Police(),
        ["urgency-acute"] = () => TestMeldingen.Police() with { Urgency = Urgencies.Acute, AcuteReason = "urgency-acute" },
        ["risk-level-red"] = () => TestMeldingen.Police(riskLevel: "red"),
        ["domestic-violence"] = () => TestMeldingen.Police(incidentType: "domestic-violence", role: "victim"),
    };

    /// <summary>Rule situations, and the providers they select for a non-acute police melding about a 10-year-old in west.</summary>
    private static readonly Dictionary<string, (RoutingRule[] Rules, Func<Zorgmelding, string[]> Selected)> RuleCases = new()
    {
        ["no-rule-matches"] = ([Rule("school-only", AllesKidzzz, new RuleConditions { Feeds = [Feeds.School] })], _ => [Cjg]),
        ["one-rule-matches"] = ([Rule("police", Basta, new RuleConditions { Feeds = [Feeds.Police] })], _ => [Basta]),
        ["two-rules-one-provider"] = ([Rule("police", Basta, new RuleConditions { Feeds = [Feeds.Police] }), Rule("west", Basta, new RuleConditions { Wijken = ["west"] })], _ => [Basta]),
        ["demo-rules"] = (Demo().Routing.ToArray(), m => m.Police!.IncidentType == "domestic-violence" ? [Cjg] : [Basta, PakJeKans, Pit]),
    };

    public static TheoryData<string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var consent in ConsentCases.Keys)
        {
            foreach (var acute in AcuteCases.Keys)
            {
                foreach (var rules in RuleCases.Keys)
                {
                    data.Add(consent, acute, rules);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Each_provider_gets_the_kind_and_consent_basis_the_tables_say(string consentCase, string acuteCase, string ruleCase)
    {
        var (records, covered) = ConsentCases[consentCase];
        var melding = AcuteCases[acuteCase]();
        var (rules, selected) = RuleCases[ruleCase];

        var decision = Router.Decide(melding, WithRules(rules), records);

        var expected = new List<string>();
        if (melding.IsAcute)
        {
            expected.Add($"{VeiligThuis}:referral:acute-safety");
        }

        foreach (var provider in selected(melding).Where(p => !(melding.IsAcute && p == VeiligThuis)))
        {
            expected.Add(covered.Contains(provider) ? $"{provider}:referral:parental-consent" : $"{provider}:signal:none");
        }

        Assert.Equal(expected, decision.Providers.Select(p => $"{p.ProviderId}:{p.Kind}:{p.ConsentBasis}"));
        Assert.Equal(melding.AcuteReason, decision.AcuteReason);
    }

    private static ConsentRecord Record(string status, string[] scope, int days) =>
        new($"cns_{status}_{string.Join("-", scope)}_{days}", status, scope, "parent", Day.AddDays(days), "test");
}
