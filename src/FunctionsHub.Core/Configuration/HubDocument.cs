using System.Globalization;
using System.Text.Json.Serialization;

namespace FunctionsHub.Core.Configuration;

/// <summary>
/// The reference data of one gemeente: the JSON document at <c>Hub:ConfigPath</c>. Properties have
/// setters, not init: the source-generated reader sets every init-only property, absent ones to
/// default (a missing <c>maxAge</c> would read as 0); with setters the defaults here stand. A property
/// the hub does not know is refused, in every section (a misspelt <c>firstContactHour</c> would otherwise
/// leave the default in force without a word); only <c>$schema</c>, for editors, is allowed beside them.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HubDocument
{
    /// <summary>The JSON Schema an editor checks the document with (<c>docs/contract/schemas/hub-config.schema.json</c>); the hub ignores it.</summary>
    [JsonPropertyName("$schema")]
    public string? Schema { get; set; }

    public Gemeente Gemeente { get; set; } = new();
    public IReadOnlyList<Wijk> Wijken { get; set; } = [];
    public IReadOnlyList<Partner> Partners { get; set; } = [];
    public IReadOnlyList<Provider> Providers { get; set; } = [];
    public string DefaultProvider { get; set; } = "";
    public string AcuteProvider { get; set; } = "";
    public IReadOnlyList<RoutingRule> Routing { get; set; } = [];
    public IReadOnlyList<Campaign> Campaigns { get; set; } = [];

    /// <summary>A partner with no melding for this many months is silent: it and the gemeente are reminded, once per silent period.</summary>
    public int SilentPartnerMonths { get; set; } = 3;

    /// <summary>Days within which both referrers of a match should confirm contact; unconfirmed by both by then, the gemeente is told (the match follow-up).</summary>
    public int MatchFollowUpDays { get; set; } = 10;
    public Retention Retention { get; set; } = new();

    /// <summary>The document with the defaults of this class for every section the JSON wrote as null.</summary>
    public HubDocument WithDefaults()
    {
        var defaults = new HubDocument();
        var gemeente = Gemeente ?? defaults.Gemeente;
        return this with
        {
            Gemeente = gemeente with
            {
                Name = gemeente.Name ?? "",
                TimeZone = gemeente.TimeZone ?? defaults.Gemeente.TimeZone,
                Subscribers = gemeente.Subscribers ?? [],
            },
            Wijken = Wijken ?? [],
            Partners = Partners ?? [],
            Providers = Providers ?? [],
            DefaultProvider = DefaultProvider ?? "",
            AcuteProvider = AcuteProvider ?? "",
            Routing = Routing ?? [],
            Campaigns = Campaigns ?? [],
            Retention = Retention ?? defaults.Retention,
        };
    }

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

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Gemeente
{
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "Europe/Amsterdam";
    public int MaxAge { get; set; } = 11;
    public IReadOnlyList<Subscriber> Subscribers { get; set; } = [];

    /// <summary>The calendar of <see cref="TimeZone"/> (a method, so it is never serialised nor copied stale by <c>with</c>).</summary>
    public GemeenteCalendar Calendar() => GemeenteCalendar.Of(TimeZone);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Subscriber(string Id, string CallbackUrl);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Wijk(string Id, string Name, IReadOnlyList<string> Postcodes);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Partner(string Id, string Feed, string Name, string? CallbackUrl, bool Enabled = true);

/// <param name="ForWhom">Sociale kaart: for whom the provider's help is (shown in campaigns), plain text.</param>
/// <param name="HowToRefer">Sociale kaart: how a referrer reaches it, plain text.</param>
/// <param name="InfoUrl">Sociale kaart: a page or information film about it (http or https).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Provider(
    string Id, string Name, string Kind, int FirstContactHours = 72, int? ExpectedMonthlyInstroom = null, string? CallbackUrl = null,
    string? ForWhom = null, string? HowToRefer = null, string? InfoUrl = null)
{
    /// <summary>In a consent scope, the name that covers every provider: reserved, so no provider id or kind may be it.</summary>
    public const string AllProviders = "all";

    /// <summary>When the provider has promised first contact for a referral created at <paramref name="createdAt"/>.</summary>
    public DateTimeOffset RespondBefore(DateTimeOffset createdAt) => createdAt.AddHours(FirstContactHours);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RoutingRule(string Id, IReadOnlyList<string> To, RuleConditions? When);

/// <summary>All conditions present must hold; each list matches when any of its values does.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RuleConditions
{
    public IReadOnlyList<string>? Feeds { get; set; }
    public IReadOnlyList<string>? Categories { get; set; }
    public IReadOnlyList<string>? Concerns { get; set; }
    public IReadOnlyList<string>? Signals { get; set; }
    public IReadOnlyList<string>? IncidentTypes { get; set; }
    public IReadOnlyList<string>? IncidentRoles { get; set; }
    public IReadOnlyList<string>? RiskLevels { get; set; }
    public IReadOnlyList<string>? Wijken { get; set; }
    public IReadOnlyList<string>? Urgency { get; set; }
    public int? MinAge { get; set; }
    public int? MaxAge { get; set; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Campaign
{
    /// <summary>The send time of a campaign that names none: the start of an office day.</summary>
    public static readonly TimeOnly DefaultSendTime = new(9, 0);

    public string Id { get; set; } = "";
    public CampaignAudience Audience { get; set; } = new();
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public IReadOnlyList<string> Providers { get; set; } = [];

    /// <summary>An ISO 8601 period of whole years, months, weeks or days (<see cref="CalendarPeriod"/>).</summary>
    public string Every { get; set; } = "";
    public DateOnly StartsOn { get; set; }

    /// <summary>The last day an occurrence may fall on; an occurrence on this day is sent.</summary>
    public DateOnly? EndsOn { get; set; }

    /// <summary>
    /// The local time (<c>HH:mm</c>, in <c>gemeente.timeZone</c>) each occurrence is sent at; absent
    /// or null is 09:00. A string, not a <see cref="TimeOnly"/>, so that a wrong value is one problem
    /// in the validator's list rather than a document that cannot be read at all.
    /// </summary>
    public string? SendAt { get; set; }

    /// <summary>The period of <see cref="Every"/>; null when it is not one (the validator reports it).</summary>
    public CalendarPeriod? Period() => CalendarPeriod.TryParse(Every, out var period) ? period : null;

    /// <summary>The time of <see cref="SendAt"/>, 09:00 when absent; null when it is not <c>HH:mm</c> (the validator reports it).</summary>
    public TimeOnly? SendTime() =>
        SendAt is null ? DefaultSendTime
        : TimeOnly.TryParseExact(SendAt, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
        : null;
}

/// <summary>Who a campaign reaches: the partners of these feeds and these partners by name (either may be empty, not both), and their referrers.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CampaignAudience
{
    public IReadOnlyList<string> Feeds { get; set; } = [];

    public IReadOnlyList<string> Partners { get; set; } = [];

    /// <summary>The enabled partners the audience names, in the document's order.</summary>
    public IReadOnlyList<Partner> Of(HubDocument document) =>
        document.Partners.Where(p => p.Enabled && (Feeds.Contains(p.Feed) || Partners.Contains(p.Id))).ToArray();
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Retention
{
    public int MeldingMonths { get; set; } = 24;

    /// <summary>How long a referrer stays in the directory after their last melding.</summary>
    public int ReferrerMonths { get; set; } = 24;
}
