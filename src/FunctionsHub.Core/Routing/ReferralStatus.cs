namespace FunctionsHub.Core.Routing;

/// <summary>What a provider reports about a referral (SPEC "Feedback"), stored and sent by its wire name.</summary>
public enum ReferralStatus
{
    Received,
    Contacted,
    IntakeCompleted,
    InterventionStarted,
    Completed,
    Declined,
    NoContact,
    Withdrawn,
}

/// <summary>
/// The referral lifecycle in one place: <c>received</c> → <c>contacted</c> → <c>intake-completed</c> →
/// <c>intervention-started</c> → <c>completed</c>, forward only, skipping allowed; <c>declined</c>,
/// <c>no-contact</c> and <c>withdrawn</c> end it from any open state and need a reason; nothing
/// follows an end. A repeated status is no move either: a retried report is recognised by its
/// <c>webhook-id</c>, not by its status.
/// </summary>
public static class ReferralLifecycle
{
    private static readonly ReferralStatus[] Progress =
        [ReferralStatus.Received, ReferralStatus.Contacted, ReferralStatus.IntakeCompleted, ReferralStatus.InterventionStarted, ReferralStatus.Completed];

    private static readonly Dictionary<ReferralStatus, string[]> Reasons = new()
    {
        [ReferralStatus.Declined] = ["not-in-target-group", "capacity", "family-refused", "other-help-in-place", "other"],
        [ReferralStatus.NoContact] = ["unreachable", "moved", "other"],
        [ReferralStatus.Withdrawn] = ["consent-withdrawn", "entered-in-error", "other"],
    };

    /// <summary>Whether reporting <paramref name="status"/> says the provider has been in contact: <c>contacted</c> or any later step of the progress.</summary>
    public static bool MeansContact(ReferralStatus status) => Array.IndexOf(Progress, status) >= Array.IndexOf(Progress, ReferralStatus.Contacted);

    public static bool IsEnd(ReferralStatus status) => status == ReferralStatus.Completed || Reasons.ContainsKey(status);

    /// <param name="from">The current status; null while the provider has reported none.</param>
    public static bool CanMove(ReferralStatus? from, ReferralStatus to) => from switch
    {
        null => true,
        { } current when IsEnd(current) => false,
        { } current => Reasons.ContainsKey(to) || Array.IndexOf(Progress, to) > Array.IndexOf(Progress, current),
    };

    /// <summary>The reasons an ending status takes (one is required); empty for the others, which take none.</summary>
    public static IReadOnlyList<string> ReasonsFor(ReferralStatus status) => Reasons.GetValueOrDefault(status, []);

    public static string Name(this ReferralStatus status) => status switch
    {
        ReferralStatus.Received => "received",
        ReferralStatus.Contacted => "contacted",
        ReferralStatus.IntakeCompleted => "intake-completed",
        ReferralStatus.InterventionStarted => "intervention-started",
        ReferralStatus.Completed => "completed",
        ReferralStatus.Declined => "declined",
        ReferralStatus.NoContact => "no-contact",
        ReferralStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a referral status."),
    };

    /// <summary>The status of a name, or null for none or an unknown name; one lookup, since the digest reads every referral of a month.</summary>
    public static ReferralStatus? Parse(string? name) =>
        name is not null && ByName.TryGetValue(name, out var status) ? status : null;

    private static readonly IReadOnlyDictionary<string, ReferralStatus> ByName =
        Enum.GetValues<ReferralStatus>().ToDictionary(s => s.Name(), StringComparer.Ordinal);
}
