using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Matching;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Table <c>matchfollowups</c>, two rows per match, one for each question asked of it:
/// <list type="bullet">
/// <item>the <b>due row</b>, PartitionKey <c>due-{yyyy-MM-dd}</c> (the UTC day of the deadline), RowKey the
/// match id: the follow-up with its confirmations (<c>FirstConfirmedAt</c>, <c>SecondConfirmedAt</c>). The
/// timer reads the days its window covers as one key range and nothing else; a confirmation is a
/// compare-and-set on this row's ETag.</item>
/// <item>the <b>match row</b>, PartitionKey the match id, RowKey <c>match</c>: the same fixed facts without
/// the confirmations (and <c>WithdrawnAt</c>, when a melding of it was retracted), so a referrer's confirmation, which names the match only, finds the due row
/// by two point reads. Inserted first: it decides which deadline a match has (of two starts of one
/// match, the first), and the due row is written at that deadline only.</item>
/// </list>
/// Hub ids and times only: partner ids, melding ids, the match id.
/// </summary>
public sealed class TableMatchFollowUps(HubTables tables) : IMatchFollowUps
{
    public const string MatchRow = "match";

    /// <summary>Confirmations that lose to a concurrent one before this gives up (each loss is the other referrer's write).</summary>
    private const int MaxAttempts = 10;

    private TableClient Table => tables.MatchFollowUps;

    /// <summary>The partition of the follow-ups due on the UTC day of <paramref name="dueAt"/>.</summary>
    public static string DuePartition(DateTimeOffset dueAt) => "due-" + dueAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<MatchFollowUp> StartAsync(MatchFollowUp followUp, CancellationToken cancellationToken)
    {
        var recorded = await Table.AddOrGetExistingAsync(
            Facts(new TableEntity(followUp.MatchId, MatchRow), followUp),
            async () => await FindEntityAsync(followUp.MatchId, MatchRow, cancellationToken),
            cancellationToken);
        var started = recorded is null ? followUp : Read(recorded);

        try
        {
            // Also when the match row was there: a run that failed between the two inserts left the due row to its retry.
            await Table.AddEntityAsync(Facts(new TableEntity(DuePartition(started.DueAt), started.MatchId), started), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Started before: its confirmations stay as they are.
        }

        return started;
    }

    public async Task<MatchFollowUp?> FindAsync(string matchId, CancellationToken cancellationToken)
    {
        // No due row yet: the run that starts the match has not finished, and has told nobody of it.
        return await FindEntityAsync(matchId, MatchRow, cancellationToken) is { } match
            && await FindEntityAsync(DuePartition(match.GetDateTimeOffset("DueAt")!.Value), matchId, cancellationToken) is { } due
            ? Read(due)
            : null;
    }

    public async Task<DateTimeOffset> ConfirmAsync(MatchFollowUp followUp, string partnerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var property = followUp.First.PartnerId == partnerId ? "FirstConfirmedAt"
            : followUp.Second.PartnerId == partnerId ? "SecondConfirmedAt"
            : throw new ArgumentException("Not a referrer of this match.", nameof(partnerId));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var due = await FindEntityAsync(DuePartition(followUp.DueAt), followUp.MatchId, cancellationToken)
                ?? throw new InvalidOperationException($"Match {followUp.MatchId} has no due row.");
            if (due.GetDateTimeOffset(property) is { } confirmed)
            {
                return confirmed;
            }

            try
            {
                // A merge of this referrer's property only, under the version read: the other's confirmation stays.
                await Table.UpdateEntityAsync(new TableEntity(due.PartitionKey, due.RowKey) { [property] = at }, due.ETag, TableUpdateMode.Merge, cancellationToken);
                return at;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed since the read (the other referrer, or this one again): read again.
            }
        }

        throw new IOException($"Match {followUp.MatchId} kept changing; gave up after {MaxAttempts} attempts.");
    }

    public async Task<IReadOnlyList<MatchFollowUp>> DueAsync(DateTimeOffset dueFrom, DateTimeOffset dueBefore, CancellationToken cancellationToken)
    {
        if (dueBefore <= dueFrom)
        {
            return [];
        }

        // The days bound the keys (the match rows' partitions, match ids, sort after every "due-"); the moments are compared by the server too.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {DuePartition(dueFrom)} and PartitionKey le {DuePartition(dueBefore)} and DueAt ge {dueFrom} and DueAt lt {dueBefore}");
        var due = new List<MatchFollowUp>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            due.Add(Read(e));
        }

        return due;
    }

    private async Task<TableEntity?> FindEntityAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken)) is { HasValue: true } found ? found.Value : null;

    public async Task WithdrawAsync(string matchId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await FindAsync(matchId, cancellationToken) is not { WithdrawnAt: null } followUp)
        {
            return;
        }

        // A merge of the one property: the confirmations stay. Two withdrawals at once write the same
        // moment (the retraction's, stored with it), so neither needs to win.
        await Table.UpdateEntityAsync(new TableEntity(DuePartition(followUp.DueAt), matchId) { ["WithdrawnAt"] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// The due row first, then the match row, which names its partition (the deadline): a removal
    /// interrupted in between leaves the match row, by which a repeat finds the due row again. A row
    /// not there (404) is no error to the SDK.
    /// </summary>
    public async Task RemoveAsync(string matchId, CancellationToken cancellationToken)
    {
        if (await FindEntityAsync(matchId, MatchRow, cancellationToken) is not { } match)
        {
            // Never started, or removed: the match row is written first and removed last, so no due row is left without it.
            return;
        }

        await Table.DeleteEntityAsync(DuePartition(match.GetDateTimeOffset("DueAt")!.Value), matchId, ETag.All, cancellationToken);
        await Table.DeleteEntityAsync(matchId, MatchRow, ETag.All, cancellationToken);
    }

    private static TableEntity Facts(TableEntity entity, MatchFollowUp f)
    {
        entity["MatchId"] = f.MatchId;
        entity["FirstPartner"] = f.First.PartnerId;
        entity["FirstMelding"] = f.First.MeldingId;
        entity["SecondPartner"] = f.Second.PartnerId;
        entity["SecondMelding"] = f.Second.MeldingId;
        entity["FoundAt"] = f.FoundAt;
        entity["DueAt"] = f.DueAt;
        return entity;
    }

    private static MatchFollowUp Read(TableEntity e)
    {
        var first = new MatchSide(e.GetString("FirstPartner"), e.GetString("FirstMelding"));
        var second = new MatchSide(e.GetString("SecondPartner"), e.GetString("SecondMelding"));
        var confirmed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (e.GetDateTimeOffset("FirstConfirmedAt") is { } firstAt)
        {
            confirmed[first.PartnerId] = firstAt;
        }

        if (e.GetDateTimeOffset("SecondConfirmedAt") is { } secondAt)
        {
            confirmed[second.PartnerId] = secondAt;
        }

        return new MatchFollowUp(e.GetString("MatchId"), first, second, e.GetDateTimeOffset("FoundAt")!.Value, e.GetDateTimeOffset("DueAt")!.Value, confirmed)
        {
            WithdrawnAt = e.GetDateTimeOffset("WithdrawnAt"),
        };
    }
}
