using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The child's file in one table partition (PartitionKey = child pseudonym): RowKey <c>file</c>
/// anchors the version (every decision, claim, release and consent written changes it, so its ETag
/// is the file's version), <c>cns_...</c> rows are consent statements, <c>mld_...</c> rows meldingen about the
/// child with their decision (JSON of ids and codes) and send claim. Writes that belong together go
/// in one entity-group transaction: one storage transaction each. No BSN, no content.
/// </summary>
public sealed class TableChildFiles(HubTables tables) : IChildFiles
{
    private const string FileRow = "file";

    /// <summary>The most actions an entity-group transaction may hold.</summary>
    private const int MaxActions = 100;

    private TableClient Table => tables.ChildFiles;

    public async Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        string? version = null;
        var consents = new List<ConsentRecord>();
        var meldingen = new List<ChildMelding>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {childPseudonym}"), cancellationToken: cancellationToken))
        {
            if (e.RowKey == FileRow)
            {
                version = e.ETag.ToString();
            }
            else if (e.RowKey.StartsWith("cns_", StringComparison.Ordinal))
            {
                consents.Add(ReadConsent(e));
            }
            else
            {
                meldingen.Add(ReadMelding(e));
            }
        }

        return new ChildFile(childPseudonym, version, consents, meldingen);
    }

    public async Task<string?> TryAddDecidedAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var melding = MeldingEntity(file.ChildPseudonym, decided);
        melding["LeaseUntil"] = leaseUntil;
        melding["ClaimToken"] = token;
        List<TableTransactionAction> actions = [VersionStep(file), new(TableTransactionActionType.Add, melding)];
        if (carried is not null)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, ConsentEntity(file.ChildPseudonym, carried)));
        }

        return await TrySubmitAsync(actions, cancellationToken) ? token : null;
    }

    public async Task<string?> TryClaimSendAsync(ChildFile file, string meldingId, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // The file's version covers the melding's row: every claim changes it too.
        var token = Guid.NewGuid().ToString("N");
        var claim = new TableEntity(file.ChildPseudonym, meldingId) { ["LeaseUntil"] = leaseUntil, ["ClaimToken"] = token };
        return await TrySubmitAsync([VersionStep(file), new(TableTransactionActionType.UpdateMerge, claim, ETag.All)], cancellationToken) ? token : null;
    }

    public async Task ReleaseSendAsync(string childPseudonym, string meldingId, string token, IReadOnlyDictionary<string, string> sent, CancellationToken cancellationToken)
    {
        var stored = (await Table.GetEntityAsync<TableEntity>(childPseudonym, meldingId, cancellationToken: cancellationToken)).Value;
        if (stored.GetString("ClaimToken") != token)
        {
            return;
        }

        // Replaced, not merged: a merge keeps a property it is given as null, and the lease must go.
        stored.Remove("LeaseUntil");
        stored["Sent"] = string.Join(',', sent.Select(s => $"{s.Key}={s.Value}"));
        try
        {
            // The file's version moves on with it, so a run that read the file while the send was
            // held cannot claim it without reading again what this run sent.
            await Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateReplace, stored, stored.ETag),
                    new(TableTransactionActionType.UpsertMerge, new TableEntity(childPseudonym, FileRow)),
                ],
                cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            // Taken over since the read: the lease of the run that holds it now decides.
        }
    }

    public async Task AddConsentAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken) =>
        await Table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.UpsertReplace, ConsentEntity(childPseudonym, record)),
                new(TableTransactionActionType.UpsertMerge, new TableEntity(childPseudonym, FileRow)),
            ],
            cancellationToken);

    public async Task<bool> TryRemoveAsync(ChildFile file, string? meldingId, bool wholeFile, CancellationToken cancellationToken)
    {
        if (file.Version is null)
        {
            // Read as empty: nothing to remove, as long as nothing was written about the child since.
            return !(await Table.GetEntityIfExistsAsync<TableEntity>(file.ChildPseudonym, FileRow, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
        }

        return wholeFile
            ? await TryRemoveWholeAsync(file, cancellationToken)
            : await TrySubmitAsync(RemoveMeldingActions(file, meldingId), cancellationToken);
    }

    /// <summary>
    /// One transaction: the version moved on from the version read, the melding's row deleted, and
    /// each other melding whose decision names it in its match rewritten without it. The rows are
    /// those read; the version covers them all, so none can have changed or gone unnoticed.
    /// </summary>
    private static List<TableTransactionAction> RemoveMeldingActions(ChildFile file, string? meldingId)
    {
        List<TableTransactionAction> actions = [VersionStep(file)];
        if (meldingId is null)
        {
            return actions;
        }

        if (file.Find(meldingId) is not null)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(file.ChildPseudonym, meldingId), ETag.All));
        }

        foreach (var other in file.Meldingen.Where(m => m.MeldingId != meldingId && m.Decision?.Match.Any(x => x.MeldingId == meldingId) == true))
        {
            // The decision only: the other melding's send claim and what it sent stay.
            var decision = JsonSerializer.Serialize(other.Decision!.WithoutMatchOf(meldingId), HubJson.Default.RoutingDecision);
            actions.Add(new(TableTransactionActionType.UpdateMerge, new TableEntity(file.ChildPseudonym, other.MeldingId) { ["Decision"] = decision }, ETag.All));
        }

        return actions;
    }

    /// <summary>
    /// Every row of the child read (consents, meldingen) deleted, and the version row with them, only
    /// at the version read. A transaction holds at most <see cref="MaxActions"/>: a larger file goes in
    /// chunks, the version row deleted in the last. Each earlier chunk moves the version row on from
    /// the version the chunk before left, so a chunk deletes nothing once anything was written about
    /// the child since the read (a consent recorded again under its id would otherwise go unread):
    /// false then, with the rest of the file, and what came in, there to be read again. Consents go
    /// first and meldingen last, so a removal interrupted between chunks leaves the melding by which
    /// the next purge comes back to the file.
    /// </summary>
    private async Task<bool> TryRemoveWholeAsync(ChildFile file, CancellationToken cancellationToken)
    {
        var rows = file.Consents.Select(c => c.ConsentId).Concat(file.Meldingen.Select(m => m.MeldingId)).ToArray();
        var version = new ETag(file.Version!);
        for (var start = 0; ; start += MaxActions - 1)
        {
            var last = start + MaxActions - 1 >= rows.Length;
            List<TableTransactionAction> actions =
            [
                .. rows.Skip(start).Take(MaxActions - 1).Select(rowKey => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(file.ChildPseudonym, rowKey), ETag.All)),
                new(last ? TableTransactionActionType.Delete : TableTransactionActionType.UpdateMerge, new TableEntity(file.ChildPseudonym, FileRow), version),
            ];
            try
            {
                var response = await Table.SubmitTransactionAsync(actions, cancellationToken);
                if (last)
                {
                    return true;
                }

                version = response.Value[^1].Headers.ETag ?? throw new InvalidOperationException("The version row's update was answered without its ETag.");
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
            {
                return false;
            }
        }
    }

    /// <summary>Creates the file's version row, or moves it on if it is still at the version read.</summary>
    private static TableTransactionAction VersionStep(ChildFile file) =>
        file.Version is null
            ? new(TableTransactionActionType.Add, new TableEntity(file.ChildPseudonym, FileRow))
            : new(TableTransactionActionType.UpdateMerge, new TableEntity(file.ChildPseudonym, FileRow), new ETag(file.Version));

    /// <summary>
    /// Submits the transaction; false when another writer got there first: the version moved on, the
    /// row exists, or the file (a row the transaction names) was removed by a purge since the read.
    /// </summary>
    private async Task<bool> TrySubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private static TableEntity MeldingEntity(string childPseudonym, ChildMelding m) => new(childPseudonym, m.MeldingId)
    {
        ["PartnerId"] = m.PartnerId,
        ["Feed"] = m.Feed,
        ["ReportedAt"] = m.ReportedAt,
        ["ReferrerName"] = m.Referrer.Name,
        ["ReferrerRole"] = m.Referrer.Role,
        ["ReferrerEmail"] = m.Referrer.Email,
        ["ReferrerPhone"] = m.Referrer.Phone,
        ["Decision"] = m.Decision is null ? null : JsonSerializer.Serialize(m.Decision, HubJson.Default.RoutingDecision),
    };

    private static ChildMelding ReadMelding(TableEntity e) =>
        new(
            e.RowKey,
            e.GetString("PartnerId"),
            e.GetString("Feed"),
            e.GetDateTimeOffset("ReportedAt")!.Value,
            new Referrer(e.GetString("ReferrerName"), e.GetString("ReferrerRole"), e.GetString("ReferrerEmail"), e.GetString("ReferrerPhone")),
            e.GetString("Decision") is { } decision ? JsonSerializer.Deserialize(decision, HubJson.Default.RoutingDecision) : null,
            new SendState(e.GetDateTimeOffset("LeaseUntil"), ReadSent(e.GetString("Sent")), e.GetString("ClaimToken") ?? ""));

    private static Dictionary<string, string> ReadSent(string? sent) =>
        (sent ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    private static TableEntity ConsentEntity(string childPseudonym, ConsentRecord record) => new(childPseudonym, record.ConsentId)
    {
        ["Status"] = record.Status,
        ["Scope"] = string.Join(',', record.Scope),
        ["GivenBy"] = record.GivenBy,
        ["RecordedAt"] = record.RecordedAt,
        ["Source"] = record.Source,
        ["ReceivedAt"] = record.ReceivedAt,
    };

    private static ConsentRecord ReadConsent(TableEntity e) =>
        new(
            e.RowKey,
            e.GetString("Status"),
            e.GetString("Scope").Split(',', StringSplitOptions.RemoveEmptyEntries),
            e.GetString("GivenBy"),
            e.GetDateTimeOffset("RecordedAt")!.Value,
            e.GetString("Source"),
            e.GetDateTimeOffset("ReceivedAt"));
}
