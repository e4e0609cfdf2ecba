using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FunctionsHub.Core;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// Thousands of signed, seeded mutations of valid bodies (three feeds, a consent, explain) against
/// the real DevHost: never a 5xx, every refusal a parseable problem+json, and exactly the accepted
/// bodies stored. Set FUZZ_SEED to replay a failing run; the seed is in every failure message.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class FuzzTests(HubFixture hub)
{
    private const int Mutations = 2400;
    private const int Parallel = 4;
    private const int DefaultSeed = 20261129;

    private static readonly string[] Targets = ["school", "police", "welfare", "consent", "explain"];

    [Fact]
    public async Task Signed_mutations_of_valid_bodies_never_get_a_5xx_and_refusals_store_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var random = new Random(seed);

        // Consent is taken only from a party that knows the child: the school reports the consents' child first.
        var consentChild = Bsn(random);
        await hub.ReportChildAsync(consentChild);

        // Generated up front from the one seeded Random, so the run does not depend on request timing.
        var cases = Enumerable.Range(0, Mutations).Select(i => Mutate(random, i, consentChild)).ToArray();

        var meldingenBefore = await KeysAsync(hub.Tables.Meldingen, e => e.PartitionKey);
        var consentsBefore = await ConsentIdsAsync();
        var failures = new ConcurrentQueue<string>();
        var acceptedMeldingen = new ConcurrentBag<string>();
        var acceptedConsents = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<(string Target, string WebhookId)>();
        var statuses = new ConcurrentDictionary<int, int>();

        await System.Threading.Tasks.Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (c, _) =>
        {
            var response = await SendAsync(c);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync();
            var problem = Check(c, response, text);
            if (problem is not null)
            {
                failures.Enqueue($"case {c.Index} ({c.Target}: {c.Description}): {problem}");
                return;
            }

            if (response.IsSuccessStatusCode && c.Target is "school" or "police" or "welfare")
            {
                acceptedMeldingen.Add(JsonDocument.Parse(text).RootElement.GetProperty("meldingId").GetString()!);
            }
            else if (response.IsSuccessStatusCode && c.Target == "consent")
            {
                acceptedConsents.Add(Identifiers.ConsentId(Melding.SchoolPartner, c.WebhookId));
            }
            else if (!response.IsSuccessStatusCode && c.Target != "explain")
            {
                refused.Add((c.Target, c.WebhookId));
            }
        });

        var summary = $"seed {seed} (replay with FUZZ_SEED={seed}); statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}";
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.Take(20))}");

        // Every new melding row is one the hub answered 202 for, and each of those is there.
        var newMeldingen = (await KeysAsync(hub.Tables.Meldingen, e => e.PartitionKey)).Except(meldingenBefore).Order().ToArray();
        Assert.True(newMeldingen.SequenceEqual(acceptedMeldingen.Order()), $"{summary}: {newMeldingen.Length} new melding rows for {acceptedMeldingen.Count} accepted meldingen");

        // Consent rows come from accepted consent deliveries, or from routing an accepted melding's consent.
        var newConsents = (await ConsentIdsAsync()).Except(consentsBefore).ToHashSet();
        var allowed = acceptedConsents.Concat(acceptedMeldingen.Select(id => Identifiers.ConsentId(id, "melding"))).ToHashSet();
        Assert.True(acceptedConsents.All(newConsents.Contains), $"{summary}: an accepted consent is missing");
        Assert.True(newConsents.All(allowed.Contains), $"{summary}: a consent row that no accepted body explains");

        // Nothing was enqueued for a refusal: intake logs a melding id only once it is on the queue.
        var refusedIds = refused.Where(r => r.Target != "consent").Select(r => Identifiers.MeldingId(Melding.PartnerFor(r.Target), r.WebhookId)).ToHashSet();
        Assert.DoesNotContain(hub.Logs.Lines, line => refusedIds.Any(id => line.Contains(id, StringComparison.Ordinal)));
        // Not vacuous: some mutations keep a body valid, most do not.
        Assert.True(!acceptedMeldingen.IsEmpty && !acceptedConsents.IsEmpty && refused.Count > Mutations / 2, summary);
    }

    [Fact]
    public async Task Signed_mutations_of_a_status_report_never_get_a_5xx_and_refusals_before_idempotency_record_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var random = new Random(seed);
        var (_, referralId) = await FeedbackTests.RoutedToCjgAsync(hub);
        var statuses = new[] { "received", "contacted", "intake-completed", "intervention-started", "completed", "declined", "no-contact", "withdrawn" };
        var reasons = new[] { null, "capacity", "moved", "entered-in-error", "other" };
        var cases = Enumerable.Range(0, Mutations / 6).Select(i =>
        {
            var body = JsonNode.Parse(FeedbackTests.Status(statuses[random.Next(statuses.Length)], reasons[random.Next(reasons.Length)], $"Notitie {i}\nregel twee"))!.AsObject();
            var (bytes, description) = MutateBody(random, body, i);
            return new FuzzCase(i, "status", $"msg_fuzz_{Guid.NewGuid():N}", bytes, description);
        }).ToArray();

        var failures = new ConcurrentQueue<string>();
        var recordedRefusals = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<int, int>();
        await System.Threading.Tasks.Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (c, _) =>
        {
            var response = await hub.Http.SendAsync(hub.SignedBytes($"/api/referrals/{referralId}/status", "X-Provider-Id", "cjg", c.Body, webhookId: c.WebhookId));
            var status = (int)response.StatusCode;
            answered.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (Check(c, response, await response.Content.ReadAsStringAsync()) is { } problem)
            {
                failures.Enqueue($"case {c.Index} (status: {c.Description}): {problem}");
            }
            else if (status is 400 or 415 or 422
                && (await hub.Tables.Once.GetEntityIfExistsAsync<TableEntity>(Identifiers.StatusDeliveryId("cjg", c.WebhookId), FunctionsHub.Core.UseCases.ReferralFeedback.DeliveryScope)).HasValue)
            {
                recordedRefusals.Enqueue($"case {c.Index} ({status}: {c.Description})");
            }
        });

        var summary = $"seed {seed} (replay with FUZZ_SEED={seed}); statuses {string.Join(", ", answered.OrderBy(p => p.Key).Select(p => $"{p.Key}x{p.Value}"))}";
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.Take(20))}");
        Assert.True(recordedRefusals.IsEmpty, $"{summary}: refused but recorded:\n{string.Join("\n", recordedRefusals.Take(20))}");
        Assert.True(answered.ContainsKey(202) && answered.ContainsKey(400), summary);
    }

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Check(FuzzCase c, HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (response.IsSuccessStatusCode)
        {
            return (c.Target == "explain" ? status == 200 : status == 202) ? null : $"answered {status}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"answered {status} as {response.Content.Headers.ContentType?.MediaType ?? "nothing"}";
        }

        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            var type = problem.GetProperty("type").GetString();
            return type is null || !type.StartsWith("urn:functionshub:problem:", StringComparison.Ordinal) || problem.GetProperty("status").GetInt32() != status
                ? $"answered {status} with a problem of type {type}"
                : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"answered {status} with a problem that does not parse";
        }
    }

    private Task<HttpResponseMessage> SendAsync(FuzzCase c) => c.Target switch
    {
        "explain" => hub.SendBytesWithKeyAsync($"/api/routing/explain?partner={Melding.PolicePartner}", c.Body),
        "consent" => hub.Http.SendAsync(hub.SignedBytes("/api/consents", "X-Partner-Id", Melding.SchoolPartner, c.Body, webhookId: c.WebhookId)),
        var feed => hub.Http.SendAsync(hub.SignedBytes($"/api/feeds/{feed}/meldingen", "X-Partner-Id", Melding.PartnerFor(feed), c.Body, webhookId: c.WebhookId)),
    };

    /// <summary>The ids of the consent statements in every child's file.</summary>
    private async Task<HashSet<string>> ConsentIdsAsync() =>
        (await hub.ChildFilesAsync()).SelectMany(file => file.Consents).Select(c => c.ConsentId).ToHashSet(StringComparer.Ordinal);

    private static async Task<HashSet<string>> KeysAsync(TableClient table, Func<TableEntity, string> key)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            keys.Add(key(entity));
        }

        return keys;
    }

    private sealed record FuzzCase(int Index, string Target, string WebhookId, byte[] Body, string Description);

    private static FuzzCase Mutate(Random random, int index, string consentChild)
    {
        var target = Targets[random.Next(Targets.Length)];
        var body = target switch
        {
            "consent" => Consent(random, consentChild),
            "explain" => Melding.Body("police", $"FUZZ-{index}", Bsn(random)),
            var feed => Melding.Body(feed, $"FUZZ-{index}", Bsn(random)),
        };

        var (bytes, description) = MutateBody(random, body, index);
        return new FuzzCase(index, target, $"msg_fuzz_{Guid.NewGuid():N}", bytes, description);
    }

    /// <summary>One to three changes to the tree and, one time in four, to the bytes: the body and what was done.</summary>
    private static (byte[] Bytes, string Description) MutateBody(Random random, JsonObject body, int index)
    {
        // Placeholders become text a JsonNode cannot hold (lone surrogates, duplicate names, deep nesting).
        var raw = new Dictionary<string, string>();
        var applied = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            applied.Add(MutateTree(random, body, raw, $"{index}_{i}"));
        }

        var text = body.ToJsonString();
        foreach (var (placeholder, replacement) in raw)
        {
            text = text.Replace($"\"{placeholder}\"", replacement, StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (random.Next(4) == 0)
        {
            (bytes, var what) = MutateBytes(random, bytes);
            applied.Add(what);
        }

        return (bytes, string.Join(", ", applied));
    }

    private static string MutateTree(Random random, JsonObject body, Dictionary<string, string> raw, string tag)
    {
        var (parent, key, path) = PickSlot(random, body);
        var placeholder = $"__raw_{tag}__";
        switch (random.Next(9))
        {
            case 0:
                Remove(parent, key);
                return $"drop {path}";
            case 1:
                Set(parent, key, Retype(random));
                return $"retype {path}";
            case 2:
                Set(parent, key, Text(random, raw, placeholder, Current(parent, key)));
                return $"text {path}";
            case 3:
                Set(parent, key, Number(random));
                return $"number {path}";
            case 4:
                Set(parent, key, Time(random));
                return $"time {path}";
            case 5 when parent is JsonObject obj:
                // A second property of the same name; which value is first is random too.
                var copy = random.Next(2) == 0 ? Current(parent, key)?.DeepClone() : Retype(random);
                obj[placeholder] = copy;
                raw[placeholder] = JsonSerializer.Serialize((string)key);
                return $"duplicate {path}";
            case 6:
                var depth = random.Next(20, 80);
                var open = random.Next(2) == 0 ? "[" : "{\"a\":";
                var close = open == "[" ? "]" : "}";
                Set(parent, key, placeholder);
                raw[placeholder] = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
                return $"nest {depth} at {path}";
            case 7:
                body[$"extra{random.Next(100)}"] = random.Next(2) == 0 ? Retype(random) : new string('x', random.Next(0, 40_000));
                return "unknown field";
            default:
                Set(parent, key, random.Next(3) switch
                {
                    0 => new JsonArray(),
                    1 => new JsonArray(Enumerable.Range(0, random.Next(1, 300)).Select(_ => (JsonNode?)Retype(random)).ToArray()),
                    _ => new JsonArray("withdrawn", "withdrawn", "all", null, 7),
                });
                return $"array {path}";
        }
    }

    /// <summary>A random place in the tree: an object property or an array item, with its JSON path.</summary>
    private static (JsonNode Parent, object Key, string Path) PickSlot(Random random, JsonObject body)
    {
        JsonNode parent = body;
        var path = "$";
        while (true)
        {
            (object Key, JsonNode? Child)[] slots = parent switch
            {
                JsonObject o => o.Select(p => ((object)p.Key, p.Value)).ToArray(),
                JsonArray a => a.Select((v, i) => ((object)i, v)).ToArray(),
                _ => [],
            };
            if (slots.Length == 0)
            {
                return (parent, parent is JsonArray ? 0 : "empty", path);
            }

            var (key, child) = slots[random.Next(slots.Length)];
            var childPath = key is int i ? $"{path}[{i}]" : $"{path}.{key}";
            if (child is JsonObject or JsonArray && random.Next(3) != 0)
            {
                parent = child;
                path = childPath;
                continue;
            }

            return (parent, key, childPath);
        }
    }

    private static JsonNode? Current(JsonNode parent, object key) => parent switch
    {
        JsonObject o => o[(string)key],
        JsonArray a when (int)key < a.Count => a[(int)key],
        _ => null,
    };

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject o:
                o[(string)key] = value;
                break;
            case JsonArray a when (int)key < a.Count:
                a[(int)key] = value;
                break;
            case JsonArray a:
                a.Add(value);
                break;
        }
    }

    private static void Remove(JsonNode parent, object key)
    {
        switch (parent)
        {
            case JsonObject o:
                o.Remove((string)key);
                break;
            case JsonArray a when (int)key < a.Count:
                a.RemoveAt((int)key);
                break;
        }
    }

    private static JsonNode? Retype(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => true,
        2 => 0,
        3 => -1,
        4 => JsonNode.Parse("1e308"),
        5 => "",
        6 => new JsonObject(),
        7 => new JsonArray(),
        8 => JsonNode.Parse("123456789012345678901234567890"),
        _ => "x",
    };

    private static JsonNode? Number(Random random) => JsonNode.Parse(random.Next(10) switch
    {
        0 => "2147483648",
        1 => "-2147483649",
        2 => "-0",
        3 => "1e-400",
        4 => "9",
        5 => "0",
        6 => "5.0",
        7 => "1E2",
        8 => "99999999999999999999999999999999999999999",
        _ => random.Next(-10, 20).ToString(CultureInfo.InvariantCulture),
    });

    private static JsonNode? Time(Random random) => (JsonNode?)(random.Next(8) switch
    {
        0 => DateTimeOffset.UtcNow.AddMinutes(random.Next(6, 100_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        1 => "1900-01-01T00:00:00Z",
        2 => "0001-01-01T00:00:00+14:00",
        3 => "9999-12-31T23:59:59-14:00",
        4 => "2026-13-40T25:61:61Z",
        5 => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "Z\n",
        6 => "2016-02-30",
        _ => DateTimeOffset.UtcNow.AddMinutes(-random.Next(0, 100_000)).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
    });

    private static JsonNode? Text(Random random, Dictionary<string, string> raw, string placeholder, JsonNode? current)
    {
        var value = current is JsonValue v && v.TryGetValue<string>(out var str) ? str : "tekst";
        switch (random.Next(16))
        {
            case 0:
                raw[placeholder] = "\"\\ud800\"";
                return placeholder;
            case 1:
                raw[placeholder] = "\"a\\udc00\\ud800b\"";
                return placeholder;
            case 2:
                raw[placeholder] = JsonSerializer.Serialize(value)[..^1] + "\\udbff\"";
                return placeholder;
            case 3:
                return value + "\n";
            case 4:
                return "\0";
            case 5:
                return value.Insert(random.Next(value.Length + 1), ((char)random.Next(0, 32)).ToString());
            case 6:
                return value + "\u0085";
            case 7:
                return "\u200B\u2060\uFEFF";
            case 8:
                return "  \t ";
            case 9:
                return new string('y', random.Next(4001, 20_000));
            case 10:
                return "";
            case 11:
                return value + "\U0001F600\u202E";
            case 12:
                return value.ToUpperInvariant();
            case 13:
                return "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669";
            case 14:
                return value + "\u007F";
            default:
                return " " + value + " ";
        }
    }

    private static (byte[] Bytes, string What) MutateBytes(Random random, byte[] bytes)
    {
        var at = random.Next(bytes.Length + 1);
        switch (random.Next(7))
        {
            case 0:
                return (bytes[..at], $"truncate at {at}");
            case 1:
                byte[] invalid = random.Next(3) switch { 0 => [0xFF], 1 => [0xC3], _ => [0xED, 0xA0, 0x80] };
                return ([.. bytes[..at], .. invalid, .. bytes[at..]], $"invalid UTF-8 at {at}");
            case 2:
                return ([0xEF, 0xBB, 0xBF, .. bytes], "BOM");
            case 3:
                return ([.. bytes[..at], (byte)random.Next(0, 32), .. bytes[at..]], $"raw control byte at {at}");
            case 4:
                var flipped = bytes.ToArray();
                if (flipped.Length > 0)
                {
                    flipped[Math.Min(at, flipped.Length - 1)] ^= (byte)(1 << random.Next(8));
                }

                return (flipped, $"flip a bit at {at}");
            case 5:
                return (random.Next(4) switch { 0 => "[]"u8.ToArray(), 1 => "\"x\""u8.ToArray(), 2 => "null"u8.ToArray(), _ => "  "u8.ToArray() }, "not an object");
            default:
                return ([.. bytes, .. "}"u8.ToArray()], "trailing garbage");
        }
    }

    private static JsonObject Consent(Random random, string bsn) => new()
    {
        ["bsn"] = bsn,
        ["status"] = random.Next(3) switch { 0 => "given", 1 => "refused", _ => "withdrawn" },
        ["scope"] = new JsonArray("all"),
        ["givenBy"] = "parent",
        ["recordedAt"] = Melding.ReportedAt,
    };

    /// <summary>A BSN passing the elfproef, from the seeded Random so the run is reproducible.</summary>
    private static string Bsn(Random random)
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 8).Select(i => random.Next(i == 0 ? 1 : 0, 10)).ToArray();
            var check = digits.Select((d, i) => (9 - i) * d).Sum() % 11;
            if (check < 10)
            {
                return string.Concat(digits) + check;
            }
        }
    }
}
