using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Instroom;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The instroom in one partition per day (PartitionKey = UTC date of receipt, <c>yyyy-MM-dd</c>):
/// RowKey = melding id for the melding (Type <c>melding</c>), <c>{meldingId}:{referralId}</c> for each
/// of its referrals (Type <c>referral</c>), written in one entity-group transaction. A month or the
/// days a referral can still be due from are a range of partitions; the UTC day (not the gemeente's)
/// so that a change of the configured time zone cannot move where a melding is found.
/// </summary>
public sealed class TableInstroomLog(HubTables tables) : IInstroomLog
{
    private TableClient Table => tables.Instroom;

    public async Task RecordAsync(RoutedMelding routed, CancellationToken cancellationToken)
    {
        var day = Day(routed.ReceivedAt);
        List<TableTransactionAction> actions = [new(TableTransactionActionType.Add, MeldingEntity(day, routed))];
        actions.AddRange(routed.Referrals.Select(r => new TableTransactionAction(TableTransactionActionType.Add, ReferralEntity(day, r))));
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Recorded before (by a run overtaken after its lease ran out): what is stored, with the
            // statuses reported since, stays as it is.
        }
    }

    public async Task<StoredReferral?> FindReferralAsync(string referralId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (Identifiers.MeldingIdOfReferral(referralId) is not { } meldingId)
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Day(receivedAt), $"{meldingId}:{referralId}", cancellationToken: cancellationToken);
        return response.HasValue ? new StoredReferral(ReadReferral(response.Value!), receivedAt, response.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> TryMoveStatusAsync(StoredReferral stored, ReferralStatus to, DateTimeOffset at, string? reason, CancellationToken cancellationToken)
    {
        var referral = stored.Referral;
        var moved = referral.MovedTo(to, at, reason);
        var entity = new TableEntity(Day(stored.MeldingReceivedAt), $"{referral.MeldingId}:{referral.ReferralId}") { ["Status"] = to.Name(), ["StatusAt"] = at };
        // Merged: what is not written stays. ContactedAt is written once, by the first move that reports
        // contact; a reason only comes with an ending status, after which nothing moves, so none is ever cleared.
        if (moved.ContactedAt != referral.ContactedAt)
        {
            entity["ContactedAt"] = moved.ContactedAt;
        }

        if (reason is not null)
        {
            entity["StatusReason"] = reason;
        }

        try
        {
            await Table.UpdateEntityAsync(entity, new ETag(stored.Version), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    public async Task<RoutedMelding?> FindAsync(string meldingId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var day = Day(receivedAt);
        // The melding's row and, sorting right after it, its referrals' rows (ids have a fixed length).
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {day} and RowKey ge {meldingId} and RowKey lt {meldingId + ";"}");
        TableEntity? melding = null;
        var referrals = new List<ReferralRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey == meldingId)
            {
                melding = e;
            }
            else
            {
                referrals.Add(ReadReferral(e));
            }
        }

        return melding is null ? null : ReadMelding(melding, referrals);
    }

    /// <summary>How many day partitions a month's read queries at once: a month is about 32 queries.</summary>
    public const int DayParallelism = 4;

    public async Task<IReadOnlyList<RoutedMelding>> ReceivedAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (until <= from)
        {
            return [];
        }

        var days = new List<string>();
        for (var day = from.UtcDateTime.Date; day <= until.AddTicks(-1).UtcDateTime.Date; day = day.AddDays(1))
        {
            days.Add(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        // One query per day, each naming its partition exactly: the melding rows and their referral rows
        // (which have no receipt to filter on); the two days the bounds cut are filtered below.
        var received = new System.Collections.Concurrent.ConcurrentBag<RoutedMelding>();
        await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = DayParallelism, CancellationToken = cancellationToken }, async (day, ct) =>
        {
            var meldingen = new List<TableEntity>();
            var referrals = new Dictionary<string, List<ReferralRecord>>(StringComparer.Ordinal);
            await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {day}"), cancellationToken: ct))
            {
                if (e.GetString("Type") == "referral")
                {
                    var referral = ReadReferral(e);
                    if (!referrals.TryGetValue(referral.MeldingId, out var list))
                    {
                        referrals[referral.MeldingId] = list = [];
                    }

                    list.Add(referral);
                }
                else
                {
                    meldingen.Add(e);
                }
            }

            foreach (var e in meldingen)
            {
                var melding = ReadMelding(e, referrals.GetValueOrDefault(e.RowKey) ?? []);
                if (melding.ReceivedAt >= from && melding.ReceivedAt < until)
                {
                    received.Add(melding);
                }
            }
        });

        return received.OrderBy(m => m.ReceivedAt).ThenBy(m => m.MeldingId, StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<ReferralRecord>> DueAsync(DateTimeOffset receivedFrom, DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {Day(receivedFrom)} and PartitionKey le {Day(dueBefore)} and Type eq 'referral' and RespondBefore ge {dueFrom} and RespondBefore lt {dueBefore}");
        var due = new List<ReferralRecord>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            // A missing property cannot be filtered on in a table query: the status is checked here.
            if (ReadReferral(e) is { AwaitsContact: true } referral)
            {
                due.Add(referral);
            }
        }

        return due;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TableEntity MeldingEntity(string day, RoutedMelding m) => new(day, m.MeldingId)
    {
        ["Type"] = "melding",
        ["PartnerId"] = m.PartnerId,
        ["Feed"] = m.Feed,
        ["ReceivedAt"] = m.ReceivedAt,
        ["AgeYears"] = m.AgeYears,
        ["Wijk"] = m.Wijk,
        ["Categories"] = string.Join(',', m.Categories),
        ["Urgency"] = m.Urgency,
        ["AcuteReason"] = m.AcuteReason,
        ["Matched"] = m.Matched,
        ["RoutedAt"] = m.RoutedAt,
    };

    private static RoutedMelding ReadMelding(TableEntity e, IReadOnlyList<ReferralRecord> referrals) =>
        new(
            e.RowKey,
            e.GetString("PartnerId"),
            e.GetString("Feed"),
            e.GetDateTimeOffset("ReceivedAt")!.Value,
            e.GetInt32("AgeYears")!.Value,
            e.GetString("Wijk"),
            e.GetString("Categories") is { Length: > 0 } c ? c.Split(',') : [],
            e.GetString("Urgency"),
            e.GetString("AcuteReason"),
            e.GetBoolean("Matched") == true,
            e.GetDateTimeOffset("RoutedAt")!.Value,
            referrals);

    private static TableEntity ReferralEntity(string day, ReferralRecord r) => new(day, $"{r.MeldingId}:{r.ReferralId}")
    {
        ["Type"] = "referral",
        ["ReferralId"] = r.ReferralId,
        ["MeldingId"] = r.MeldingId,
        ["ProviderId"] = r.ProviderId,
        ["Kind"] = r.Kind,
        ["ConsentBasis"] = r.ConsentBasis,
        ["CreatedAt"] = r.CreatedAt,
        ["RespondBefore"] = r.RespondBefore,
        ["Dispatch"] = r.Dispatch.Name(),
        ["Status"] = r.Status?.Name(),
        ["StatusAt"] = r.StatusAt,
        ["ContactedAt"] = r.ContactedAt,
        ["StatusReason"] = r.StatusReason,
    };

    private static ReferralRecord ReadReferral(TableEntity e) =>
        new(
            e.GetString("ReferralId"),
            e.GetString("MeldingId"),
            e.GetString("ProviderId"),
            e.GetString("Kind"),
            e.GetString("ConsentBasis"),
            e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetDateTimeOffset("RespondBefore")!.Value,
            DispatchStates.Parse(e.GetString("Dispatch")),
            ReferralLifecycle.Parse(e.GetString("Status")),
            e.GetDateTimeOffset("StatusAt"),
            e.GetDateTimeOffset("ContactedAt"),
            e.GetString("StatusReason"));
}
