using System.Globalization;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.Campaigns;

/// <summary>
/// When a campaign is sent: occurrence n falls on <c>startsOn + n × every</c>, counted from
/// <c>startsOn</c> (so 31 January + P1M is the last day of February and + P2M is 31 March), at
/// <c>sendAt</c> on the gemeente's clock (<see cref="GemeenteCalendar.InstantOf"/>: 09:00 stays 09:00
/// across a change of summer time), and never after <c>endsOn</c>. The timer asks for the latest
/// occurrence that is due and compares it with what it has sent: after downtime only that one is
/// sent, not every one that was missed. Both questions are answered by arithmetic and a step or two
/// of correction, so a daily campaign that started years ago costs no more than one that starts today.
/// </summary>
public sealed class CampaignSchedule
{
    /// <summary>The average length of a month in the Gregorian calendar (146,097 days in 4,800 months).</summary>
    private const double DaysPerMonth = 146_097.0 / 4_800;

    private readonly GemeenteCalendar _calendar;

    /// <param name="every">Not zero: a period that does not move would name one date forever.</param>
    public CampaignSchedule(DateOnly startsOn, CalendarPeriod every, TimeOnly sendAt, DateOnly? endsOn, GemeenteCalendar calendar)
    {
        if (every.TotalMonths == 0 && every.Days == 0)
        {
            throw new ArgumentException("A campaign's period must not be zero.", nameof(every));
        }

        StartsOn = startsOn;
        Every = every;
        SendAt = sendAt;
        EndsOn = endsOn;
        _calendar = calendar;
    }

    public DateOnly StartsOn { get; }

    public CalendarPeriod Every { get; }

    /// <summary>The local time of each occurrence, in the gemeente's time zone.</summary>
    public TimeOnly SendAt { get; }

    /// <summary>The last day an occurrence may fall on (inclusive), or null for a campaign without end.</summary>
    public DateOnly? EndsOn { get; }

    /// <summary>
    /// The schedule of a campaign from a validated document: <c>every</c> and <c>sendAt</c> are read
    /// here, once. A campaign the validator would refuse throws, naming the field, never a guess.
    /// </summary>
    public static CampaignSchedule Of(Campaign campaign, GemeenteCalendar calendar)
    {
        var every = campaign.Period()
            ?? throw new ArgumentException($"Campaign '{campaign.Id}': every '{campaign.Every}' is not a calendar period.", nameof(campaign));
        var sendAt = campaign.SendTime()
            ?? throw new ArgumentException($"Campaign '{campaign.Id}': sendAt '{campaign.SendAt}' is not HH:mm.", nameof(campaign));
        return new CampaignSchedule(campaign.StartsOn, every, sendAt, campaign.EndsOn, calendar);
    }

    /// <summary>
    /// The latest occurrence whose send instant is at or before <paramref name="now"/>, or null when
    /// none is yet (before the first). After <c>endsOn</c> it stays the last occurrence: a campaign's
    /// final occurrence missed during downtime is still sent once; the ledger keeps it from being sent twice.
    /// </summary>
    public CampaignOccurrence? LatestDue(DateTimeOffset now)
    {
        var latest = LastIndexDue(now);
        if (latest < 0)
        {
            return null;
        }

        if (EndsOn is DateOnly endsOn && DateOf(latest) > endsOn)
        {
            latest = LastIndexOnOrBefore(endsOn);
        }

        return Occurrence(latest);
    }

    /// <summary>The first occurrence after <paramref name="now"/> (not yet due), or null when the campaign has ended.</summary>
    public CampaignOccurrence? Next(DateTimeOffset now) => Occurrence(LastIndexDue(now) + 1);

    /// <summary>Occurrence <paramref name="index"/> (0 is <c>startsOn</c>), or null when it falls after <c>endsOn</c> or beyond the calendar.</summary>
    public CampaignOccurrence? Occurrence(int index)
    {
        if (index < 0 || DateOf(index) is not DateOnly date || date > EndsOn)
        {
            return null;
        }

        return new CampaignOccurrence(index, date, _calendar.InstantOf(date, SendAt));
    }

    /// <summary>The last index whose instant is at or before <paramref name="now"/>, ignoring <c>endsOn</c>; −1 when none.</summary>
    private int LastIndexDue(DateTimeOffset now)
    {
        // Every occurrence on an earlier local date is due; one on today's date only from its send time.
        var index = LastIndexOnOrBefore(_calendar.DateOf(now));
        while (index >= 0 && _calendar.InstantOf(DateOf(index)!.Value, SendAt) > now)
        {
            index--;
        }

        return index;
    }

    /// <summary>The last index whose date is on or before <paramref name="date"/>; −1 when <c>startsOn</c> is later.</summary>
    private int LastIndexOnOrBefore(DateOnly date)
    {
        if (date < StartsOn)
        {
            return -1;
        }

        // An estimate from the average length of a step: months vary by at most a few days, so it is
        // off by a step at most, and the loops below make it exact.
        var stepDays = Every.TotalMonths * DaysPerMonth + Every.Days;
        var index = (int)((date.DayNumber - StartsOn.DayNumber) / stepDays);
        while (index > 0 && (DateOf(index) is not DateOnly estimated || estimated > date))
        {
            index--;
        }

        while (DateOf(index + 1) is DateOnly following && following <= date)
        {
            index++;
        }

        return index;
    }

    private DateOnly? DateOf(int index) => Every.Times(StartsOn, index);
}

/// <summary>
/// One sending of a campaign. <see cref="Id"/> is its local date, <c>yyyy-MM-dd</c>: stable across
/// restarts and changes of summer time, and unique within the campaign (dates only rise), so a
/// ledger key of (campaign, occurrence, recipient) made from it is deterministic.
/// </summary>
/// <param name="Index">How many periods after <c>startsOn</c> it falls: 0 is the first.</param>
/// <param name="Date">The local date in the gemeente.</param>
/// <param name="SendAt">The instant it is due: <c>sendAt</c> on <see cref="Date"/> on the gemeente's clock.</param>
public sealed record CampaignOccurrence(int Index, DateOnly Date, DateTimeOffset SendAt)
{
    public string Id => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
