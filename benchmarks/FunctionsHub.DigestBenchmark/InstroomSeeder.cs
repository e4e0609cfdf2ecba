using System.Diagnostics;
using FunctionsHub.Core;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Digests;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.DigestBenchmark;

/// <summary>
/// Routed meldingen as routing records them, through the real <see cref="IInstroomLog.RecordAsync"/>
/// (one entity-group transaction of the melding and its referrals), with statuses moved the way the
/// feedback endpoint moves them (<see cref="IInstroomLog.FindReferralAsync"/>, then
/// <see cref="IInstroomLog.TryMoveStatusAsync"/>). Deterministic: melding i of a month is the same every run.
/// </summary>
public sealed class InstroomSeeder(IInstroomLog instroom, HubDocument document, int parallelism)
{
    private static readonly byte[] BenchmarkKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly string[] DeclineReasons = [.. ReferralLifecycle.ReasonsFor(ReferralStatus.Declined)];
    private readonly ReferralIds _referralIds = new(BenchmarkKey);
    private readonly Partner[] _partners = [.. document.Partners];
    private readonly Provider[] _providers = [.. document.Providers];
    private readonly string[] _wijken = [.. document.Wijken.Select(w => w.Id)];
    private readonly GemeenteCalendar _calendar = document.Gemeente.Calendar();

    public sealed record Seeded(int Meldingen, int Referrals, int StatusMoves, TimeSpan Took);

    /// <summary>
    /// <paramref name="count"/> meldingen received at random moments spread over the month, about one in
    /// five with its first referral moved on (contacted, some of those then declined or further).
    /// </summary>
    public async Task<Seeded> SeedAsync(DigestMonth month, int count, string label, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        int referrals = 0, moves = 0, done = 0;
        var span = (month.Until - month.From).Ticks;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            // A seed fixed by month and index (not HashCode, which differs per process).
            var random = new Random((int.Parse(month.Month.Replace("-", ""), System.Globalization.CultureInfo.InvariantCulture) * 1_000_003) ^ i);
            var routed = Melding(month, i, month.From.AddTicks((long)(random.NextDouble() * span)), random);
            await instroom.RecordAsync(routed, ct);
            Interlocked.Add(ref referrals, routed.Referrals.Count);
            Interlocked.Add(ref moves, await MoveStatusesAsync(routed, random, ct));
            var n = Interlocked.Increment(ref done);
            if (n % Math.Max(1, count / 10) == 0)
            {
                Console.Error.WriteLine($"  {label}: {n:N0} of {count:N0} meldingen recorded ({watch.Elapsed.TotalSeconds:0} s)");
            }
        });
        return new Seeded(count, referrals, moves, watch.Elapsed);
    }

    private RoutedMelding Melding(DigestMonth month, int i, DateTimeOffset receivedAt, Random random)
    {
        var partner = _partners[random.Next(_partners.Length)];
        var meldingId = Identifiers.MeldingId(partner.Id, $"digest-benchmark:{month.Month}:{i}");
        var categories = CategoriesOf(partner.Feed);
        var acute = random.NextDouble() < 0.08;
        var routedAt = receivedAt.AddSeconds(1 + random.Next(30));
        var providers = _providers.OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToArray();
        var referrals = providers.Select(p => new ReferralRecord(
            _referralIds.For(meldingId, p.Id),
            meldingId,
            p.Id,
            random.NextDouble() < 0.8 ? ReferralKinds.Referral : ReferralKinds.Signal,
            acute ? ConsentBases.AcuteSafety : random.NextDouble() < 0.55 ? ConsentBases.ParentalConsent : ConsentBases.None,
            routedAt,
            p.RespondBefore(routedAt),
            DispatchState.Sent)).ToArray();
        return new RoutedMelding(
            meldingId,
            partner.Id,
            partner.Feed,
            receivedAt,
            _calendar.MonthOf(receivedAt),
            random.Next(100) < 10 ? random.Next(0, 4) : random.Next(4, 12),
            random.NextDouble() < 0.05 ? null : _wijken[random.Next(_wijken.Length)],
            [.. categories.OrderBy(_ => random.Next()).Take(1 + random.Next(2))],
            acute ? Urgencies.Acute : Urgencies.Normal,
            acute ? "immediate-safety" : null,
            random.NextDouble() < 0.05,
            routedAt,
            referrals);
    }

    private async Task<int> MoveStatusesAsync(RoutedMelding routed, Random random, CancellationToken cancellationToken)
    {
        if (random.NextDouble() >= 0.2)
        {
            return 0;
        }

        var first = routed.Referrals[0];
        var contactedAt = first.CreatedAt.AddHours(1 + random.Next(120));
        var moves = 0;
        if (await MoveAsync(routed, first.ReferralId, ReferralStatus.Contacted, contactedAt, null, cancellationToken))
        {
            moves++;
        }

        // A quarter of those move on: declined with a reason, or on to the intake.
        if (random.NextDouble() < 0.25)
        {
            var declined = random.NextDouble() < 0.5;
            if (await MoveAsync(routed, first.ReferralId, declined ? ReferralStatus.Declined : ReferralStatus.IntakeCompleted, contactedAt.AddDays(1 + random.Next(10)),
                declined ? DeclineReasons[random.Next(DeclineReasons.Length)] : null, cancellationToken))
            {
                moves++;
            }
        }

        return moves;
    }

    private async Task<bool> MoveAsync(RoutedMelding routed, string referralId, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        var stored = await instroom.FindReferralAsync(referralId, routed.ReceivedAt, cancellationToken)
            ?? throw new InvalidOperationException($"Referral {referralId} is not in the instroom just after it was recorded.");
        return ReferralLifecycle.CanMove(stored.Referral.Status, to) && await instroom.TryMoveStatusAsync(stored, to, at, reason, cancellationToken);
    }

    private static IReadOnlyList<string> CategoriesOf(string feed) => feed switch
    {
        Feeds.School => [.. Taxonomy.SchoolConcerns.Values.Distinct()],
        Feeds.Police => [.. Taxonomy.IncidentTypes.Values.Distinct()],
        _ => [.. Taxonomy.WelfareSignals.Values.Distinct()],
    };
}
