using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>Hub documents for tests: the demo configuration, built in code, and small variations of it.</summary>
public static class TestHub
{
    public const string Cjg = "cjg";
    public const string Basta = "basta";
    public const string PakJeKans = "pak-je-kans";
    public const string AllesKidzzz = "alles-kidzzz";
    public const string Pit = "pit";
    public const string VeiligThuis = "veilig-thuis";

    public const string SchoolPartner = "obs-de-regenboog";
    public const string PolicePartner = "politie-basisteam-voorbeeldstad";
    public const string WelfarePartner = "jongerenwerk-voorbeeldstad";

    /// <summary>Equivalent to demo/hub-config.json.</summary>
    public static HubDocument Demo() => new()
    {
        Gemeente = new Gemeente
        {
            Name = "Voorbeeldstad",
            TimeZone = "Europe/Amsterdam",
            MaxAge = 11,
            Subscribers = [new Subscriber("gemeente-jeugd", "http://localhost:7199/gemeente-jeugd")],
        },
        Wijken =
        [
            new Wijk("noord", "Noord", ["3071", "3072"]),
            new Wijk("zuid", "Zuid", ["3081", "3082"]),
            new Wijk("oost", "Oost", ["3061", "3062"]),
            new Wijk("west", "West", ["3021", "3022"]),
            new Wijk("centrum", "Centrum", ["3011", "3012"]),
        ],
        Partners =
        [
            new Partner(SchoolPartner, Feeds.School, "OBS De Regenboog", "http://localhost:7199/obs-de-regenboog"),
            new Partner("cbs-de-wegwijzer", Feeds.School, "CBS De Wegwijzer", "http://localhost:7199/cbs-de-wegwijzer"),
            new Partner(PolicePartner, Feeds.Police, "Politie basisteam Voorbeeldstad", "http://localhost:7199/politie"),
            new Partner(WelfarePartner, Feeds.Welfare, "Jongerenwerk Voorbeeldstad", "http://localhost:7199/jongerenwerk"),
        ],
        Providers =
        [
            new Provider(Cjg, "CJG / wijkteam Voorbeeldstad", "wijkteam", 72, 40),
            new Provider(Basta, "BASTA!", "intervention", 48, 6),
            new Provider(PakJeKans, "Pak je Kans", "intervention", 72, 8),
            new Provider(AllesKidzzz, "Alles Kidzzz", "intervention", 72, 10),
            new Provider(Pit, "PIT (Preventief Interventieteam)", "intervention", 48, 5),
            new Provider(VeiligThuis, "Veilig Thuis", "safety", 24, 4),
        ],
        DefaultProvider = Cjg,
        AcuteProvider = VeiligThuis,
        Routing =
        [
            new RoutingRule("police-offence", [Basta], new RuleConditions { Feeds = [Feeds.Police], IncidentRoles = ["suspect"], MinAge = 8 }),
            new RoutingRule("behaviour-at-school", [AllesKidzzz], new RuleConditions { Feeds = [Feeds.School], Categories = ["aggression", "behaviour"], MinAge = 8 }),
            new RoutingRule("street-nuisance", [PakJeKans], new RuleConditions { Feeds = [Feeds.Welfare, Feeds.Police], Categories = ["nuisance", "supervision", "delinquency"], MinAge = 8 }),
            new RoutingRule("delinquency-west", [Pit], new RuleConditions { Wijken = ["west"], Categories = ["delinquency", "weapons"] }),
            new RoutingRule("home-and-care", [Cjg], new RuleConditions { Categories = ["home-situation", "neglect", "domestic-violence"] }),
        ],
        Campaigns =
        [
            new Campaign
            {
                Id = "basta-info",
                Audience = new CampaignAudience { Feeds = [Feeds.School, Feeds.Police] },
                Subject = "BASTA! voor kinderen van 8 tot 12",
                Body = "BASTA! helpt kinderen die in aanraking komen met de politie. Meld via de hub.",
                Providers = [Basta],
                Every = "P3M",
                StartsOn = new DateOnly(2026, 9, 1),
                SendAt = "09:00",
            },
        ],
        Retention = new Retention { MeldingMonths = 24 },
    };

    /// <summary>The demo document with only the given routing rules.</summary>
    public static HubDocument WithRules(params RoutingRule[] rules) => Demo() with { Routing = rules };

    public static RoutingRule Rule(string id, string to, RuleConditions? when) => new(id, [to], when);
}
