using System.Text.Json;

namespace Samples.Provider;

/// <summary>
/// The messages of the <c>functionshub.referral.v1</c> envelope, as a provider reads them. Fields the
/// hub adds later are ignored, so a newer hub does not break this reader; a schema or kind it does
/// not know is not guessed at (<see cref="Unreadable"/>).
/// </summary>
public abstract record InboxMessage
{
    public const string Schema = "functionshub.referral.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The id to drop repeats by: the <c>referralId</c> of a referral or signal, the <c>noticeId</c> of a notice.</summary>
    public abstract string Id { get; }

    public abstract string Kind { get; }

    /// <summary>Reads one message body. Never throws for a bad body; the reason it gives never quotes the body.</summary>
    public static InboxMessage Parse(BinaryData body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var schema = root.TryGetProperty("schema", out var s) ? s.GetString() : null;
            if (schema != Schema)
            {
                return new Unreadable("unknown-schema");
            }

            var kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
            return kind switch
            {
                "referral" => root.Deserialize<Referral>(Json) is { Content: not null } referral && Valid(referral.ReferralId)
                    ? referral
                    : new Unreadable("invalid-referral"),
                // A signal carries no content; read only what a signal is allowed to hold.
                "signal" => root.Deserialize<Signal>(Json) is { } signal && Valid(signal.ReferralId)
                    ? signal
                    : new Unreadable("invalid-signal"),
                "consent-withdrawn" => root.Deserialize<ConsentWithdrawn>(Json) is { ReferralIds.Count: > 0 } notice && Valid(notice.NoticeId)
                    ? notice
                    : new Unreadable("invalid-notice"),
                _ => new Unreadable("unknown-kind"),
            };
        }
        catch (JsonException)
        {
            return new Unreadable("not-json");
        }
    }

    private static bool Valid(string? id) => !string.IsNullOrWhiteSpace(id);
}

/// <summary>
/// A full referral: shared with you because the parents consented (<c>consentBasis: parental-consent</c>)
/// or the child is acutely unsafe (<c>acute-safety</c>). Holds the child's identity and the content.
/// </summary>
public sealed record Referral(
    string ReferralId,
    string MeldingId,
    string Provider,
    DateTimeOffset CreatedAt,
    string Feed,
    PartnerRef Partner,
    Referrer Referrer,
    Child Child,
    string ConsentBasis,
    string Urgency,
    DateTimeOffset RespondBefore,
    ReferralContent? Content,
    ReferralMatch? Match) : InboxMessage
{
    public override string Id => ReferralId;

    public override string Kind => "referral";
}

/// <summary>
/// A zorgsignaal: the hub may tell you THAT there is a worry about this child and whom to call (the
/// referrer), not what it is. There is no content to store; contact the referrer.
/// </summary>
public sealed record Signal(
    string ReferralId,
    string MeldingId,
    string Provider,
    DateTimeOffset CreatedAt,
    string Feed,
    PartnerRef Partner,
    Referrer Referrer,
    Child Child,
    string Urgency,
    DateTimeOffset RespondBefore,
    ReferralMatch? Match) : InboxMessage
{
    public override string Id => ReferralId;

    public override string Kind => "signal";
}

/// <summary>
/// The parents withdrew the consent that the named referrals were shared on: stop using (and, by your own
/// retention rules, remove) the content of those referrals. It names referrals, never the child.
/// </summary>
public sealed record ConsentWithdrawn(string NoticeId, string Provider, DateTimeOffset CreatedAt, DateTimeOffset WithdrawnAt, IReadOnlyList<string> ReferralIds) : InboxMessage
{
    public override string Id => NoticeId;

    public override string Kind => "consent-withdrawn";
}

/// <summary>A message this reader does not understand; <paramref name="Reason"/> is a fixed code.</summary>
public sealed record Unreadable(string Reason) : InboxMessage
{
    public override string Id => "";

    public override string Kind => "unreadable";
}

public sealed record PartnerRef(string Id, string Name);

public sealed record Referrer(string Name, string? Role, string? Email, string? Phone);

public sealed record Child(string Bsn, DateOnly BirthDate, int AgeYears, string? Wijk, string? GivenName, string? FamilyName);

/// <summary>What the partner reported; which parts are present depends on its feed (school, police, welfare).</summary>
public sealed record ReferralContent(
    IReadOnlyList<string> Categories,
    string? Description,
    SchoolContent? School,
    IReadOnlyList<string>? Concerns,
    IncidentContent? Incident,
    string? RiskLevel,
    OrganisationContent? Organisation,
    IReadOnlyList<string>? Signals);

public sealed record SchoolContent(string Brin, string Name, int Group);

public sealed record IncidentContent(string Type, string Role, DateTimeOffset OccurredAt, string? Postcode);

public sealed record OrganisationContent(string Kind, string Name);

/// <summary>Other organisations that reported this child within 12 months, and their referrer: never their content.</summary>
public sealed record ReferralMatch(IReadOnlyList<MatchedReferrer> Partners);

public sealed record MatchedReferrer(string Id, string Name, Referrer Referrer);
