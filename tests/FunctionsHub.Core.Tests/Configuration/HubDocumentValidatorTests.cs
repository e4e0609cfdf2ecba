using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Configuration;

public sealed class HubDocumentValidatorTests
{
    private static readonly HubDocument Demo = TestHub.Demo();

    private static HubDocument WithProviders(params Provider[] providers) => Demo with { Providers = [.. Demo.Providers, .. providers] };

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
        var problem = Assert.Single(HubDocumentValidator.Validate(Demo with { AcuteProvider = "" }));

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
}
