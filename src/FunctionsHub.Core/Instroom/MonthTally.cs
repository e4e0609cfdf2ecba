using System.Globalization;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Instroom;

/// <summary>
/// A gemeente month of the instroom as counts: how many meldingen per feed, partner, wijk, age,
/// category, acute, matched and with consent, and how many referrals per provider by kind, consent
/// basis, status, first contact, decline reason and hours to contact. Everything the digest needs of
/// a month, without a melding in it: the store keeps it up to date in the same transaction as each
/// melding it records and each status it moves, so compiling a month reads the month's counts, not its
/// meldingen (docs/performance.md, "Digest compilation").
/// </summary>
/// <remarks>
/// A count is a key and a number. What a melding adds is <see cref="Recorded"/>; what a status move
/// changes is <see cref="Moved"/>: the referral's counts as it was taken away, as it is now added. So
/// the tally of a month is, by construction, the sum of <see cref="Recorded"/> over its meldingen as
/// they stand now (<see cref="Of"/>), however the counts were split over rows and writers.
/// Two things are kept coarser than the instroom has them, so that their counts stay few: the end of a
/// promise not yet met, by the UTC hour it ends in (rounded up; "overdue" is then judged at a whole
/// hour, <see cref="Overdue"/>), and the time to first contact, in whole minutes (the digest shows
/// its median in tenths of an hour).
/// </remarks>
public sealed class MonthTally
{
    private const char Separator = '|';

    private readonly Dictionary<string, int> _counts;

    private MonthTally(Dictionary<string, int> counts) => _counts = counts;

    public static MonthTally Empty => new(new Dictionary<string, int>(StringComparer.Ordinal));

    /// <summary>Every count that is not zero, by key.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    public static MonthTally From(IEnumerable<KeyValuePair<string, int>> counts)
    {
        var tally = Empty;
        tally.Add(counts);
        return tally;
    }

    /// <summary>The tally of these meldingen, as they stand now.</summary>
    public static MonthTally Of(IEnumerable<RoutedMelding> meldingen) => From(meldingen.SelectMany(Recorded));

    /// <summary>Adds the counts; a key whose count comes to zero is dropped.</summary>
    public void Add(IEnumerable<KeyValuePair<string, int>> counts)
    {
        foreach (var (key, delta) in counts)
        {
            var sum = _counts.GetValueOrDefault(key) + delta;
            if (sum == 0)
            {
                _counts.Remove(key);
            }
            else
            {
                _counts[key] = sum;
            }
        }
    }

    /// <summary>What recording the melding adds: its own counts and each referral's.</summary>
    public static IEnumerable<KeyValuePair<string, int>> Recorded(RoutedMelding m)
    {
        // Taken back by its partner: no longer instroom, only counted as retracted.
        if (m.Retraction is not null)
        {
            yield return One(Dimensions.Retracted, m.Feed);
            yield break;
        }

        yield return One(Dimensions.Feed, m.Feed);
        yield return One(Dimensions.Partner, m.PartnerId);
        yield return One(Dimensions.Wijk, m.Wijk ?? "");
        yield return One(Dimensions.Age, m.AgeYears.ToString(CultureInfo.InvariantCulture));
        foreach (var category in m.Categories.Distinct(StringComparer.Ordinal))
        {
            yield return One(Dimensions.Category, category);
        }

        if (m.Urgency == Urgencies.Acute)
        {
            yield return One(Dimensions.Acute, m.Feed);
        }

        if (m.Matched)
        {
            yield return One(Dimensions.Matched, m.Feed);
        }

        if (m.Referrals.Any(r => r.ConsentBasis == ConsentBases.ParentalConsent))
        {
            yield return One(Dimensions.Consent, m.Feed);
        }

        foreach (var r in m.Referrals)
        {
            yield return One(Dimensions.Kind, r.ProviderId, r.Kind);
            yield return One(Dimensions.Basis, r.ProviderId, r.ConsentBasis);
            foreach (var count in Feedback(r))
            {
                yield return count;
            }
        }
    }

    /// <summary>What retracting the melding changes: all it counted for, for one count as retracted.</summary>
    public static IEnumerable<KeyValuePair<string, int>> Retracted(RoutedMelding before, RoutedMelding after) =>
        Recorded(before).Select(c => KeyValuePair.Create(c.Key, -c.Value)).Concat(Recorded(after));

    /// <summary>What moving a referral from <paramref name="before"/> to <paramref name="after"/> changes.</summary>
    public static IEnumerable<KeyValuePair<string, int>> Moved(ReferralRecord before, ReferralRecord after) =>
        Feedback(before).Select(c => KeyValuePair.Create(c.Key, -c.Value)).Concat(Feedback(after));

    /// <summary>The counts of a referral that its provider's reports change.</summary>
    private static IEnumerable<KeyValuePair<string, int>> Feedback(ReferralRecord r)
    {
        yield return One(Dimensions.Status, r.ProviderId, r.Status?.Name() ?? "");
        if (ContactedAt(r) is { } contactedAt)
        {
            yield return One(Dimensions.Contact, r.ProviderId, contactedAt <= r.RespondBefore ? ContactWithin : ContactAfter);
            var minutes = (long)Math.Round((contactedAt - r.CreatedAt).TotalMinutes, MidpointRounding.AwayFromZero);
            yield return One(Dimensions.MinutesToContact, r.ProviderId, minutes.ToString(CultureInfo.InvariantCulture));
        }
        else if (r.Status is { } s && ReferralLifecycle.IsEnd(s))
        {
            yield return One(Dimensions.Contact, r.ProviderId, ClosedWithoutContact);
        }
        else
        {
            yield return One(Dimensions.PromiseEnds, r.ProviderId, HourKey(CeilingHour(r.RespondBefore)));
        }

        if (r.Status == ReferralStatus.Declined)
        {
            yield return One(Dimensions.Declined, r.ProviderId, r.StatusReason ?? "");
        }
    }

    /// <summary>When contact was first reported; for a row from before <c>ContactedAt</c> was kept, the time of a later step (an upper bound).</summary>
    private static DateTimeOffset? ContactedAt(ReferralRecord r) =>
        r.ContactedAt ?? (r.Status is { } s && ReferralLifecycle.MeansContact(s) ? r.StatusAt : null);

    public const string ContactWithin = "within";
    public const string ContactAfter = "after";
    public const string ClosedWithoutContact = "closed";

    /// <summary>The counts of one dimension, by the rest of their key (for two-part keys, <c>{provider}|{value}</c>).</summary>
    public IReadOnlyDictionary<string, int> Of(string dimension)
    {
        var prefix = dimension + Separator;
        return _counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(c => c.Key[prefix.Length..], c => c.Value, StringComparer.Ordinal);
    }

    /// <summary>The counts of a two-part dimension, by provider and then by value.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByProvider(string dimension) =>
        Of(dimension)
            .GroupBy(c => c.Key[..c.Key.IndexOf(Separator)], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(c => c.Key[(c.Key.IndexOf(Separator) + 1)..], c => c.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);

    /// <summary>
    /// Referrals of the provider still without contact whose promise ended by <paramref name="asOf"/>,
    /// judged at the whole hour before it (promises are counted by the hour they end in).
    /// </summary>
    public static bool Overdue(string promiseEndsKey, DateTimeOffset asOf) =>
        string.CompareOrdinal(promiseEndsKey, HourKey(FloorHour(asOf))) <= 0;

    private static DateTime FloorHour(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
    }

    private static DateTime CeilingHour(DateTimeOffset at)
    {
        var floor = FloorHour(at);
        return floor == at.UtcDateTime ? floor : floor.AddHours(1);
    }

    private static string HourKey(DateTime utcHour) => utcHour.ToString("yyyy-MM-ddTHH", CultureInfo.InvariantCulture);

    private static KeyValuePair<string, int> One(string dimension, string value) => KeyValuePair.Create(dimension + Separator + value, 1);

    private static KeyValuePair<string, int> One(string dimension, string provider, string value) =>
        KeyValuePair.Create(dimension + Separator + provider + Separator + value, 1);

    /// <summary>The first part of every key: what is counted.</summary>
    public static class Dimensions
    {
        public const string Feed = "feed";
        public const string Partner = "partner";
        public const string Wijk = "wijk";
        public const string Age = "age";
        public const string Category = "category";
        public const string Acute = "acute";
        public const string Matched = "matched";
        public const string Consent = "consent";
        public const string Kind = "kind";
        public const string Basis = "basis";
        public const string Status = "status";
        public const string Contact = "contact";
        public const string PromiseEnds = "promise-ends";
        public const string MinutesToContact = "minutes-to-contact";
        public const string Declined = "declined";
        public const string Retracted = "retracted";
    }
}
