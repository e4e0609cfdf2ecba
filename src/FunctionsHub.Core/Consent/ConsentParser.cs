using System.Text.Json;
using FunctionsHub.Core.Intake;

namespace FunctionsHub.Core.Consent;

/// <summary>A consent statement posted on its own (<c>POST /api/consents</c>), before pseudonymisation.</summary>
public sealed record ConsentStatementBody(string Bsn, string Status, IReadOnlyList<string> Scope, string? GivenBy, DateTimeOffset RecordedAt);

/// <summary>Validates a consent body like intake does: every problem at once, by JSON path, never quoting a value.</summary>
public static class ConsentParser
{
    private static readonly string[] Statuses = [ConsentStatuses.Given, ConsentStatuses.Refused, ConsentStatuses.Withdrawn];

    public static (ConsentStatementBody? Consent, IReadOnlyDictionary<string, string[]> Errors) Parse(JsonElement body, DateTimeOffset receivedAt)
    {
        var r = new JsonFieldReader();
        if (!r.IsObject(body))
        {
            return (null, r.Errors());
        }

        if (!r.CheckStructure(body))
        {
            return (null, r.Errors());
        }

        var bsn = r.String(body, "bsn", required: true);
        if (bsn is not null && !Bsn.IsValid(bsn))
        {
            r.Fail("$.bsn", "must be 9 digits passing the elfproef.");
        }

        var status = r.OneOf(body, "status", Statuses, required: true);
        var scope = r.Scope(body, "scope", "$.scope", required: true);

        var givenBy = r.OneOf(body, "givenBy", Taxonomy.ConsentGivers, required: status == ConsentStatuses.Given);
        var recordedAt = r.Timestamp(body, "recordedAt", required: true);
        r.NotInFuture(recordedAt, receivedAt, "$.recordedAt");

        return r.HasErrors
            ? (null, r.Errors())
            : (new ConsentStatementBody(bsn!, status!, scope!, givenBy, recordedAt!.Value), r.Errors());
    }
}
