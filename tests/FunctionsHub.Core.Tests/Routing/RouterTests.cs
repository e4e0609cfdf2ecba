using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;
using static FunctionsHub.Core.Tests.Support.TestHub;

namespace FunctionsHub.Core.Tests.Routing;

public sealed class RouterTests
{
    private static IReadOnlyList<string> ProvidersFor(Zorgmelding melding, HubDocument document) =>
        Decide(melding, document, melding.Consent).Providers.Select(p => p.ProviderId).ToArray();

    /// <summary>The router with the child's consent as the melding would carry it (the registry holds nothing else here).</summary>
    private static RoutingDecision Decide(Zorgmelding melding, HubDocument document, ConsentStatement? consent) =>
        Router.Decide(melding, document, ConsentRecord.FromMelding(melding with { Consent = consent }) is { } record ? [record] : []);

    private static ProviderDecision DecisionFor(RoutingDecision decision, string providerId) =>
        Assert.Single(decision.Providers, p => p.ProviderId == providerId);

    [Fact]
    public void A_rule_on_feeds_matches_a_melding_from_one_of_them()
    {
        var document = WithRules(Rule("police-only", Basta, new RuleConditions { Feeds = [Feeds.Police, Feeds.Welfare] }));

        Assert.Equal([Basta], ProvidersFor(TestMeldingen.Police(), document));
    }

    [Fact]
    public void A_rule_on_feeds_does_not_match_another_feed()
    {
        var document = WithRules(Rule("police-only", Basta, new RuleConditions { Feeds = [Feeds.Police] }));

        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.School(), document));
    }

    [Fact]
    public void A_rule_on_categories_matches_when_any_category_is_listed()
    {
        var document = WithRules(Rule("street", PakJeKans, new RuleConditions { Categories = ["weapons", "supervision"] }));

        Assert.Equal([PakJeKans], ProvidersFor(TestMeldingen.Welfare(), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.School(), document));
    }

    [Fact]
    public void A_rule_on_incident_roles_matches_only_that_role()
    {
        var document = WithRules(Rule("suspects", Basta, new RuleConditions { IncidentRoles = ["suspect"] }));

        Assert.Equal([Basta], ProvidersFor(TestMeldingen.Police(role: "suspect"), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.Police(role: "victim"), document));
    }

    [Fact]
    public void A_rule_on_incident_roles_never_matches_a_melding_without_an_incident()
    {
        var document = WithRules(Rule("suspects", Basta, new RuleConditions { IncidentRoles = ["suspect"] }));

        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.School(), document));
    }

    [Fact]
    public void A_rule_on_concerns_signals_incident_types_and_risk_levels_reads_the_feed_details()
    {
        var document = WithRules(
            Rule("concerns", AllesKidzzz, new RuleConditions { Concerns = ["withdrawn"] }),
            Rule("signals", PakJeKans, new RuleConditions { Signals = ["group-nuisance"] }),
            Rule("types", Basta, new RuleConditions { IncidentTypes = ["shoplifting"], RiskLevels = ["yellow"] }));

        Assert.Equal([AllesKidzzz], ProvidersFor(TestMeldingen.School(), document));
        Assert.Equal([PakJeKans], ProvidersFor(TestMeldingen.Welfare(), document));
        Assert.Equal([Basta], ProvidersFor(TestMeldingen.Police(), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.Police(riskLevel: "white"), document));
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(11, true)]
    public void Min_age_is_inclusive(int age, bool matches)
    {
        var document = WithRules(Rule("eight-plus", Basta, new RuleConditions { MinAge = 8 }));

        Assert.Equal(matches ? Basta : Cjg, Assert.Single(ProvidersFor(TestMeldingen.Police(ageYears: age), document)));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void Max_age_is_inclusive(int age, bool matches)
    {
        var document = WithRules(Rule("up-to-ten", Basta, new RuleConditions { MaxAge = 10 }));

        Assert.Equal(matches ? Basta : Cjg, Assert.Single(ProvidersFor(TestMeldingen.Police(ageYears: age), document)));
    }

    [Fact]
    public void A_rule_on_wijken_matches_only_meldingen_from_those_wijken()
    {
        var document = WithRules(Rule("west", Pit, new RuleConditions { Wijken = ["west", "zuid"] }));

        Assert.Equal([Pit], ProvidersFor(TestMeldingen.Police(), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.School(), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.Police() with { Wijk = null }, document));
    }

    [Fact]
    public void A_rule_on_urgency_matches_only_that_urgency()
    {
        var document = WithRules(Rule("normal-only", AllesKidzzz, new RuleConditions { Urgency = [Urgencies.Normal] }));

        Assert.Equal([AllesKidzzz], ProvidersFor(TestMeldingen.School(), document));
        Assert.DoesNotContain(AllesKidzzz, ProvidersFor(TestMeldingen.AcuteSchool(), document));
    }

    [Fact]
    public void Every_condition_of_a_rule_must_hold()
    {
        var document = WithRules(Rule("police-offence", Basta, new RuleConditions { Feeds = [Feeds.Police], IncidentRoles = ["suspect"], MinAge = 8 }));

        Assert.Equal([Basta], ProvidersFor(TestMeldingen.Police(ageYears: 8), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.Police(ageYears: 7), document));
        Assert.Equal([Cjg], ProvidersFor(TestMeldingen.Police(role: "witness", ageYears: 9), document));
    }

    [Fact]
    public void A_rule_without_conditions_matches_every_melding()
    {
        var document = WithRules(Rule("everyone", Pit, null));

        Assert.All([TestMeldingen.School(), TestMeldingen.Police(), TestMeldingen.Welfare()], m => Assert.Equal([Pit], ProvidersFor(m, document)));
    }

    [Fact]
    public void A_rule_with_an_empty_when_matches_every_melding()
    {
        var document = WithRules(Rule("everyone", Pit, new RuleConditions()));

        Assert.All([TestMeldingen.School(), TestMeldingen.Police(), TestMeldingen.Welfare()], m => Assert.Equal([Pit], ProvidersFor(m, document)));
    }

    [Fact]
    public void No_matching_rule_sends_the_melding_to_the_default_provider()
    {
        var document = WithRules(Rule("police-only", Basta, new RuleConditions { Feeds = [Feeds.Police] }));

        var decision = Decide(TestMeldingen.School(), document, null);

        var only = Assert.Single(decision.Providers);
        Assert.Equal(Cjg, only.ProviderId);
        Assert.Equal([Router.DefaultProviderReason], only.Reasons);
        Assert.Equal("default-provider", Router.DefaultProviderReason);
        Assert.Empty(decision.MatchedRules);
    }

    [Fact]
    public void A_matching_rule_replaces_the_default_provider()
    {
        var document = WithRules(Rule("everyone", Pit, null));

        Assert.DoesNotContain(Cjg, ProvidersFor(TestMeldingen.School(), document));
    }

    [Fact]
    public void Every_matching_rule_adds_its_providers_in_document_order()
    {
        var document = WithRules(
            Rule("first", Basta, new RuleConditions { Feeds = [Feeds.Police] }),
            Rule("not-matching", AllesKidzzz, new RuleConditions { Feeds = [Feeds.School] }),
            new RoutingRule("second", [Pit, PakJeKans], new RuleConditions { Categories = ["delinquency"] }));

        var decision = Decide(TestMeldingen.Police(), document, null);

        Assert.Equal([Basta, Pit, PakJeKans], decision.Providers.Select(p => p.ProviderId));
        Assert.Equal(["first", "second"], decision.MatchedRules);
    }

    [Fact]
    public void A_provider_named_by_two_matching_rules_receives_the_melding_once_with_both_reasons()
    {
        var document = WithRules(
            Rule("police-offence", Basta, new RuleConditions { Feeds = [Feeds.Police] }),
            Rule("delinquency", Basta, new RuleConditions { Categories = ["delinquency"] }));

        var decision = Decide(TestMeldingen.Police(), document, null);

        var basta = Assert.Single(decision.Providers);
        Assert.Equal(Basta, basta.ProviderId);
        Assert.Equal(["police-offence", "delinquency"], basta.Reasons);
    }

    [Fact]
    public void The_demo_routing_sends_a_shoplifting_suspect_in_west_to_basta_pak_je_kans_and_pit()
    {
        Assert.Equal([Basta, PakJeKans, Pit], ProvidersFor(TestMeldingen.Police(), Demo()));
    }

    [Fact]
    public void Referral_with_parental_consent_when_consent_covers_all_providers()
    {
        var decision = Decide(TestMeldingen.Police(), Demo(), TestMeldingen.Consent("given", "all"));

        Assert.All(decision.Providers, p =>
        {
            Assert.Equal(ReferralKinds.Referral, p.Kind);
            Assert.Equal(ConsentBases.ParentalConsent, p.ConsentBasis);
        });
    }

    [Fact]
    public void Referral_only_for_the_provider_named_in_the_consent_scope()
    {
        var decision = Decide(TestMeldingen.Police(), Demo(), TestMeldingen.Consent("given", Basta));

        Assert.Equal((ReferralKinds.Referral, ConsentBases.ParentalConsent), Of(DecisionFor(decision, Basta)));
        Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(DecisionFor(decision, Pit)));
        Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(DecisionFor(decision, PakJeKans)));
    }

    [Fact]
    public void Referral_for_every_provider_of_the_kind_named_in_the_consent_scope()
    {
        var document = WithRules(new RoutingRule("both", [Cjg, Basta], null));

        var decision = Decide(TestMeldingen.School(), document, TestMeldingen.Consent("given", "intervention"));

        Assert.Equal((ReferralKinds.Referral, ConsentBases.ParentalConsent), Of(DecisionFor(decision, Basta)));
        Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(DecisionFor(decision, Cjg)));
    }

    [Theory]
    [InlineData("refused", "all")]
    [InlineData("not-asked", "all")]
    [InlineData("given", "wijkteam")]
    [InlineData("given", "pit")]
    public void Signal_only_when_consent_does_not_cover_the_provider(string status, string scope)
    {
        var document = WithRules(Rule("to-basta", Basta, null));

        var decision = Decide(TestMeldingen.School(), document, TestMeldingen.Consent(status, scope));

        Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(Assert.Single(decision.Providers)));
    }

    [Fact]
    public void Signal_only_when_there_is_no_consent()
    {
        var decision = Decide(TestMeldingen.School(), Demo(), null);

        Assert.All(decision.Providers, p => Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(p)));
    }

    [Fact]
    public void Consent_passed_to_the_router_wins_over_the_consent_in_the_melding()
    {
        var melding = TestMeldingen.School() with { Consent = TestMeldingen.Consent("given", "all") };

        var decision = Decide(melding, Demo(), TestMeldingen.Consent("refused"));

        Assert.All(decision.Providers, p => Assert.Equal(ReferralKinds.Signal, p.Kind));
    }

    [Fact]
    public void An_acute_melding_reaches_the_acute_provider_as_a_referral_on_acute_safety_whatever_the_consent()
    {
        var decision = Decide(TestMeldingen.AcuteSchool(), Demo(), TestMeldingen.Consent("refused"));

        var veiligThuis = DecisionFor(decision, VeiligThuis);
        Assert.Equal((ReferralKinds.Referral, ConsentBases.AcuteSafety), Of(veiligThuis));
        Assert.Equal([Router.AcuteProviderReason], veiligThuis.Reasons);
        Assert.Equal("urgency-acute", decision.AcuteReason);
    }

    [Fact]
    public void An_acute_melding_goes_to_the_acute_provider_first()
    {
        var decision = Decide(TestMeldingen.Police(riskLevel: "red"), Demo(), null);

        Assert.Equal(VeiligThuis, decision.Providers[0].ProviderId);
        Assert.Equal("risk-level-red", decision.AcuteReason);
    }

    [Fact]
    public void The_other_providers_of_an_acute_melding_follow_the_consent()
    {
        var document = WithRules(new RoutingRule("both", [Basta, Cjg], null));

        var decision = Decide(TestMeldingen.AcuteSchool(), document, TestMeldingen.Consent("given", Cjg));

        Assert.Equal((ReferralKinds.Referral, ConsentBases.AcuteSafety), Of(DecisionFor(decision, VeiligThuis)));
        Assert.Equal((ReferralKinds.Referral, ConsentBases.ParentalConsent), Of(DecisionFor(decision, Cjg)));
        Assert.Equal((ReferralKinds.Signal, ConsentBases.None), Of(DecisionFor(decision, Basta)));
    }

    [Fact]
    public void The_acute_provider_also_named_by_a_rule_receives_the_melding_once_on_acute_safety()
    {
        var document = WithRules(Rule("domestic", VeiligThuis, new RuleConditions { Categories = ["domestic-violence"] }));

        var decision = Decide(TestMeldingen.Police(incidentType: "domestic-violence"), document, TestMeldingen.Consent("given", "all"));

        var veiligThuis = Assert.Single(decision.Providers);
        Assert.Equal(VeiligThuis, veiligThuis.ProviderId);
        Assert.Equal((ReferralKinds.Referral, ConsentBases.AcuteSafety), Of(veiligThuis));
        Assert.Equal([Router.AcuteProviderReason, "domestic"], veiligThuis.Reasons);
    }

    [Fact]
    public void A_melding_that_is_not_acute_never_reaches_the_acute_provider_on_acute_safety()
    {
        var decision = Decide(TestMeldingen.School(), Demo(), TestMeldingen.Consent("given", "all"));

        Assert.DoesNotContain(decision.Providers, p => p.ConsentBasis == ConsentBases.AcuteSafety);
        Assert.Null(decision.AcuteReason);
    }

    private static (string Kind, string Basis) Of(ProviderDecision decision) => (decision.Kind, decision.ConsentBasis);
}
