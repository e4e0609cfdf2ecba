namespace FunctionsHub.Core.Configuration;

/// <summary>The reference data of one gemeente: the JSON document at <c>Hub:ConfigPath</c>.</summary>
public sealed record HubDocument
{
    public Gemeente Gemeente { get; init; } = new();
    public IReadOnlyList<Wijk> Wijken { get; init; } = [];
    public IReadOnlyList<Partner> Partners { get; init; } = [];
    public IReadOnlyList<Provider> Providers { get; init; } = [];
    public string DefaultProvider { get; init; } = "";
    public string AcuteProvider { get; init; } = "";
    public IReadOnlyList<RoutingRule> Routing { get; init; } = [];
    public IReadOnlyList<Campaign> Campaigns { get; init; } = [];
    public Retention Retention { get; init; } = new();

    public Partner? FindPartner(string id) => Partners.FirstOrDefault(p => p.Id == id);

    public Provider? FindProvider(string id) => Providers.FirstOrDefault(p => p.Id == id);

    /// <summary>The wijk whose postcode list holds the four digits of <paramref name="postcode"/>.</summary>
    public Wijk? FindWijk(string? postcode)
    {
        if (postcode is null || postcode.Length < 4)
        {
            return null;
        }

        var digits = postcode[..4];
        return Wijken.FirstOrDefault(w => w.Postcodes.Contains(digits));
    }
}

public sealed record Gemeente
{
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "Europe/Amsterdam";
    public int MaxAge { get; init; } = 11;
    public IReadOnlyList<Subscriber> Subscribers { get; init; } = [];
}

public sealed record Subscriber(string Id, string CallbackUrl);

public sealed record Wijk(string Id, string Name, IReadOnlyList<string> Postcodes);

public sealed record Partner(string Id, string Feed, string Name, string? CallbackUrl, bool Enabled = true);

public sealed record Provider(string Id, string Name, string Kind, int FirstContactHours = 72, int? ExpectedMonthlyInstroom = null);

public sealed record RoutingRule(string Id, IReadOnlyList<string> To, RuleConditions? When);

/// <summary>All conditions present must hold; each list matches when any of its values does.</summary>
public sealed record RuleConditions
{
    public IReadOnlyList<string>? Feeds { get; init; }
    public IReadOnlyList<string>? Categories { get; init; }
    public IReadOnlyList<string>? Concerns { get; init; }
    public IReadOnlyList<string>? Signals { get; init; }
    public IReadOnlyList<string>? IncidentTypes { get; init; }
    public IReadOnlyList<string>? IncidentRoles { get; init; }
    public IReadOnlyList<string>? RiskLevels { get; init; }
    public IReadOnlyList<string>? Wijken { get; init; }
    public IReadOnlyList<string>? Urgency { get; init; }
    public int? MinAge { get; init; }
    public int? MaxAge { get; init; }
}

public sealed record Campaign
{
    public string Id { get; init; } = "";
    public CampaignAudience Audience { get; init; } = new();
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public IReadOnlyList<string> Providers { get; init; } = [];
    public string Every { get; init; } = "";
    public DateOnly StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
}

public sealed record CampaignAudience
{
    public IReadOnlyList<string> Feeds { get; init; } = [];
}

public sealed record Retention
{
    public int MeldingMonths { get; init; } = 24;
}
