using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHub.Core;
using FunctionsHub.Core.Campaigns;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Notifications;
using FunctionsHub.Core.Routing;
using FunctionsHub.Core.Serialization;
using FunctionsHub.Testing;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The integration contract in <c>docs/contract</c> against the hub: every inbox message and every
/// notification the shared test hub sent validates against its JSON Schema, the configuration
/// documents against theirs, the AsyncAPI document's references resolve, and the schemas' vocabularies
/// are the code's. A field the hub adds, drops or leaks as null fails here, with its path.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class ContractSchemaTests(HubFixture hub)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] Providers = ["cjg", "basta", "pak-je-kans", "alles-kidzzz", "pit", "veilig-thuis"];

    private static readonly string[] InboxKinds = [ReferralKinds.Referral, ReferralKinds.Signal, ReferralKinds.ConsentWithdrawn, ReferralKinds.ReferralRetracted];

    /// <summary>Every <see cref="NotificationTypes"/> constant: the types the hub sends today.</summary>
    private static readonly string[] NotificationTypeNames = typeof(NotificationTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Every_inbox_message_and_notification_the_hub_sent_validates_against_its_schema()
    {
        await ProduceEveryKindAndTypeAsync();

        var errors = new List<string>();
        var validKinds = new HashSet<string>(StringComparer.Ordinal);
        var validTypes = new HashSet<string>(StringComparer.Ordinal);
        var inboxCount = 0;
        foreach (var provider in Providers)
        {
            foreach (var text in await hub.ReceivedAsync($"inbox-{provider}"))
            {
                inboxCount++;
                var message = JsonNode.Parse(text)!;
                var kind = message["kind"]?.GetValue<string>() ?? "(no kind)";
                var id = message["referralId"]?.GetValue<string>() ?? message["noticeId"]?.GetValue<string>() ?? "(no id)";
                var where = $"inbox-{provider} {kind} {id}";
                var found = Contract.Errors(Contract.InboxSchemaOf(kind), message).Concat(Contract.Errors("inbox-message.schema.json", message)).Distinct().ToArray();
                errors.AddRange(found.Select(e => $"{where}: {e}"));
                if (found.Length == 0)
                {
                    validKinds.Add(kind);
                }
            }
        }

        var callbacks = hub.Callbacks.Received;
        foreach (var callback in callbacks)
        {
            var body = JsonNode.Parse(callback.Body)!;
            var type = body["type"]?.GetValue<string>() ?? "(no type)";
            var where = $"{callback.Path} {type} {callback.WebhookId}";
            var found = Contract.Errors(Contract.NotificationSchemaOf(type), body).Concat(Contract.Errors("notification.schema.json", body)).Distinct().ToArray();
            errors.AddRange(found.Select(e => $"{where}: {e}"));
            if (callback.WebhookId != body["id"]?.GetValue<string>())
            {
                errors.Add($"{where}: webhook-id is not the body's id");
            }

            if (found.Length == 0)
            {
                validTypes.Add(type);
            }
        }

        Assert.True(errors.Count == 0, $"{errors.Count} schema error(s) in {inboxCount} inbox message(s) and {callbacks.Count} notification(s):\n" + string.Join("\n", errors));
        Assert.Equal(InboxKinds.Order(StringComparer.Ordinal), validKinds.Order(StringComparer.Ordinal));
        Assert.Equal(NotificationTypeNames, validTypes.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// At least one of each inbox kind and notification type, made here because the tests that make
    /// them may run after this one: a child reported by the police without consent (signals), then by
    /// the school with consent (a referral, a match), the referral's status, its consent withdrawn; an
    /// overdue referral, the match unconfirmed at its deadline, the digest, the campaigns and a partner
    /// silent for four months.
    /// </summary>
    private async Task ProduceEveryKindAndTypeAsync()
    {
        var bsn = Melding.NewBsn();
        var police = await PostAsync("police", Melding.Body("police", $"CONTRACT-{Guid.NewGuid():N}", bsn).With("consent", null));
        await hub.RoutedAsync(police);
        var school = await PostAsync("school", Melding.Body("school", $"CONTRACT-{Guid.NewGuid():N}", bsn));
        await hub.RoutedAsync(school);
        var cjgReferral = hub.ReferralIds.For(school, "cjg");

        var status = await hub.PostSignedAsync($"/api/referrals/{cjgReferral}/status", "X-Provider-Id", "cjg", FeedbackTests.Status("contacted"));
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
        var withdrawal = await hub.PostSignedAsync("/api/consents", "X-Partner-Id", Melding.SchoolPartner, $$"""
            { "bsn": "{{bsn}}", "status": "withdrawn", "scope": ["all"], "givenBy": "parent", "recordedAt": "{{Melding.ReportedAt}}" }
            """);
        Assert.Equal(HttpStatusCode.Accepted, withdrawal.StatusCode);

        // A welfare melding about the same child (a match with the school's melding and the police's), then
        // retracted: referral-retracted to its provider, match.withdrawn to the school and the police.
        var retracted = await PostAsync("welfare", Melding.Body("welfare", $"CONTRACT-{Guid.NewGuid():N}", bsn));
        await hub.RoutedAsync(retracted);
        var retraction = await hub.PostSignedAsync($"/api/meldingen/{retracted}/retract", "X-Partner-Id", Melding.WelfarePartner, """{"reason":"duplicate"}""");
        Assert.Equal(HttpStatusCode.OK, retraction.StatusCode);

        var matchId = Identifiers.MatchId(police, school);
        await hub.BringFollowUpDueAsync(matchId);
        var (_, overdue) = await hub.RecordReferralFallingDueAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CheckDeadlines", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/CompileDigest", "{}")).StatusCode);

        // Silent since four months (and a few random seconds, so a rerun is a silent period of its own);
        // in no campaign's audience, so the reminder goes to the gemeente alone.
        const string silent = Melding.WelfarePartner;
        await hub.Services.GetRequiredService<IReferrerDirectory>().RecordMeldingAsync(
            silent, DateTimeOffset.UtcNow.AddMonths(-4).AddSeconds(-Random.Shared.Next(1, 86_400)), null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/SendCampaigns", "{}")).StatusCode);

        // A referrer who last sent 25 months ago (an address of its own per run): the purge removes them and reports it.
        var gone = $"purge-{Guid.NewGuid():N}@voorbeeldstad.example";
        var keys = hub.Services.GetRequiredService<ReferrerKeys>();
        await hub.Services.GetRequiredService<IReferrerDirectory>().RecordMeldingAsync(Melding.PolicePartner, DateTimeOffset.UtcNow.AddMonths(-25),
            new DirectoryReferrer(Melding.PolicePartner, keys.Of(gone), "Oud", gone, DateTimeOffset.UtcNow.AddMonths(-25)), CancellationToken.None);
        // The police's own last melding back to now: the old date was the referrer's, not the partner's (no silent-partner reminder).
        await hub.Services.GetRequiredService<IReferrerDirectory>().RecordMeldingAsync(Melding.PolicePartner, DateTimeOffset.UtcNow, null, CancellationToken.None);
        var purgesBefore = hub.Callbacks.ReceivedAt("/subscriber/gemeente-jeugd").Count(r => r.Type == NotificationTypes.RetentionPurged);
        Assert.Equal(HttpStatusCode.Accepted, (await hub.SendWithKeyAsync(HttpMethod.Post, "/admin/functions/PurgeRetention", "{}")).StatusCode);

        await InboxAsync("basta", m => m.Contains(police, StringComparison.Ordinal) && m.Contains("\"kind\":\"signal\"", StringComparison.Ordinal));
        await InboxAsync("cjg", m => m.Contains(school, StringComparison.Ordinal) && m.Contains("\"kind\":\"referral\"", StringComparison.Ordinal));
        await InboxAsync("cjg", m => m.Contains("\"kind\":\"consent-withdrawn\"", StringComparison.Ordinal) && m.Contains(cjgReferral, StringComparison.Ordinal));
        await Poll.UntilAsync(async () =>
        {
            foreach (var provider in Providers)
            {
                if ((await hub.ReceivedAsync($"inbox-{provider}")).Any(m => m.Contains("\"kind\":\"referral-retracted\"", StringComparison.Ordinal) && m.Contains(retracted, StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        }, Deadline, "a referral-retracted notice in an inbox");
        await hub.DeliveredAsync("partner", Melding.PolicePartner, NotificationTypes.MeldingRouted, r => r.Body.Contains(police, StringComparison.Ordinal));
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.MatchFound, r => r.Body.Contains(school, StringComparison.Ordinal));
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.ReferralStatusChanged, r => r.Body.Contains(cjgReferral, StringComparison.Ordinal));
        await hub.DeliveredAsync("provider", "cjg", NotificationTypes.ReferralOverdue, r => r.Body.Contains(overdue, StringComparison.Ordinal));
        await hub.DeliveredAsync("subscriber", "gemeente-jeugd", NotificationTypes.MatchUnattended, r => r.Body.Contains(matchId, StringComparison.Ordinal));
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.MatchWithdrawn, r => r.Body.Contains(school, StringComparison.Ordinal));
        await hub.DeliveredAsync("subscriber", "gemeente-jeugd", NotificationTypes.DigestPublished, _ => true);
        await hub.DeliveredAsync("partner", Melding.SchoolPartner, NotificationTypes.CampaignMessage, _ => true);
        await hub.DeliveredAsync("subscriber", "gemeente-jeugd", NotificationTypes.PartnerSilent, r => r.Body.Contains(silent, StringComparison.Ordinal));
        await Poll.UntilAsync(() => Task.FromResult(hub.Callbacks.ReceivedAt("/subscriber/gemeente-jeugd").Count(r => r.Type == NotificationTypes.RetentionPurged) > purgesBefore),
            Deadline, "retention.purged at the subscriber");
    }

    private async Task<string> PostAsync(string feed, JsonObject body)
    {
        var response = await hub.PostMeldingAsync(feed, Melding.PartnerFor(feed), body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["meldingId"]!.GetValue<string>();
    }

    private Task<string> InboxAsync(string provider, Func<string, bool> matches) =>
        Poll.ForAsync(async () => (await hub.ReceivedAsync($"inbox-{provider}")).FirstOrDefault(matches), Deadline, $"the expected message in inbox-{provider}");

    [Theory]
    [InlineData("demo/hub-config.json")]
    [InlineData("tests/FunctionsHub.EndToEnd.Tests/hub-config.e2e.json")]
    public void The_shipped_configuration_documents_validate_and_name_the_schema_for_editors(string path)
    {
        var file = Path.Combine(Contract.Root, path);
        var document = JsonNode.Parse(File.ReadAllText(file))!;

        var errors = Contract.Errors("hub-config.schema.json", document);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var schemaPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, document["$schema"]!.GetValue<string>()));
        Assert.Equal(Path.Combine(Contract.Schemas, "hub-config.schema.json"), schemaPath);
        // The hub reads it, $schema and all: it ignores the property.
        Assert.Empty(HubDocumentValidator.Validate(JsonSerializer.Deserialize(File.ReadAllText(file), HubJson.Default.HubDocument)!));
    }

    [Theory]
    [InlineData("defaultProvidr", "\"cjg\"", "/defaultProvidr")]
    [InlineData("partners.0.feeed", "\"school\"", "/partners/0/feeed")]
    [InlineData("partners.0.feed", "\"schol\"", "/partners/0/feed")]
    [InlineData("routing.0.when.categories", "[\"agression\"]", "/routing/0/when/categories/0")]
    [InlineData("providers.0.firstContactHours", "0", "/providers/0/firstContactHours")]
    [InlineData("campaigns.0.sendAt", "\"9:00\"", "/campaigns/0/sendAt")]
    [InlineData("gemeente.subscribers.0.callbackUrl", "\"ftp://x.example/\"", "/gemeente/subscribers/0/callbackUrl")]
    public void A_typo_or_a_value_outside_the_vocabulary_fails_the_schema_at_its_path(string path, string json, string errorAt)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Contract.Root, "demo", "hub-config.json")))!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(document, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        parent[parts[^1]] = JsonNode.Parse(json);

        var errors = Contract.Errors("hub-config.schema.json", document);

        Assert.Contains(errors, e => e.StartsWith($"{(errorAt.Length == 0 ? "(root)" : errorAt)}:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("content", false)]
    [InlineData("debug", false)]
    [InlineData("child.givenName", false)]
    [InlineData("kind", false)]
    public void A_null_that_leaks_or_a_field_too_many_fails_the_inbox_schema(string setToNull, bool valid)
    {
        var signal = JsonNode.Parse($$"""
            { "schema": "functionshub.referral.v1", "referralId": "ref_{{new string('a', 48)}}", "meldingId": "mld_{{new string('a', 32)}}",
              "kind": "signal", "provider": "cjg", "createdAt": "2026-05-04T09:30:00.1234567+00:00", "feed": "police",
              "partner": { "id": "politie", "name": "Politie" }, "referrer": { "name": "J. de Vries", "email": "j@politie.example" },
              "child": { "bsn": "111222333", "birthDate": "2017-01-31", "ageYears": 9, "wijk": "west", "givenName": "Noor" },
              "consentBasis": "none", "urgency": "normal", "respondBefore": "2026-05-07T09:30:00+00:00" }
            """)!;
        if (setToNull.Length > 0)
        {
            var parts = setToNull.Split('.');
            parts[..^1].Aggregate(signal, (node, part) => node[part]!)[parts[^1]] = null;
        }

        Assert.Equal(valid, Contract.Errors("inbox-signal.schema.json", signal).Count == 0);
        Assert.Equal(valid, Contract.Errors("inbox-message.schema.json", signal).Count == 0);
    }

    [Fact]
    public void The_schemas_vocabularies_are_the_codes()
    {
        var common = JsonNode.Parse(File.ReadAllText(Path.Combine(Contract.Schemas, "common.schema.json")))!["$defs"]!;
        string[] Enum(string name) => common[name]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        string[] Sorted(IEnumerable<string> values) => values.Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Sorted(Feeds.All), Enum("feed"));
        Assert.Equal(Sorted(Taxonomy.Categories), Enum("category"));
        Assert.Equal(Sorted(Taxonomy.SchoolConcerns.Keys), Enum("schoolConcern"));
        Assert.Equal(Sorted(Taxonomy.IncidentTypes.Keys), Enum("incidentType"));
        Assert.Equal(Sorted(Taxonomy.IncidentRoles), Enum("incidentRole"));
        Assert.Equal(Sorted(Taxonomy.RiskLevels), Enum("riskLevel"));
        Assert.Equal(Sorted(Taxonomy.WelfareSignals.Keys), Enum("welfareSignal"));
        Assert.Equal(Sorted(Taxonomy.OrganisationKinds), Enum("organisationKind"));
        Assert.Equal(Sorted([Urgencies.Normal, Urgencies.Acute]), Enum("urgency"));
        Assert.Equal(Sorted(System.Enum.GetValues<ReferralStatus>().Select(s => s.Name())), Enum("referralStatus"));
        Assert.Equal(Sorted(System.Enum.GetValues<ReferralStatus>().SelectMany(ReferralLifecycle.ReasonsFor)), Enum("statusReason"));
        Assert.Equal(Sorted([ReferralKinds.Referral, ReferralKinds.Signal]), Enum("sentKind"));

        var notification = JsonNode.Parse(File.ReadAllText(Path.Combine(Contract.Schemas, "notification.schema.json")))!;
        Assert.Equal(NotificationTypeNames, Sorted(notification["properties"]!["type"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())));
        Assert.All(NotificationTypeNames, type => Assert.True(File.Exists(Path.Combine(Contract.Schemas, Contract.NotificationSchemaOf(type))), $"no schema file for {type}"));
    }

    [Fact]
    public void The_asyncapi_document_is_asyncapi_3_and_every_ref_resolves()
    {
        var path = Path.Combine(Contract.Root, "docs", "contract", "asyncapi.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
        Assert.Equal("3.0.0", Scalar(root, "asyncapi"));
        var channels = (YamlMappingNode)root["channels"];
        Assert.Equal("inbox-{providerId}", Scalar((YamlMappingNode)channels["providerInbox"], "address"));
        var messages = (YamlMappingNode)((YamlMappingNode)root["components"])["messages"];
        var names = messages.Children.Values.Cast<YamlMappingNode>().Select(m => Scalar(m, "name")).ToArray();
        Assert.Equal(InboxKinds.Concat(NotificationTypeNames).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        var headers = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)root["components"])["messageTraits"])["signedWebhook"])["headers"];
        Assert.Equal(["webhook-id", "webhook-timestamp", "webhook-signature"], ((YamlMappingNode)headers["properties"]).Children.Keys.Select(k => k.ToString()));

        var refs = Refs(root).ToArray();
        var files = refs.Where(r => !r.StartsWith('#')).ToArray();
        var problems = new List<string>();
        foreach (var reference in refs)
        {
            if (reference.StartsWith("#/", StringComparison.Ordinal))
            {
                YamlNode? node = root;
                foreach (var part in reference[2..].Split('/'))
                {
                    node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(part), out var child) ? child : null;
                }

                if (node is null)
                {
                    problems.Add($"{reference}: nothing there");
                }

                continue;
            }

            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference.Split('#')[0]));
            if (!File.Exists(file))
            {
                problems.Add($"{reference}: no such file");
            }
            else if (!Contract.Builds(Path.GetRelativePath(Contract.Schemas, file)))
            {
                problems.Add($"{reference}: not a schema the validator builds");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // Every message schema is the payload of a message.
        var messageSchemas = Directory.GetFiles(Contract.Schemas, "*.schema.json").Select(Path.GetFileName)
            .Where(f => f!.StartsWith("inbox-", StringComparison.Ordinal) && f != "inbox-message.schema.json" || f!.StartsWith("notification-", StringComparison.Ordinal));
        Assert.Equal(messageSchemas.Select(f => $"./schemas/{f}").Order(StringComparer.Ordinal), files.Distinct().Order(StringComparer.Ordinal));

        static string Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map[key]).Value!;
    }

    private static IEnumerable<string> Refs(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(p => p.Key is YamlScalarNode { Value: "$ref" } && p.Value is YamlScalarNode value ? [value.Value!] : Refs(p.Value)),
        YamlSequenceNode list => list.Children.SelectMany(Refs),
        _ => [],
    };
}

/// <summary>The schema files of <c>docs/contract/schemas</c>, built once, their references to each other resolved by file.</summary>
internal static class Contract
{
    public static readonly string Root = Azurite.RepositoryRoot();

    public static readonly string Schemas = Path.Combine(Root, "docs", "contract", "schemas");

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Built = new(BuildAll);

    public static string InboxSchemaOf(string kind) => $"inbox-{kind}.schema.json";

    public static string NotificationSchemaOf(string type) => $"notification-{type.Replace('.', '-')}.schema.json";

    public static bool Builds(string file) => Built.Value.ContainsKey(file);

    /// <summary>Every error of <paramref name="instance"/> against a schema file, as "instance path: message"; none when valid.</summary>
    public static IReadOnlyList<string> Errors(string file, JsonNode instance)
    {
        if (!Built.Value.TryGetValue(file, out var schema))
        {
            return [$"(root): no schema file {file}"];
        }

        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), Options);
        if (results.IsValid)
        {
            return [];
        }

        return Failed(results)
            .Where(r => r.Errors is { Count: > 0 })
            .SelectMany(r => r.Errors!.Select(e => $"{(r.InstanceLocation.ToString() is { Length: > 0 } at ? at : "(root)")}: {e.Key}: {e.Value} (schema {r.EvaluationPath})"))
            .Distinct()
            .ToArray();
    }

    /// <summary>The failed nodes under a failed node: a branch of a passing <c>oneOf</c> or <c>if</c> failed too, but is no error.</summary>
    private static IEnumerable<EvaluationResults> Failed(EvaluationResults results) =>
        results.IsValid ? [] : new[] { results }.Concat((results.Details ?? []).SelectMany(Failed));

    /// <summary>
    /// Every schema file, built under a URI of its name, so that a relative <c>$ref</c> finds its neighbour
    /// (fetched from the folder when first referred to) whatever the order. Not under its file URI: with a
    /// <c>file://</c> base, JsonSchema.Net 8.0.5 escapes the <c>#</c> of <c>common.schema.json#/$defs/feed</c>
    /// and then passes anything, silently; the typo tests above would catch that again.
    /// </summary>
    private static IReadOnlyDictionary<string, JsonSchema> BuildAll()
    {
        var baseUri = new Uri("https://contract.invalid/schemas/");
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        options.SchemaRegistry.Fetch = (uri, _) =>
        {
            var name = baseUri.MakeRelativeUri(new Uri(uri.GetLeftPart(UriPartial.Query))).OriginalString;
            var file = Path.Combine(Schemas, name);
            return !name.Contains('/') && File.Exists(file) ? JsonSchema.FromText(File.ReadAllText(file), options, new Uri(baseUri, name)) : null;
        };

        // Building registers a schema, and so does fetching one another refers to: ask the registry, which builds each once.
        return Directory.GetFiles(Schemas, "*.schema.json").Select(Path.GetFileName).ToDictionary(
            name => name!, name => (JsonSchema)options.SchemaRegistry.Get(new Uri(baseUri, name))!, StringComparer.Ordinal);
    }
}
