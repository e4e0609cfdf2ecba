using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Once;

namespace FunctionsHub.Adapters.Storage;

/// <summary>
/// Claiming a row's work with a lease, by compare-and-set on its ETag: the mechanism behind the
/// once-ledger's claims. A row has a state property whose values say "claimed", "done" and
/// "released", and <c>LeaseUntil</c>, which counts only while the state says "claimed" (a merge
/// cannot remove it).
/// </summary>
public sealed record ClaimStates(string Property, string Claimed, string Done, string Released);

public static class TableClaims
{
    public const string LeaseUntil = "LeaseUntil";

    /// <summary>
    /// Inserts <paramref name="claimed"/> (its state already set to claimed) with a lease until
    /// now + <paramref name="lease"/>, or claims the stored row when it is released or its lease ran
    /// out. Answers the state for the caller and the row as stored before this call (null when inserted).
    /// </summary>
    public static async Task<(OnceClaim Claim, TableEntity? Existing)> ClaimAsync(
        this TableClient table, TableEntity claimed, ClaimStates states, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        claimed[states.Property] = states.Claimed;
        claimed[LeaseUntil] = now + lease;
        try
        {
            var added = await table.AddEntityAsync(claimed, cancellationToken);
            return (new OnceClaim(ClaimState.Claimed, added.Headers.ETag?.ToString() ?? ""), null);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = (await table.GetEntityAsync<TableEntity>(claimed.PartitionKey, claimed.RowKey, cancellationToken: cancellationToken)).Value;
        var state = existing.GetString(states.Property);
        if (state == states.Done)
        {
            return (new OnceClaim(ClaimState.Done), existing);
        }

        if (state == states.Claimed && existing.GetDateTimeOffset(LeaseUntil) > now)
        {
            return (new OnceClaim(ClaimState.Held), existing);
        }

        try
        {
            var taken = await table.UpdateEntityAsync(
                new TableEntity(claimed.PartitionKey, claimed.RowKey) { [states.Property] = states.Claimed, [LeaseUntil] = now + lease },
                existing.ETag,
                TableUpdateMode.Merge,
                cancellationToken);
            return (new OnceClaim(ClaimState.Claimed, taken.Headers.ETag?.ToString() ?? ""), existing);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another run changed the row between the read and this write: it holds the work now.
            return (new OnceClaim(ClaimState.Held), existing);
        }
    }

    /// <summary>Releases a claim, unless the row changed since (another run took it over after the lease ran out).</summary>
    public static async Task ReleaseAsync(this TableClient table, string partitionKey, string rowKey, ClaimStates states, string token, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(
                new TableEntity(partitionKey, rowKey) { [states.Property] = states.Released, [LeaseUntil] = null },
                new ETag(token),
                TableUpdateMode.Merge,
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
        }
    }
}
