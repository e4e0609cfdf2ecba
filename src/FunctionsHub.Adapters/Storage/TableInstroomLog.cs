using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The instroom as one entity per routed melding, its referrals in it (property <c>Referrals</c>, a
/// JSON array of codes and times), in one partition per UTC month of receipt (PartitionKey
/// <c>yyyy-MM</c>, RowKey <c>{yyyy-MM-dd}:{meldingId}</c>, the UTC day of receipt first). Why this
/// shape (docs/performance.md, "Digest compilation"): a month's digest reads its month as one
/// partition of one entity per melding, about as cheap as a read of stored data can be, where a row
/// per referral made it three; a melding and its referrals are written, found and moved as one
/// entity, so a status move is a compare-and-set on the melding's ETag; and the day at the front of
/// the RowKey lets the day or two a gemeente month borrows from the UTC month next to it, and the
/// days a deadline search covers, be read as a key range. UTC (not the gemeente's calendar) so that
/// a change of the configured time zone cannot move where a melding is found. Each month's counts
/// (<see cref="MonthTally"/>) are rows of the same partitions, written in the same transactions
/// (<see cref="TallyRows"/>).
/// </summary>
public sealed class TableInstroomLog(HubTables tables, TimeProvider? time = null) : IInstroomLog
{
    private readonly TallyRows _tallies = new(tables.Instroom, time ?? TimeProvider.System);

    private TableClient Table => tables.Instroom;

    public async Task RecordAsync(RoutedMelding routed, CancellationToken cancellationToken)
    {
        var entity = MeldingEntity(routed);
        // False when recorded before (by a run overtaken after its lease ran out): what is stored, with
        // the statuses reported since and its counts, stays as it is.
        await _tallies.SubmitAsync(entity.PartitionKey, routed.Month, new TableTransactionAction(TableTransactionActionType.Add, entity),
            MonthTally.Recorded(routed), cancellationToken);
    }

    public async Task<StoredReferral?> FindReferralAsync(string referralId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (Identifiers.MeldingIdOfReferral(referralId) is not { } meldingId
            || await FindEntityAsync(meldingId, receivedAt, cancellationToken) is not { } entity)
        {
            return null;
        }

        var referrals = ReadReferrals(entity);
        return referrals.FirstOrDefault(r => r.ReferralId == referralId) is { } referral
            ? new StoredReferral(referral, receivedAt, MonthOf(entity), entity.ETag.ToString(), referrals)
            : null;
    }

    public async Task<bool> TryMoveStatusAsync(StoredReferral stored, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        var referral = stored.Referral;
        var receipt = stored.MeldingReceivedAt.UtcDateTime;
        // The others as they stood at the version read, this one moved; merged under that version, so a
        // move of another referral of the melding in between makes this one read and decide again.
        var referrals = stored.MeldingReferrals.Select(r => r.ReferralId == referral.ReferralId ? r.MovedTo(to, at, reason) : r);
        var update = new TableEntity(Month(receipt), RowKey(receipt, referral.MeldingId)) { ["Referrals"] = WriteReferrals(referrals) };
        return await _tallies.SubmitAsync(update.PartitionKey, stored.Month, new TableTransactionAction(TableTransactionActionType.UpdateMerge, update, new ETag(stored.Version)),
            MonthTally.Moved(referral, referral.MovedTo(to, at, reason)), cancellationToken);
    }

    public async Task<RoutedMelding?> RetractAsync(string meldingId, DateTimeOffset receivedAt, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Compare-and-set on the melding's ETag: a status move in between makes it read and decide again.
        while (await FindEntityAsync(meldingId, receivedAt, cancellationToken) is { } entity)
        {
            var before = ReadMelding(entity);
            if (before.Retraction is not null)
            {
                return before;
            }

            var after = before.RetractedAt(at, reason);
            var update = new TableEntity(entity.PartitionKey, entity.RowKey)
            {
                ["Referrals"] = WriteReferrals(after.Referrals),
                ["RetractedAt"] = at,
                ["RetractionReason"] = reason,
            };
            if (await _tallies.SubmitAsync(update.PartitionKey, before.Month, new TableTransactionAction(TableTransactionActionType.UpdateMerge, update, entity.ETag),
                MonthTally.Retracted(before, after), cancellationToken))
            {
                return after;
            }
        }

        return null;
    }

    /// <summary>
    /// The melding's entity only: its month's tally rows are other rows of the partition and stay as
    /// they are, still counting it. Unconditional (what it holds is going, whatever status it was moved
    /// to since); an entity not there (404) is no error to the SDK.
    /// </summary>
    public async Task RemoveAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var at = receivedAt.UtcDateTime;
        await Table.DeleteEntityAsync(Month(at), RowKey(at, meldingId), ETag.All, cancellationToken);
    }

    public async Task<RoutedMelding?> FindAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        await FindEntityAsync(meldingId, receivedAt, cancellationToken) is { } entity ? ReadMelding(entity) : null;

    public async Task<IReadOnlyList<RoutedMelding>> ReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var queries = MonthQueries(from, until);
        var read = await Task.WhenAll(queries.Select(async filter =>
        {
            var meldingen = new List<RoutedMelding>();
            await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                // The first and last UTC day of the range are read whole: the moments are compared here.
                if (e.GetDateTimeOffset("ReceivedAt") is { } receivedAt && receivedAt >= from && receivedAt < until)
                {
                    meldingen.Add(ReadMelding(e));
                }
            }

            return meldingen;
        }));

        return read.SelectMany(m => m).OrderBy(m => m.ReceivedAt).ThenBy(m => m.MeldingId, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The queries that read [<paramref name="from"/>, <paramref name="until"/>): one per UTC month it
    /// touches (a gemeente month: two, the other holding only the hours its bounds borrow), each naming
    /// its partition and bounding the RowKey to the UTC days in range. Public for the digest benchmark,
    /// which times the same queries bare.
    /// </summary>
    public static IReadOnlyList<string> MonthQueries(DateTimeOffset from, DateTimeOffset until)
    {
        if (until <= from)
        {
            return [];
        }

        var first = from.UtcDateTime;
        var last = until.AddTicks(-1).UtcDateTime;
        return UtcMonths(from, until)
            .Select(month => TableClient.CreateQueryFilter($"PartitionKey eq {Month(month)} and RowKey ge {Day(first)} and RowKey lt {Day(last) + ";"}"))
            .ToArray();
    }

    /// <summary>The first moment of each UTC month [<paramref name="from"/>, <paramref name="until"/>) touches.</summary>
    private static IEnumerable<DateTime> UtcMonths(DateTimeOffset from, DateTimeOffset until)
    {
        var first = from.UtcDateTime;
        var last = until.AddTicks(-1).UtcDateTime;
        for (var month = new DateTime(first.Year, first.Month, 1, 0, 0, 0, DateTimeKind.Utc); month <= last; month = month.AddMonths(1))
        {
            yield return month;
        }
    }

    public Task<MonthTally> TallyAsync(string month, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken) =>
        _tallies.ReadAsync(TallyQueries(month, from, until), cancellationToken);

    /// <summary>
    /// The queries that read the tally of gemeente month <paramref name="month"/>, [<paramref name="from"/>,
    /// <paramref name="until"/>): its rows in the partition of each UTC month its bounds touch (two), by
    /// RowKey range. Public for the digest benchmark, which counts what they read.
    /// </summary>
    public static IReadOnlyList<string> TallyQueries(string month, DateTimeOffset from, DateTimeOffset until) =>
        TallyRows.Queries(month, UtcMonths(from, until).Select(Month));

    public async Task<IReadOnlyList<ReferralRecord>> DueAsync(DateTimeOffset receivedFrom, DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        // The months and days of receipt bound the keys; a melding whose referrals' promises span the due
        // window is what the server sends; which of its referrals are due and still await contact is read here.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {Month(receivedFrom.UtcDateTime)} and PartitionKey le {Month(dueBefore.UtcDateTime)} and RowKey ge {Day(receivedFrom.UtcDateTime)} and RowKey lt {Day(dueBefore.UtcDateTime) + ";"} and FirstRespondBefore lt {dueBefore} and LastRespondBefore ge {dueFrom}");
        var due = new List<ReferralRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Referrals"], cancellationToken: cancellationToken))
        {
            due.AddRange(ReadReferrals(e).Where(r => r.AwaitsContact && r.RespondBefore >= dueFrom && r.RespondBefore < dueBefore));
        }

        return due;
    }

    private async Task<TableEntity?> FindEntityAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var at = receivedAt.UtcDateTime;
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Month(at), RowKey(at, meldingId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static string Month(DateTime utc) => utc.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string RowKey(DateTime utc, string meldingId) => $"{Day(utc)}:{meldingId}";

    private static TableEntity MeldingEntity(RoutedMelding m)
    {
        var at = m.ReceivedAt.UtcDateTime;
        var entity = new TableEntity(Month(at), RowKey(at, m.MeldingId))
        {
            ["PartnerId"] = m.PartnerId,
            ["Feed"] = m.Feed,
            ["ReceivedAt"] = m.ReceivedAt,
            ["Month"] = m.Month,
            ["AgeYears"] = m.AgeYears,
            ["Wijk"] = m.Wijk,
            ["Categories"] = string.Join(',', m.Categories),
            ["Urgency"] = m.Urgency,
            ["AcuteReason"] = m.AcuteReason,
            ["Matched"] = m.Matched,
            ["RoutedAt"] = m.RoutedAt,
            ["Referrals"] = WriteReferrals(m.Referrals),
        };

        // The span of the referrals' promises, which never moves: what the deadline search filters on.
        if (m.Referrals.Count > 0)
        {
            entity["FirstRespondBefore"] = m.Referrals.Min(r => r.RespondBefore);
            entity["LastRespondBefore"] = m.Referrals.Max(r => r.RespondBefore);
        }

        return entity;
    }

    private static RoutedMelding ReadMelding(TableEntity e) =>
        new RoutedMelding(
            MeldingIdOf(e),
            e.GetString("PartnerId"),
            e.GetString("Feed"),
            e.GetDateTimeOffset("ReceivedAt")!.Value,
            MonthOf(e),
            e.GetInt32("AgeYears")!.Value,
            e.GetString("Wijk"),
            e.GetString("Categories") is { Length: > 0 } c ? c.Split(',') : [],
            e.GetString("Urgency"),
            e.GetString("AcuteReason"),
            e.GetBoolean("Matched") == true,
            e.GetDateTimeOffset("RoutedAt")!.Value,
            ReadReferrals(e))
        {
            Retraction = e.GetDateTimeOffset("RetractedAt") is { } retractedAt ? new MeldingRetraction(e.GetString("RetractionReason"), retractedAt) : null,
        };

    private static string WriteReferrals(IEnumerable<ReferralRecord> referrals) =>
        JsonSerializer.Serialize(referrals.Select(r => new StoredReferralRow(
            r.ReferralId, r.ProviderId, r.Kind, r.ConsentBasis, r.CreatedAt, r.RespondBefore, r.Dispatch.Name(), r.Status?.Name(), r.StatusAt, r.ContactedAt, r.StatusReason)).ToArray(),
            InstroomJson.Default.StoredReferralRowArray);

    /// <summary>The gemeente month the melding was recorded with (the tally that counts it).</summary>
    private static string MonthOf(TableEntity e) => e.GetString("Month");

    /// <summary>The melding id from the RowKey, <c>{date}:{meldingId}</c>.</summary>
    private static string MeldingIdOf(TableEntity e) => e.RowKey[(e.RowKey.IndexOf(':') + 1)..];

    private static IReadOnlyList<ReferralRecord> ReadReferrals(TableEntity e)
    {
        var meldingId = MeldingIdOf(e);
        return JsonSerializer.Deserialize(e.GetString("Referrals") ?? "[]", InstroomJson.Default.StoredReferralRowArray)!
            .Select(r => new ReferralRecord(
                r.Id, meldingId, r.Provider, r.Kind, r.Basis, r.CreatedAt, r.RespondBefore,
                DispatchStates.Parse(r.Dispatch), ReferralLifecycle.Parse(r.Status), r.StatusAt, r.ContactedAt, r.Reason))
            .ToArray();
    }
}

/// <summary>A referral as the instroom entity keeps it (its melding is the entity's): codes and times only.</summary>
internal sealed record StoredReferralRow(
    string Id,
    string Provider,
    string Kind,
    string Basis,
    DateTimeOffset CreatedAt,
    DateTimeOffset RespondBefore,
    string Dispatch,
    string? Status,
    DateTimeOffset? StatusAt,
    DateTimeOffset? ContactedAt,
    string? Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredReferralRow[]))]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class InstroomJson : JsonSerializerContext;
