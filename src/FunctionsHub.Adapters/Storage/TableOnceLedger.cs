using Azure;
using Azure.Data.Tables;
using FunctionsHub.Core.Once;

namespace FunctionsHub.Adapters.Storage;

/// <summary>The once-ledger: table <c>once</c>, PartitionKey = key, RowKey = scope, so each claim or record is a point read or write.</summary>
public sealed class TableOnceLedger(HubTables tables) : IOnceLedger
{
    private static readonly ClaimStates States = new("State", Claimed: "claimed", Done: "done", Released: "pending");

    public async Task<OnceClaim> TryClaimAsync(string scope, string key, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        (await tables.Once.ClaimAsync(new TableEntity(key, scope) { ["ClaimedAt"] = now }, States, now, lease, cancellationToken)).Claim;

    public async Task<string> RecordFirstAsync(string scope, string key, string value, CancellationToken cancellationToken)
    {
        var existing = await tables.Once.AddOrGetExistingAsync(
            new TableEntity(key, scope) { [States.Property] = States.Done, ["Value"] = value },
            async () => (await tables.Once.GetEntityIfExistsAsync<TableEntity>(key, scope, cancellationToken: cancellationToken)) is { HasValue: true } found ? found.Value! : null,
            cancellationToken);
        return existing?.GetString("Value") ?? value;
    }

    public async Task CompleteAsync(string scope, string key, CancellationToken cancellationToken) =>
        await tables.Once.UpdateEntityAsync(
            new TableEntity(key, scope) { [States.Property] = States.Done, [TableClaims.LeaseUntil] = null },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);

    public Task ReleaseAsync(string scope, string key, string token, CancellationToken cancellationToken) =>
        tables.Once.ReleaseAsync(key, scope, States, token, cancellationToken);

    // Whatever its state: a claim held, done or released goes alike. A row not there (404) is no error to the SDK.
    public async Task ForgetAsync(string scope, string key, CancellationToken cancellationToken) =>
        await tables.Once.DeleteEntityAsync(key, scope, ETag.All, cancellationToken);
}
