namespace FunctionsHub.Core;

/// <summary>The three partner feeds of the v1 contract.</summary>
public static class Feeds
{
    public const string School = "school";
    public const string Police = "police";
    public const string Welfare = "welfare";

    public static readonly IReadOnlyList<string> All = [School, Police, Welfare];

    public static bool IsKnown(string feed) => All.Contains(feed);
}

/// <summary>Queue names of the v1 contract (trigger attributes need them as constants).</summary>
public static class QueueNames
{
    public const string MeldingenIntake = "meldingen-intake";
    public const string NotificationsOut = "notifications-out";

    /// <summary>Recorded consent withdrawals whose provider notices are still to be sent.</summary>
    public const string ConsentWithdrawals = "consent-withdrawals";

    public static string Inbox(string providerId) => $"inbox-{providerId}";

    public static string Poison(string queueName) => $"{queueName}-poison";
}
