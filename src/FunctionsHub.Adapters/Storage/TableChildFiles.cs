using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Serialization;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// The child's file as one entity (PartitionKey = child pseudonym, RowKey <c>file</c>): the consent
/// statements and the meldingen about the child, each with its referrer's contact, its decision and
/// its send claim, as one JSON document (<see cref="HubJson"/>, ids, codes and dates) split over the
/// properties <c>File0</c>, <c>File1</c>, ... The entity's ETag is the file's version: it is read with
/// one point read, and every write (decision, claim, release, consent, removal) is one replace, insert
/// or delete of the whole entity on condition of the ETag read, so a write on a file that changed since
/// fails. No BSN, no name or birth date, no content.
/// </summary>
public sealed class TableChildFiles(HubTables tables) : IChildFiles
{
    private const string FileRow = "file";

    /// <summary>The property the document's <c>i</c>-th part is in.</summary>
    private const string PartPrefix = "File";

    /// <summary>The most characters of the document one property holds (a string property holds at most 32K UTF-16 characters).</summary>
    private const int MaxPartChars = 30_000;

    /// <summary>The most UTF-16 bytes the document may take: an entity holds at most 1 MiB, its keys and timestamps included.</summary>
    private const int MaxFileBytes = 900 * 1024;

    /// <summary>How often a write that needs no decision of its caller (consent, release) reads again after losing a race.</summary>
    private const int MaxAttempts = 10;

    private TableClient Table => tables.ChildFiles;

    public async Task<ChildFile> ReadAsync(string childPseudonym, CancellationToken cancellationToken)
    {
        var stored = await Table.GetEntityIfExistsAsync<TableEntity>(childPseudonym, FileRow, cancellationToken: cancellationToken);
        return stored.HasValue ? FileOf(stored.Value!) : ChildFile.Empty(childPseudonym);
    }

    public async Task<string?> TryAddDecidedAsync(ChildFile file, ChildMelding decided, ConsentRecord? carried, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        if (file.Find(decided.MeldingId) is not null)
        {
            return null;
        }

        var token = Guid.NewGuid().ToString("N");
        var claimed = decided with { Send = new SendState(leaseUntil, new Dictionary<string, string>(StringComparer.Ordinal), token) };
        var consents = carried is null ? file.Consents : WithConsent(file.Consents, carried);
        return await TryWriteAsync(file, file with { Consents = consents, Meldingen = [.. file.Meldingen, claimed] }, cancellationToken) ? token : null;
    }

    public async Task<string?> TryClaimSendAsync(ChildFile file, string meldingId, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // The version covers the whole file, the melding's send included: a claim on a file read
        // before a release fails, so the run reads again what the released run sent.
        if (file.Version is null || file.Find(meldingId) is not { } melding)
        {
            return null;
        }

        var token = Guid.NewGuid().ToString("N");
        var claimed = melding with { Send = new SendState(leaseUntil, melding.Send?.Sent ?? new Dictionary<string, string>(StringComparer.Ordinal), token) };
        return await TryWriteAsync(file, WithMelding(file, claimed), cancellationToken) ? token : null;
    }

    public async Task ReleaseSendAsync(string childPseudonym, string meldingId, string token, IReadOnlyDictionary<string, string> sent, CancellationToken cancellationToken)
    {
        // The version moves with every write to the file, not only with this melding's claims: a
        // write that lost to another (a consent, another melding's decision) reads again, and lets
        // go only if the claim is still this run's (its token).
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var file = await ReadAsync(childPseudonym, cancellationToken);
            if (file.Find(meldingId) is not { } melding || melding.Send?.Token != token)
            {
                // Taken over since (the lease of the run that holds it now decides), or purged.
                return;
            }

            var released = melding with { Send = new SendState(null, new Dictionary<string, string>(sent, StringComparer.Ordinal), token) };
            if (await TryWriteAsync(file, WithMelding(file, released), cancellationToken))
            {
                return;
            }
        }

        throw new IOException($"The child's file kept changing while releasing the send of melding {meldingId}; its lease runs out instead.");
    }

    public async Task AddConsentAsync(string childPseudonym, ConsentRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var file = await ReadAsync(childPseudonym, cancellationToken);
            if (await TryWriteAsync(file, file with { Consents = WithConsent(file.Consents, record) }, cancellationToken))
            {
                return;
            }
        }

        throw new IOException($"The child's file kept changing while recording consent {record.ConsentId}; gave up after {MaxAttempts} attempts.");
    }

    public async Task<bool> TryRemoveAsync(ChildFile file, string? meldingId, bool wholeFile, CancellationToken cancellationToken)
    {
        if (file.Version is null)
        {
            // Read as empty: nothing to remove, as long as nothing was written about the child since.
            return !(await Table.GetEntityIfExistsAsync<TableEntity>(file.ChildPseudonym, FileRow, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;
        }

        if (wholeFile)
        {
            try
            {
                // A delete of an entity that is not there answers 404 without throwing: removed by
                // another purge since the read, so not by this one.
                var response = await Table.DeleteEntityAsync(file.ChildPseudonym, FileRow, new ETag(file.Version), cancellationToken);
                return response.Status != 404;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                return false;
            }
        }

        if (meldingId is null)
        {
            return await TryWriteAsync(file, file, cancellationToken);
        }

        // The other meldingen keep their send claims and what they sent: only their decisions change.
        var rest = file.Meldingen
            .Where(m => m.MeldingId != meldingId)
            .Select(m => m.Decision is { } decision ? m with { Decision = decision.WithoutMatchOf(meldingId) } : m)
            .ToArray();
        return await TryWriteAsync(file, file with { Meldingen = rest }, cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="changed"/> as the whole file if the file is still at <c>read.Version</c>:
    /// inserted when it was read as absent, replaced otherwise. False when another writer got there
    /// first: the file was created, changed or removed (a purge) since the read.
    /// </summary>
    private async Task<bool> TryWriteAsync(ChildFile read, ChildFile changed, CancellationToken cancellationToken)
    {
        var entity = EntityOf(changed);
        try
        {
            if (read.Version is null)
            {
                await Table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await Table.UpdateEntityAsync(entity, new ETag(read.Version), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private static ChildFile WithMelding(ChildFile file, ChildMelding melding) =>
        file with { Meldingen = file.Meldingen.Select(m => m.MeldingId == melding.MeldingId ? melding : m).ToArray() };

    /// <summary>The consents with <paramref name="record"/> in place of any statement under its id.</summary>
    private static ConsentRecord[] WithConsent(IEnumerable<ConsentRecord> consents, ConsentRecord record) =>
        [.. consents.Where(c => c.ConsentId != record.ConsentId), record];

    /// <summary>
    /// The file as its entity: the document without the version (the ETag is that), consents and
    /// meldingen by id as a partition query once listed them, cut into parts of at most
    /// <see cref="MaxPartChars"/> characters (never between the two halves of a surrogate pair).
    /// </summary>
    private static TableEntity EntityOf(ChildFile file)
    {
        var json = JsonSerializer.Serialize(
            file with
            {
                Version = null,
                Consents = file.Consents.OrderBy(c => c.ConsentId, StringComparer.Ordinal).ToArray(),
                Meldingen = file.Meldingen.OrderBy(m => m.MeldingId, StringComparer.Ordinal).ToArray(),
            },
            HubJson.Default.ChildFile);
        var entity = new TableEntity(file.ChildPseudonym, FileRow);
        var parts = 0;
        for (var start = 0; start < json.Length; parts++)
        {
            var length = Math.Min(MaxPartChars, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1]))
            {
                length--;
            }

            entity[PartPrefix + parts] = json.Substring(start, length);
            start += length;
        }

        if ((long)json.Length * sizeof(char) > MaxFileBytes)
        {
            // The count only: the document is about a child.
            throw new InvalidOperationException($"The child's file would take {parts} properties of up to {MaxPartChars} characters, more than one table entity holds.");
        }

        return entity;
    }

    private static ChildFile FileOf(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var i = 0; entity.GetString(PartPrefix + i) is { } part; i++)
        {
            json.Append(part);
        }

        var file = JsonSerializer.Deserialize(json.ToString(), HubJson.Default.ChildFile)
            ?? throw new InvalidOperationException("The child's file entity holds no document.");
        return file with { ChildPseudonym = entity.PartitionKey, Version = entity.ETag.ToString() };
    }
}
