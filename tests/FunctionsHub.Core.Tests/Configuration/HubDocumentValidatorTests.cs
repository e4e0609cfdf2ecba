using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Configuration;

public sealed class HubDocumentValidatorTests
{
    private static readonly HubDocument Demo = TestHub.Demo();

    private static HubDocument WithProviders(params Provider[] providers) => Demo with { Providers = [.. Demo.Providers, .. providers] };

    [Fact]
    public void A_partner_and_a_provider_with_the_same_id_are_reported()
    {
        var document = TestHub.Demo() with { Partners = [.. TestHub.Demo().Partners, new Partner(TestHub.Basta, Feeds.School, "Basta school", null)] };

        var problem = Assert.Single(HubDocumentValidator.Validate(document));

        Assert.Contains("'basta' is used by both", problem);
    }

    [Fact]
    public void Sections_left_out_or_null_take_their_defaults_and_only_real_problems_are_reported()
    {
        var document = System.Text.Json.JsonSerializer.Deserialize("""{ "gemeente": { "name": "X" }, "providers": null, "routing": null }""", HubJson.Default.HubDocument)!;

        var problems = HubDocumentValidator.Validate(document);

        Assert.Equal(["defaultProvider is required.", "acuteProvider is required."], problems);
        Assert.Equal(24, document.WithDefaults().Retention.MeldingMonths);
        Assert.Equal("Europe/Amsterdam", document.WithDefaults().Gemeente.TimeZone);
        Assert.Equal(11, document.WithDefaults().Gemeente.MaxAge);
    }

    [Fact]
    public void The_demo_document_is_valid()
    {
        Assert.Empty(HubDocumentValidator.Validate(Demo));
    }

    [Fact]
    public void An_id_with_uppercase_letters_is_reported()
    {
        var document = WithProviders(new Provider("Pak-Je-Kans-2", "Pak je Kans 2", "intervention"));

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.StartsWith("providers:", problem);
        Assert.Contains("lowercase", problem);
    }

    [Theory]
    [InlineData("basta")]
    [InlineData("pak-je-kans")]
    [InlineData("a")]
    [InlineData("cjg2")]
    public void Lowercase_letters_digits_and_hyphens_are_valid_ids(string id) => Assert.True(HubDocumentValidator.IsValidId(id));

    [Theory]
    [InlineData("Basta")]
    [InlineData("pak_je_kans")]
    [InlineData("-basta")]
    [InlineData("basta-")]
    [InlineData("pak--je-kans")]
    [InlineData("")]
    public void Ids_that_cannot_become_queue_names_are_invalid(string id) => Assert.False(HubDocumentValidator.IsValidId(id));

    [Fact]
    public void An_id_longer_than_a_queue_name_allows_is_invalid()
    {
        Assert.True(HubDocumentValidator.IsValidId(new string('a', 57)));
        Assert.False(HubDocumentValidator.IsValidId(new string('a', 58)));
    }

    [Fact]
    public void A_duplicate_id_is_reported()
    {
        var document = WithProviders(new Provider("basta", "BASTA! again", "intervention"));

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.Equal("providers: id 'basta' appears more than once.", problem);
    }

    [Fact]
    public void A_rule_naming_an_unknown_provider_is_reported()
    {
        var document = Demo with { Routing = [.. Demo.Routing, new RoutingRule("to-nobody", ["nobody"], null)] };

        Assert.Equal(["routing[5].to: 'nobody' is not a provider in this document."], HubDocumentValidator.Validate(document));
    }

    [Fact]
    public void An_unknown_default_provider_is_reported()
    {
        var problem = Assert.Single(HubDocumentValidator.Validate(Demo with { DefaultProvider = "wijkteam" }));

        Assert.StartsWith("defaultProvider:", problem);
    }

    [Fact]
    public void An_unknown_acute_provider_is_reported()
    {
        var problem = Assert.Single(HubDocumentValidator.Validate(Demo with { AcuteProvider = "politie" }));

        Assert.StartsWith("acuteProvider:", problem);
    }

    [Fact]
    public void An_unknown_feed_on_a_partner_is_reported()
    {
        var document = Demo with { Partners = [.. Demo.Partners, new Partner("ziekenhuis", "hospital", "Ziekenhuis", null)] };

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.StartsWith("partners[4].feed", problem);
    }

    [Fact]
    public void A_campaign_naming_an_unknown_provider_is_reported()
    {
        var document = Demo with { Campaigns = [Demo.Campaigns[0] with { Providers = ["basta", "nobody"] }] };

        Assert.Equal(["campaigns[0].providers: 'nobody' is not a provider in this document."], HubDocumentValidator.Validate(document));
    }

    [Fact]
    public void An_unknown_time_zone_is_reported()
    {
        var document = Demo with { Gemeente = Demo.Gemeente with { TimeZone = "Europe/Voorbeeldstad" } };

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.StartsWith("gemeente.timeZone", problem);
    }

    [Theory]
    [InlineData("307")]
    [InlineData("30711")]
    [InlineData("3071AB")]
    public void A_wijk_postcode_that_is_not_four_digits_is_reported(string postcode)
    {
        var document = Demo with { Wijken = [.. Demo.Wijken, new Wijk("haven", "Haven", [postcode])] };

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.StartsWith("wijken[5].postcodes", problem);
    }

    [Fact]
    public void A_postcode_in_two_wijken_is_reported()
    {
        var document = Demo with { Wijken = [.. Demo.Wijken, new Wijk("haven", "Haven", ["3071"])] };

        var problem = Assert.Single(HubDocumentValidator.Validate(document));
        Assert.Contains("'3071'", problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var document = Demo with
        {
            Gemeente = Demo.Gemeente with { TimeZone = "Mars/Olympus_Mons" },
            Wijken = [.. Demo.Wijken, new Wijk("haven", "Haven", ["307"])],
            Partners = [.. Demo.Partners, new Partner("OBS-Nieuw", Feeds.School, "OBS Nieuw", null), new Partner("ziekenhuis", "hospital", "Ziekenhuis", null)],
            Providers = [.. Demo.Providers, new Provider("basta", "BASTA! again", "intervention")],
            DefaultProvider = "wijkteam",
            AcuteProvider = "politie",
            Routing = [.. Demo.Routing, new RoutingRule("to-nobody", ["nobody"], null)],
            Campaigns = [Demo.Campaigns[0] with { Providers = ["pit-2"] }],
        };

        var problems = HubDocumentValidator.Validate(document);

        Assert.Collection(
            problems.Order(StringComparer.Ordinal),
            p => Assert.StartsWith("acuteProvider: 'politie'", p),
            p => Assert.StartsWith("campaigns[0].providers: 'pit-2'", p),
            p => Assert.StartsWith("defaultProvider: 'wijkteam'", p),
            p => Assert.StartsWith("gemeente.timeZone", p),
            p => Assert.StartsWith("partners: id 'OBS-Nieuw'", p),
            p => Assert.StartsWith("partners[5].feed", p),
            p => Assert.StartsWith("providers: id 'basta' appears more than once", p),
            p => Assert.StartsWith("routing[5].to: 'nobody'", p),
            p => Assert.StartsWith("wijken[5].postcodes", p));
    }

    [Fact]
    public void A_rule_with_min_age_above_max_age_is_reported()
    {
        var document = Demo with { Routing = [new RoutingRule("never", ["basta"], new RuleConditions { MinAge = 10, MaxAge = 8 })] };

        Assert.Single(HubDocumentValidator.Validate(document));
    }

    [Fact]
    public void A_rule_naming_an_unknown_wijk_or_feed_is_reported()
    {
        var document = Demo with { Routing = [new RoutingRule("odd", ["basta"], new RuleConditions { Wijken = ["haven"], Feeds = ["hospital"] })] };

        Assert.Equal(2, HubDocumentValidator.Validate(document).Count);
    }

    /// <summary>
    /// One broken thing each, applied to the demo document, and the start of the one problem it must
    /// give: the path in the document and the offending value.
    /// </summary>
    private static readonly Dictionary<string, (Func<HubDocument, HubDocument> Break, string Problem)> Mistakes = new()
    {
        ["unknown category"] = (d => WithRule(d, new RuleConditions { Categories = ["aggression", "agression"] }), "routing[5].when.categories: 'agression' is not one of "),
        ["unknown school concern"] = (d => WithRule(d, new RuleConditions { Concerns = ["shoplifting"] }), "routing[5].when.concerns: 'shoplifting' is not one of "),
        ["unknown welfare signal"] = (d => WithRule(d, new RuleConditions { Signals = ["bullying"] }), "routing[5].when.signals: 'bullying' is not one of "),
        ["unknown incident type"] = (d => WithRule(d, new RuleConditions { IncidentTypes = ["burglary"] }), "routing[5].when.incidentTypes: 'burglary' is not one of "),
        ["unknown incident role"] = (d => WithRule(d, new RuleConditions { IncidentRoles = ["bystander"] }), "routing[5].when.incidentRoles: 'bystander' is not one of suspect, victim, witness."),
        ["unknown risk level"] = (d => WithRule(d, new RuleConditions { RiskLevels = ["green"] }), "routing[5].when.riskLevels: 'green' is not one of white, yellow, orange, red."),
        ["unknown urgency"] = (d => WithRule(d, new RuleConditions { Urgency = ["urgent"] }), "routing[5].when.urgency: 'urgent' is not one of normal, acute."),
        ["negative minAge"] = (d => WithRule(d, new RuleConditions { MinAge = -1 }), "routing[5].when.minAge: -1 is outside 0 to 11"),
        ["maxAge above the gemeente's"] = (d => WithRule(d, new RuleConditions { MaxAge = 12 }), "routing[5].when.maxAge: 12 is outside 0 to 11"),
        ["empty feeds condition"] = (d => WithRule(d, new RuleConditions { Feeds = [] }), "routing[5].when.feeds is empty, so the rule can never match."),
        ["empty categories condition"] = (d => WithRule(d, new RuleConditions { Categories = [] }), "routing[5].when.categories is empty, so the rule can never match."),
        ["empty wijken condition"] = (d => WithRule(d, new RuleConditions { Wijken = [] }), "routing[5].when.wijken is empty, so the rule can never match."),
        ["rule to no provider"] = (d => d with { Routing = [.. d.Routing, new RoutingRule("to-none", [], null)] }, "routing[5].to is empty"),
        ["empty defaultProvider"] = (d => d with { DefaultProvider = "" }, "defaultProvider is required."),
        ["blank acuteProvider"] = (d => d with { AcuteProvider = " " }, "acuteProvider is required."),
        ["relative partner callbackUrl"] = (d => WithPartnerCallback(d, "/obs-de-regenboog"), "partners[0].callbackUrl: '/obs-de-regenboog' is not an absolute http or https URL."),
        ["ftp partner callbackUrl"] = (d => WithPartnerCallback(d, "ftp://example.org/in"), "partners[0].callbackUrl: 'ftp://example.org/in' is not an absolute"),
        ["subscriber without callbackUrl"] = (d => WithSubscriber(d, ""), "gemeente.subscribers[1].callbackUrl is required."),
        ["subscriber callbackUrl without scheme"] = (d => WithSubscriber(d, "localhost:7199/gemeente"), "gemeente.subscribers[1].callbackUrl: 'localhost:7199/gemeente' is not an absolute"),
        ["provider without name"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "", "wijkteam")), "providers[6].name is required."),
        ["provider without kind"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "Wijkteam Zuid", "")), "providers[6].kind is required."),
        ["provider kind that is not an id"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "Wijkteam Zuid", "Wijk team")), "providers[6].kind: 'Wijk team' must be lowercase"),
        ["negative expected instroom"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "Wijkteam Zuid", "wijkteam", 72, -1)), "providers[6].expectedMonthlyInstroom: -1 must not be negative."),
        ["provider id that is another's kind"] = (d => WithProvider(d, new Provider("intervention", "Interventieteam", "wijkteam")), "providers[6].id: 'intervention' is also the kind of another provider"),
        ["provider id all"] = (d => WithProvider(d, new Provider("all", "Allen", "wijkteam")), "providers[6].id: 'all' is reserved"),
        ["provider kind all"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "Wijkteam Zuid", "all")), "providers[6].kind: 'all' is reserved"),
        ["wijk without name"] = (d => d with { Wijken = [.. d.Wijken, new Wijk("haven", "", ["3089"])] }, "wijken[5].name is required."),
        ["wijk without postcodes"] = (d => d with { Wijken = [.. d.Wijken, new Wijk("haven", "Haven", [])] }, "wijken[5].postcodes is empty"),
        ["campaign without subject"] = (d => WithCampaign(d, c => c with { Subject = "" }), "campaigns[0].subject is required."),
        ["campaign without body"] = (d => WithCampaign(d, c => c with { Body = " " }), "campaigns[0].body is required."),
        ["campaign ending before it starts"] = (d => WithCampaign(d, c => c with { EndsOn = new DateOnly(2026, 8, 31) }), "campaigns[0].endsOn: 2026-08-31 is before startsOn 2026-09-01."),
        ["campaign without audience"] = (d => WithCampaign(d, c => c with { Audience = new CampaignAudience { Feeds = [] } }), "campaigns[0].audience: feeds and partners are both empty"),
        ["campaign period in hours"] = (d => WithCampaign(d, c => c with { Every = "PT12H" }), "campaigns[0].every: 'PT12H' is not an ISO 8601 period"),
        ["campaign audience naming an unknown partner"] = (d => WithCampaign(d, c => c with { Audience = new CampaignAudience { Partners = ["obs-elders"] } }),
            "campaigns[0].audience.partners: 'obs-elders' is not a partner in this document."),
        ["provider info link not a URL"] = (d => WithProvider(d, new Provider("wijkteam-zuid", "Wijkteam Zuid", "wijkteam", InfoUrl: "www.example.nl/film")),
            "providers[6].infoUrl: 'www.example.nl/film' is not an absolute http or https URL."),
        ["referrers kept for no months"] = (d => d with { Retention = d.Retention with { ReferrerMonths = 0 } }, "retention.referrerMonths: 0 must be positive."),
        ["silent after no months"] = (d => d with { SilentPartnerMonths = 0 }, "silentPartnerMonths: 0 must be positive."),
        ["campaign sendAt with seconds"] = (d => WithCampaign(d, c => c with { SendAt = "09:00:00" }), "campaigns[0].sendAt: '09:00:00' is not a local time HH:mm"),
    };

    public static TheoryData<string> MistakeNames => new(Mistakes.Keys);

    [Theory]
    [MemberData(nameof(MistakeNames))]
    public void Each_mistake_is_reported_with_its_path_and_value(string mistake)
    {
        var (breakIt, expected) = Mistakes[mistake];

        var problem = Assert.Single(HubDocumentValidator.Validate(breakIt(Demo)));
        Assert.StartsWith(expected, problem);
    }

    [Theory]
    [InlineData("P3M")]
    [InlineData("P1Y")]
    [InlineData("P2W")]
    [InlineData("P14D")]
    [InlineData("P1Y6M")]
    [InlineData("P0Y1M")]
    public void A_campaign_every_whole_calendar_period_is_valid(string every)
    {
        Assert.Empty(HubDocumentValidator.Validate(WithCampaign(Demo, c => c with { Every = every })));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("P0M")]
    [InlineData("P0Y0D")]
    [InlineData("3M")]
    [InlineData("P3")]
    [InlineData("P1.5M")]
    [InlineData("P1M1Y")]
    [InlineData("P1DT12H")]
    [InlineData("p3m")]
    public void A_campaign_period_that_is_not_whole_days_weeks_months_or_years_is_reported(string every)
    {
        var problem = Assert.Single(HubDocumentValidator.Validate(WithCampaign(Demo, c => c with { Every = every })));

        Assert.StartsWith($"campaigns[0].every: '{every}'", problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00:00")]
    [InlineData("09:00")]
    [InlineData("02:30")]
    [InlineData("23:59")]
    public void A_campaign_sent_at_a_time_of_day_or_at_the_default_is_valid(string? sendAt)
    {
        Assert.Empty(HubDocumentValidator.Validate(WithCampaign(Demo, c => c with { SendAt = sendAt })));
    }

    [Theory]
    [InlineData("")]
    [InlineData("9:00")]
    [InlineData("09.00")]
    [InlineData("0900")]
    [InlineData("24:00")]
    [InlineData("09:60")]
    [InlineData("9 uur")]
    [InlineData(" 09:00")]
    [InlineData("09:00Z")]
    [InlineData("09:00+01:00")]
    public void A_campaign_sendAt_that_is_not_a_local_HH_mm_time_is_reported(string sendAt)
    {
        var problem = Assert.Single(HubDocumentValidator.Validate(WithCampaign(Demo, c => c with { SendAt = sendAt })));

        Assert.Equal($"campaigns[0].sendAt: '{sendAt}' is not a local time HH:mm (such as 09:00), in gemeente.timeZone.", problem);
    }

    [Fact]
    public void A_campaign_sendAt_is_read_from_the_document()
    {
        var document = JsonSerializer.Deserialize("""{ "campaigns": [ { "id": "a", "sendAt": "16:30" }, { "id": "b", "sendAt": null }, { "id": "c" } ] }""", HubJson.Default.HubDocument)!;

        Assert.Equal([new TimeOnly(16, 30), new TimeOnly(9, 0), new TimeOnly(9, 0)], document.Campaigns.Select(c => c.SendTime()));
    }

    [Fact]
    public void A_provider_whose_kind_is_its_own_id_is_valid()
    {
        Assert.Empty(HubDocumentValidator.Validate(WithProviders(new Provider("buurtsportcoach", "Buurtsportcoach", "buurtsportcoach"))));
    }

    [Fact]
    public void A_partner_without_callback_url_is_valid()
    {
        Assert.Empty(HubDocumentValidator.Validate(WithPartnerCallback(Demo, null)));
    }

    [Fact]
    public void Properties_missing_from_the_json_are_reported_as_required()
    {
        var loaded = JsonSerializer.Deserialize("""{ "wijken": [ { "id": "haven" } ], "providers": [ { "id": "buurtwerk" } ] }""", HubJson.Default.HubDocument)!;
        var document = Demo with { Wijken = [.. Demo.Wijken, .. loaded.Wijken], Providers = [.. Demo.Providers, .. loaded.Providers] };

        Assert.Equal(
            ["providers[6].kind is required.", "providers[6].name is required.", "wijken[5].name is required.", "wijken[5].postcodes is empty, so no melding can be placed in this wijk."],
            HubDocumentValidator.Validate(document).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_new_kind_of_problem_is_reported_at_once()
    {
        var document = WithCampaign(
            WithProvider(
                WithRule(Demo with { DefaultProvider = "" }, new RuleConditions { Categories = ["agression"], Feeds = [], MaxAge = 14 }),
                new Provider("intervention", "", "Wijk team")),
            c => c with { Every = "P0M", Subject = "" });

        var problems = HubDocumentValidator.Validate(document);

        Assert.Collection(
            problems.Order(StringComparer.Ordinal),
            p => Assert.StartsWith("campaigns[0].every: 'P0M'", p),
            p => Assert.Equal("campaigns[0].subject is required.", p),
            p => Assert.Equal("defaultProvider is required.", p),
            p => Assert.StartsWith("providers[6].id: 'intervention' is also the kind", p),
            p => Assert.StartsWith("providers[6].kind: 'Wijk team'", p),
            p => Assert.Equal("providers[6].name is required.", p),
            p => Assert.StartsWith("routing[5].when.categories: 'agression'", p),
            p => Assert.Equal("routing[5].when.feeds is empty, so the rule can never match.", p),
            p => Assert.StartsWith("routing[5].when.maxAge: 14", p));
    }

    private static HubDocument WithRule(HubDocument document, RuleConditions when) =>
        document with { Routing = [.. document.Routing, new RoutingRule("extra", [TestHub.Basta], when)] };

    private static HubDocument WithProvider(HubDocument document, Provider provider) =>
        document with { Providers = [.. document.Providers, provider] };

    private static HubDocument WithPartnerCallback(HubDocument document, string? callbackUrl) =>
        document with { Partners = [document.Partners[0] with { CallbackUrl = callbackUrl }, .. document.Partners.Skip(1)] };

    private static HubDocument WithSubscriber(HubDocument document, string callbackUrl) =>
        document with { Gemeente = document.Gemeente with { Subscribers = [.. document.Gemeente.Subscribers, new Subscriber("wijkteams", callbackUrl)] } };

    private static HubDocument WithCampaign(HubDocument document, Func<Campaign, Campaign> change) =>
        document with { Campaigns = [change(document.Campaigns[0])] };
}
