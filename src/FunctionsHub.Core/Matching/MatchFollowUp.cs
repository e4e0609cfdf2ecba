namespace FunctionsHub.Core.Matching;

/// <summary>One of the two referrers of a match: the partner and its melding (hub ids, no child data).</summary>
public sealed record MatchSide(string PartnerId, string MeldingId);

/// <summary>
/// The follow-up of a match (<c>match.found</c>): both referrers are asked to confirm that they got in
/// touch (<c>POST /api/matches/{matchId}/contact</c>) before <see cref="DueAt"/>; a match not confirmed by
/// both by then is <c>match.unattended</c> for the gemeente. Ids and times only: the two partners, their
/// meldingen (the hub's own ids), when the match was found and each side's first confirmation.
/// </summary>
/// <param name="First">The side whose melding id sorts first (ordinal), as in <see cref="Identifiers.MatchId"/>.</param>
/// <param name="FoundAt">The routing decision that found the match: stored with the decision, so every retry starts the same follow-up.</param>
/// <param name="Confirmed">Partner id → when it first confirmed contact.</param>
public sealed record MatchFollowUp(
    string MatchId,
    MatchSide First,
    MatchSide Second,
    DateTimeOffset FoundAt,
    DateTimeOffset DueAt,
    IReadOnlyDictionary<string, DateTimeOffset> Confirmed)
{
    /// <summary>The follow-up a match found at <paramref name="foundAt"/> starts: due <paramref name="days"/> days later, nobody confirmed yet.</summary>
    public static MatchFollowUp Start(MatchSide one, MatchSide other, DateTimeOffset foundAt, int days)
    {
        var (first, second) = string.CompareOrdinal(one.MeldingId, other.MeldingId) < 0 ? (one, other) : (other, one);
        return new MatchFollowUp(Identifiers.MatchId(first.MeldingId, second.MeldingId), first, second, foundAt, foundAt.AddDays(days), new Dictionary<string, DateTimeOffset>());
    }

    public IReadOnlyList<MatchSide> Sides => [First, Second];

    /// <summary>Whether the partner is one of the match's two referrers: only they may confirm, or learn that the match exists.</summary>
    public bool IsReferrer(string partnerId) => First.PartnerId == partnerId || Second.PartnerId == partnerId;

    /// <summary>The partners that confirmed by the deadline, in the order of the sides; a later confirmation is recorded but came too late.</summary>
    public IReadOnlyList<string> ConfirmedInTime =>
        Sides.Where(s => Confirmed.TryGetValue(s.PartnerId, out var at) && at <= DueAt).Select(s => s.PartnerId).ToArray();

    /// <summary>Set when one of its meldingen was retracted: the match no longer stands, and nothing is to be followed up.</summary>
    public DateTimeOffset? WithdrawnAt { get; init; }

    /// <summary>Not withdrawn, and not confirmed by both referrers by the deadline.</summary>
    public bool Unattended => WithdrawnAt is null && ConfirmedInTime.Count < 2;
}

/// <summary>
/// The match follow-ups, shaped for their two questions: "this match, by id" (a referrer confirming)
/// and "every follow-up due in this window" (the deadlines timer), the latter reading only the days
/// the window covers, never every follow-up.
/// </summary>
public interface IMatchFollowUps
{
    /// <summary>
    /// Records a new follow-up and answers it; when one with its match id is recorded already, nothing
    /// changes (not its deadline, not its confirmations) and the one recorded first is answered.
    /// </summary>
    Task<MatchFollowUp> StartAsync(MatchFollowUp followUp, CancellationToken cancellationToken);

    /// <summary>The follow-up with its confirmations, or null when there is none with this id.</summary>
    Task<MatchFollowUp?> FindAsync(string matchId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="partnerId"/> (one of the follow-up's referrers) confirmed contact at
    /// <paramref name="at"/>, unless it confirmed before; answers the moment recorded first. The other
    /// referrer's confirmation, made at the same moment, is kept.
    /// </summary>
    Task<DateTimeOffset> ConfirmAsync(MatchFollowUp followUp, string partnerId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The follow-ups whose deadline falls in [<paramref name="dueFrom"/>, <paramref name="dueBefore"/>),
    /// with their confirmations as they stand now, reading only the (UTC) days in between.
    /// </summary>
    Task<IReadOnlyList<MatchFollowUp>> DueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the match's follow-up withdrawn at <paramref name="at"/> (a melding of it was retracted), unless
    /// it was withdrawn before; nothing when the match has no follow-up.
    /// </summary>
    Task WithdrawAsync(string matchId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the follow-up, both its rows (retention); one not there is no error.</summary>
    Task RemoveAsync(string matchId, CancellationToken cancellationToken);
}

/// <summary>The answer to a referrer's confirmation: the match, when this referrer first confirmed, and the follow-up's deadline.</summary>
public sealed record ContactConfirmedAnswer(string MatchId, DateTimeOffset ConfirmedAt, DateTimeOffset ConfirmBefore);
