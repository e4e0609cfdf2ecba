namespace FunctionsHub.Core;

/// <summary>
/// The feed vocabularies and the one category taxonomy they map into, so that routing rules and
/// the digest can speak about school concerns, police incidents and welfare signals alike.
/// </summary>
public static class Taxonomy
{
    public static readonly IReadOnlyDictionary<string, string> SchoolConcerns = new Dictionary<string, string>
    {
        ["aggressive-behaviour"] = "aggression",
        ["disruptive-behaviour"] = "behaviour",
        ["truancy"] = "school-absence",
        ["bullying"] = "bullying",
        ["withdrawn"] = "wellbeing",
        ["neglect"] = "neglect",
        ["home-situation"] = "home-situation",
        ["substance-use"] = "substance-use",
        ["weapon"] = "weapons",
        ["online-risk"] = "online-risk",
        ["other"] = "other",
    };

    public static readonly IReadOnlyDictionary<string, string> IncidentTypes = new Dictionary<string, string>
    {
        ["shoplifting"] = "delinquency",
        ["theft"] = "delinquency",
        ["vandalism"] = "delinquency",
        ["arson"] = "delinquency",
        ["violence"] = "aggression",
        ["weapon-possession"] = "weapons",
        ["nuisance"] = "nuisance",
        ["domestic-violence"] = "domestic-violence",
        ["cyber"] = "online-risk",
        ["other"] = "other",
    };

    public static readonly IReadOnlyDictionary<string, string> WelfareSignals = new Dictionary<string, string>
    {
        ["hanging-around-late"] = "supervision",
        ["group-nuisance"] = "nuisance",
        ["aggression"] = "aggression",
        ["vandalism"] = "delinquency",
        ["truancy"] = "school-absence",
        ["home-situation"] = "home-situation",
        ["neglect"] = "neglect",
        ["online-risk"] = "online-risk",
        ["other"] = "other",
    };

    public static readonly IReadOnlyList<string> IncidentRoles = ["suspect", "victim", "witness"];
    public static readonly IReadOnlyList<string> RiskLevels = ["white", "yellow", "orange", "red"];
    public static readonly IReadOnlyList<string> OrganisationKinds = ["youth-work", "community-work", "after-school-care", "sports-club", "social-work"];
    public static readonly IReadOnlyList<string> ConsentStatuses = ["given", "refused", "not-asked"];
    public static readonly IReadOnlyList<string> ConsentGivers = ["parent", "guardian"];

    /// <summary>Every category the taxonomy knows, for validating routing rules.</summary>
    public static IEnumerable<string> Categories =>
        SchoolConcerns.Values.Concat(IncidentTypes.Values).Concat(WelfareSignals.Values).Distinct().Order();
}

/// <summary>How urgent a partner says a melding is.</summary>
public static class Urgencies
{
    public const string Normal = "normal";
    public const string Acute = "acute";
}
