using CsCheck;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Digests;

/// <summary>
/// The month tally the digest is compiled from: kept up to date write by write (a melding recorded, a
/// status moved), it must always come to what counting the month's meldingen as they stand gives, and
/// the digest from it must be the digest of those meldingen.
/// </summary>
public sealed class MonthTallyTests
{
    private static readonly GemeenteCalendar Amsterdam = GemeenteCalendar.Of("Europe/Amsterdam");
    private static readonly HubDocument Document = TestHub.Demo();
    private static readonly DigestMonth November = DigestMonth.Parse("2026-11", Amsterdam);
    private static readonly string[] Providers = [.. Document.Providers.Select(p => p.Id)];
    private static readonly ReferralStatus[] Statuses = Enum.GetValues<ReferralStatus>();

    private static RoutedMelding Melding(int i, DateTimeOffset at, int age, string? wijk, bool acute, bool matched, (string Provider, string Kind, string Basis)[] referrals) =>
        new($"mld_{i}", TestHub.SchoolPartner, Feeds.School, at, Amsterdam.MonthOf(at), age, wijk, ["wellbeing"], acute ? Urgencies.Acute : Urgencies.Normal, null, matched, at,
            referrals.Select(r => new ReferralRecord($"ref_{i}_{r.Provider}", $"mld_{i}", r.Provider, r.Kind, r.Basis, at, Document.FindProvider(r.Provider)!.RespondBefore(at), DispatchState.Sent))
                .DistinctBy(r => r.ProviderId).ToArray());

    private static readonly Gen<RoutedMelding[]> Meldingen =
        Gen.Select(Gen.Int[0, 29 * 24 * 60], Gen.Int[0, 11], Gen.OneOf<string?>(null, "noord", "west"), Gen.Bool, Gen.Bool,
                Gen.Select(Gen.OneOf(Providers), Gen.OneOf(ReferralKinds.Referral, ReferralKinds.Signal), Gen.OneOf(ConsentBases.ParentalConsent, ConsentBases.None, ConsentBases.AcuteSafety)).Array[1, 3])
            .Array[1, 12]
            .Select(ms => ms.Select((m, i) => Melding(i, November.From.AddMinutes(m.Item1), m.Item2, m.Item3, m.Item4, m.Item5, m.Item6)).ToArray());

    /// <summary>A provider's report: which melding, which of its referrals, to what, how many hours after it was sent.</summary>
    private static readonly Gen<(int Melding, int Referral, int Status, int Hours)[]> Reports =
        Gen.Select(Gen.Int[0, 11], Gen.Int[0, 2], Gen.Int[0, Statuses.Length - 1], Gen.Int[0, 400]).Array[0, 30];

    [Fact]
    public void The_tally_kept_write_by_write_is_the_tally_of_the_meldingen_as_they_stand_whatever_was_reported_in_between()
    {
        Gen.Select(Meldingen, Reports).Sample((meldingen, reports) =>
        {
            var kept = MonthTally.Empty;
            var current = meldingen.ToDictionary(m => m.MeldingId);
            foreach (var m in meldingen)
            {
                kept.Add(MonthTally.Recorded(m));
            }

            foreach (var (mi, ri, si, hours) in reports)
            {
                var melding = current[meldingen[mi % meldingen.Length].MeldingId];
                var before = melding.Referrals[ri % melding.Referrals.Count];
                var to = Statuses[si];
                if (!ReferralLifecycle.CanMove(before.Status, to))
                {
                    continue;
                }

                var reason = ReferralLifecycle.ReasonsFor(to) is { Count: > 0 } reasons ? reasons[hours % reasons.Count] : null;
                var after = before.MovedTo(to, before.CreatedAt.AddHours(hours).AddMinutes(hours % 7), reason);
                kept.Add(MonthTally.Moved(before, after));
                current[melding.MeldingId] = melding with { Referrals = melding.Referrals.Select(r => r.ReferralId == after.ReferralId ? after : r).ToArray() };
            }

            var recounted = MonthTally.Of(current.Values);
            Assert.Equal(recounted.Counts.OrderBy(c => c.Key, StringComparer.Ordinal), kept.Counts.OrderBy(c => c.Key, StringComparer.Ordinal));
        });
    }

    [Fact]
    public void A_promise_that_ended_within_the_hour_before_compiling_is_overdue_from_the_next_whole_hour()
    {
        // Sent at 09:15 UTC on a Monday: the promise ends at a quarter past some hour, and overdue is
        // judged at the whole hour before the moment of compiling.
        var createdAt = new DateTimeOffset(2026, 11, 2, 9, 15, 0, TimeSpan.Zero);
        var melding = Melding(0, createdAt, 8, null, false, false, [(TestHub.Cjg, ReferralKinds.Referral, ConsentBases.ParentalConsent)]);
        var respondBefore = melding.Referrals[0].RespondBefore;
        var tally = MonthTally.Of([melding]);

        int[] Contact(DateTimeOffset asOf) => InstroomFigures.Compile(November, tally, [], Document, asOf, Amsterdam)
            .Table(DigestTableIds.ContactByProvider)!.Rows.Single(r => r.Key == TestHub.Cjg).Counts.ToArray();

        var hourAfter = new DateTimeOffset(respondBefore.UtcDateTime.Date.AddHours(respondBefore.UtcDateTime.Hour + 1), TimeSpan.Zero);
        Assert.Equal([0, 0, 0, 1, 0], Contact(respondBefore.AddTicks(-1)));
        Assert.Equal([0, 0, 1, 0, 0], Contact(hourAfter));
        // Passed, but not yet at a whole hour: still counted as running.
        Assert.NotEqual(0, respondBefore.UtcDateTime.Minute);
        Assert.Equal([0, 0, 0, 1, 0], Contact(hourAfter.AddTicks(-1)));
    }
}
