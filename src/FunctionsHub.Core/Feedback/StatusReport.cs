using System.Text.Json;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Feedback;

/// <summary>
/// A status a provider reports about one of its referrals (<c>POST /api/referrals/{referralId}/status</c>).
/// <paramref name="Note"/> is the provider's free text for the referrer: content, so it is never stored,
/// logged or audited; it travels only in the notification to the referrer of a full referral.
/// </summary>
public sealed record StatusReport(ReferralStatus Status, DateTimeOffset OccurredAt, string? Reason, string? Note);

/// <summary>The answer to the provider: the referral and the status it reported.</summary>
public sealed record AcceptedStatusAnswer(string ReferralId, string Status);

/// <summary>
/// Validates a status body like every other body: every problem at once, by JSON path, never quoting a
/// value. Which statuses exist and which reasons each takes is <see cref="ReferralLifecycle"/>'s.
/// </summary>
public static class StatusReportParser
{
    public const int MaxNoteLength = 1000;

    private static readonly string[] Statuses = Enum.GetValues<ReferralStatus>().Select(s => s.Name()).ToArray();

    public static (StatusReport? Report, IReadOnlyDictionary<string, string[]> Errors) Parse(JsonElement body, DateTimeOffset receivedAt)
    {
        var r = new JsonFieldReader();
        if (!r.IsObject(body) || !r.CheckStructure(body))
        {
            return (null, r.Errors());
        }

        var status = ReferralLifecycle.Parse(r.OneOf(body, "status", Statuses, required: true));
        var reason = status is { } known ? Reason(r, body, known) : r.String(body, "reason", required: false, max: 100);
        var occurredAt = r.Timestamp(body, "occurredAt", required: true);
        r.NotInFuture(occurredAt, receivedAt, "$.occurredAt");
        // Free text, so line breaks and tabs are allowed; it is read like every other text.
        var note = r.String(body, "note", required: false, max: MaxNoteLength, multiline: true);

        return r.HasErrors
            ? (null, r.Errors())
            : (new StatusReport(status!.Value, occurredAt!.Value, reason, note), r.Errors());
    }

    /// <summary>An ending status needs one of its reasons; the others take none.</summary>
    private static string? Reason(JsonFieldReader r, JsonElement body, ReferralStatus status)
    {
        var reasons = ReferralLifecycle.ReasonsFor(status);
        if (reasons.Count > 0)
        {
            return r.OneOf(body, "reason", reasons, required: true);
        }

        if (body.TryGetProperty("reason", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            r.Fail("$.reason", "must not be given for this status: only declined, no-contact and withdrawn take a reason.");
        }

        return null;
    }
}
