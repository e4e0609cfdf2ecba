using System.Text.Json;
using Azure.Data.Tables;
using FunctionsHub.Adapters.Storage;
using FunctionsHub.Adapters.Tests.Support;
using FunctionsHub.Core;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Matching;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing;

namespace FunctionsHub.Adapters.Tests.Storage;

/// <summary>
/// What the table adapter's child file must do beyond the port's contract: the file is one entity,
/// read with one point read and written with one request per write; a document longer than one
/// string property holds spans several and round-trips, a shorter one written over it leaves none of
/// the longer one's parts behind, and a file too large for an entity is refused before anything is
/// written, with an error that names no content.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChildFileEntityTests
{
    private static readonly DateTimeOffset ReportedAt = new(2026, 11, 2, 9, 30, 0, TimeSpan.FromHours(1));
    private static readonly DateTimeOffset LeaseUntil = ReportedAt.AddSeconds(25);

    private readonly StorageRequestCounter _counter = new();
    private readonly TableClient _table;
    private readonly TableChildFiles _files;

    public ChildFileEntityTests(AzuriteFixture azurite)
    {
        var tables = new HubTables(StorageAccount.TableService(azurite.Configuration, setup: _counter.Setup), TestNames.TablePrefix());
        _table = tables.ChildFiles;
        _files = new TableChildFiles(tables);
    }

    private static string NewChild() => Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    private static ConsentRecord Consent(string consentId, IReadOnlyList<string>? scope = null) =>
        new(consentId, ConsentStatuses.Given, scope ?? ["basta"], "parent", ReportedAt, "mld_1", ReportedAt.AddSeconds(1));

    /// <summary>A melding whose decision names the melding before it in its match, and a referrer whose name is not ASCII.</summary>
    private static ChildMelding Melding(int i, string? previous) => new(
        $"mld_{i:D4}{Guid.NewGuid():N}",
        i % 2 == 0 ? "obs-de-regenboog" : "politie-basisteam-voorbeeldstad",
        i % 2 == 0 ? Feeds.School : Feeds.Police,
        ReportedAt.AddHours(i),
        new Referrer($"Ö. Çelik-{i}", "ib", $"ib{i}@school.example", "0201234567"),
        new RoutingDecision(
            [
                new ProviderDecision("basta", ReferralKinds.Referral, ConsentBases.ParentalConsent, ["police-offence", "weapons"], "cns_1"),
                new ProviderDecision("veilig-thuis", ReferralKinds.Signal, ConsentBases.None, ["default-provider"]),
            ],
            ["police-offence", "weapons"],
            i % 3 == 0 ? "risk-level-red" : null,
            previous is null ? [] : [new MatchedPartner("politie-basisteam-voorbeeldstad", "Politie Basisteam Voorbeeldstad", previous, new Referrer("Wijkagent", null, null, "0900-8844"))],
            ReportedAt.AddHours(i).AddSeconds(2)));

    /// <summary>The file as a document to compare: the serializer writes every field, so two files with the same content write the same text.</summary>
    private static string Document(ChildFile file) => JsonSerializer.Serialize(
        file with
        {
            Version = null,
            Consents = file.Consents.OrderBy(c => c.ConsentId, StringComparer.Ordinal).ToArray(),
            Meldingen = file.Meldingen.OrderBy(m => m.MeldingId, StringComparer.Ordinal).ToArray(),
        },
        HubJson.Default.ChildFile);

    private async Task<List<TableEntity>> PartitionAsync(string child) =>
        await _table.QueryAsync<TableEntity>(e => e.PartitionKey == child).ToListAsync();

    /// <summary>The document's parts as stored: File0, File1, ... and how long each is.</summary>
    private static List<int> PartLengths(TableEntity entity)
    {
        var lengths = new List<int>();
        for (var i = 0; entity.GetString($"File{i}") is { } part; i++)
        {
            lengths.Add(part.Length);
        }

        Assert.DoesNotContain(entity.Keys, k => k.StartsWith("File", StringComparison.Ordinal) && int.TryParse(k.AsSpan(4), out var n) && n >= lengths.Count);
        return lengths;
    }

    [Fact]
    public async Task A_file_of_200_meldingen_is_one_entity_over_several_properties_and_round_trips_whole()
    {
        var child = NewChild();
        await _files.AddConsentAsync(child, Consent("cns_1"), CancellationToken.None);
        var expected = new List<ChildMelding>();
        string? previous = null;
        for (var i = 0; i < 200; i++)
        {
            var melding = Melding(i, previous);
            var token = await _files.TryAddDecidedAsync(await _files.ReadAsync(child, CancellationToken.None), melding, null, LeaseUntil, CancellationToken.None);
            Assert.NotNull(token);
            var sent = new Dictionary<string, string>(StringComparer.Ordinal);
            DateTimeOffset? lease = LeaseUntil;
            if (i % 10 == 0)
            {
                sent["basta"] = ReferralKinds.Referral;
                await _files.ReleaseSendAsync(child, melding.MeldingId, token, sent, CancellationToken.None);
                lease = null;
            }

            expected.Add(melding with { Send = new SendState(lease, sent, token) });
            previous = melding.MeldingId;
        }

        var file = await _files.ReadAsync(child, CancellationToken.None);

        Assert.Equal(200, file.Meldingen.Count);
        Assert.Equal(Document(new ChildFile(child, null, [Consent("cns_1")], expected)), Document(file));
        var entity = Assert.Single(await PartitionAsync(child));
        Assert.Equal("file", entity.RowKey);
        Assert.Equal(file.Version, entity.ETag.ToString());
        var parts = PartLengths(entity);
        Assert.True(parts.Count >= 3, $"The file took {parts.Count} properties.");
        Assert.All(parts, length => Assert.InRange(length, 1, 30_000));
    }

    [Fact]
    public async Task The_file_is_read_with_one_point_read_and_each_write_is_one_request()
    {
        var child = NewChild();
        await _files.ReadAsync(child, CancellationToken.None); // the table is created once, uncounted
        _counter.Reset();

        var empty = await _files.ReadAsync(child, CancellationToken.None);
        var token = await _files.TryAddDecidedAsync(empty, Melding(1, null), Consent("cns_1"), LeaseUntil, CancellationToken.None);
        var read = await _files.ReadAsync(child, CancellationToken.None);
        var second = await _files.TryAddDecidedAsync(read, Melding(2, null), null, LeaseUntil, CancellationToken.None);

        Assert.NotNull(token);
        Assert.NotNull(second);
        var counts = _counter.Snapshot();
        Assert.Equal(4, counts.Transactions);
        Assert.Equal(2, counts.Count(r => r.Kind == "read"));
        Assert.Equal(1, counts.Count(r => r.Kind == "insert"));
        Assert.Equal(1, counts.Count(r => r.Kind == "update (replace)"));
        Assert.Equal(0, counts.Count(r => r.Kind is "query" or "batch"));
    }

    [Fact]
    public async Task A_shorter_file_written_over_a_longer_one_leaves_none_of_its_parts()
    {
        var child = NewChild();
        var wide = Consent("cns_1", Enumerable.Range(0, 5_000).Select(i => $"provider-{i:D5}").ToArray());
        await _files.AddConsentAsync(child, wide, CancellationToken.None);
        Assert.True(PartLengths(Assert.Single(await PartitionAsync(child))).Count >= 2);
        var narrow = Consent("cns_1") with { Status = ConsentStatuses.Withdrawn };

        await _files.AddConsentAsync(child, narrow, CancellationToken.None);

        var stored = Assert.Single((await _files.ReadAsync(child, CancellationToken.None)).Consents);
        Assert.Equal(["basta"], stored.Scope);
        Assert.Equal(ConsentStatuses.Withdrawn, stored.Status);
        Assert.Single(PartLengths(Assert.Single(await PartitionAsync(child))));
    }

    [Fact]
    public async Task A_file_too_large_for_one_entity_is_refused_before_anything_is_written_naming_only_its_size()
    {
        var child = NewChild();
        await _files.AddConsentAsync(child, Consent("cns_1"), CancellationToken.None);
        var before = await _files.ReadAsync(child, CancellationToken.None);
        // About 480,000 characters: more than 900 KB as UTF-16.
        var huge = Consent("cns_huge", Enumerable.Range(0, 24_000).Select(i => $"secret-scope-{i:D6}").ToArray());

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _files.AddConsentAsync(child, huge, CancellationToken.None));

        Assert.Matches("^The child's file would take [0-9]+ properties", refused.Message);
        Assert.DoesNotContain("secret-scope", refused.Message);
        Assert.DoesNotContain("cns_", refused.Message);
        Assert.DoesNotContain(child, refused.Message);
        var after = await _files.ReadAsync(child, CancellationToken.None);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal("cns_1", Assert.Single(after.Consents).ConsentId);
    }
}
