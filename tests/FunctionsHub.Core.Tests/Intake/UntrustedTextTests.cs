using System.Text.Json;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Intake;

/// <summary>
/// Text a hostile sender can put into any string field: undecodable escapes, control characters,
/// a trailing newline past an anchored pattern, invisible-only values, and names given twice.
/// </summary>
public sealed class UntrustedTextTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 5, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, string[]> MeldingErrors(string feed, string json) =>
        Assert.IsType<ParseOutcome.Invalid>(ParseMelding(feed, json)).Errors;

    private static ParseOutcome ParseMelding(string feed, string json) =>
        MeldingParser.Parse(JsonDocument.Parse(json).RootElement, feed, "partner", "mld_test", ReceivedAt, TestHub.Demo());

    /// <summary>The sample body of a feed with one literal piece of JSON text swapped for another.</summary>
    private static string Sample(string feed, string find, string replace)
    {
        var text = FeedBodies.For(feed);
        Assert.Contains(find, text);
        return text.Replace(find, replace, StringComparison.Ordinal);
    }

    private const string Consent = """{ "bsn": "111222333", "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-01T15:00:00+01:00" }""";

    [Theory]
    [InlineData(@"""\ud800""")]
    [InlineData(@"""\udc00\ud800""")]
    [InlineData(@"""REG\udfff-1""")]
    public void Lone_surrogate_in_a_string_is_400_at_its_path(string literal)
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"REGENBOOG-2026-0142\"", literal));

        Assert.Equal(["$.externalId"], errors.Keys);
        Assert.Equal(["must be valid Unicode text."], errors["$.externalId"]);
    }

    [Fact]
    public void Lone_surrogate_in_a_list_item_is_400_at_the_item()
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "[\"withdrawn\"]", @"[""withdrawn"", ""\ud800""]"));

        Assert.Equal(["$.concerns[1]"], errors.Keys);
    }

    [Fact]
    public void Lone_surrogate_in_an_ignored_field_is_refused_too_because_the_raw_body_travels_on()
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"urgency\"", @"""note"": ""\ud800"", ""urgency"""));

        Assert.Equal(["$.note"], errors.Keys);
    }

    [Fact]
    public void Lone_surrogate_in_a_property_name_is_refused_at_its_object()
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"givenName\"", @"""\ud800"": 1, ""givenName"""));

        Assert.Equal(["$.child"], errors.Keys);
    }

    [Fact]
    public void A_valid_surrogate_pair_is_text()
    {
        var melding = Assert.IsType<ParseOutcome.Parsed>(ParseMelding(Feeds.School, Sample(Feeds.School, "\"Sam\"", @"""Sam \ud83d\ude00"""))).Melding;

        Assert.Equal("Sam \U0001F600", melding.Child.GivenName);
    }

    [Fact]
    public void Lone_surrogate_in_a_consent_is_400_at_its_path()
    {
        var (consent, errors) = ConsentParser.Parse(JsonDocument.Parse(Consent.Replace("\"parent\"", @"""\ud800""")).RootElement, ReceivedAt);

        Assert.Null(consent);
        Assert.Equal(["$.givenBy"], errors.Keys);
    }

    public static TheoryData<string, string, string> TrailingNewlineCases() => new()
    {
        { Feeds.School, "\"REGENBOOG-2026-0142\"", "$.externalId" },
        { Feeds.School, "\"2026-11-02T09:30:00+01:00\"", "$.reportedAt" },
        { Feeds.School, "\"111222333\"", "$.child.bsn" },
        { Feeds.School, "\"2016-05-14\"", "$.child.birthDate" },
        { Feeds.School, "\"3071 AB\"", "$.child.postcode" },
        { Feeds.School, "\"Sam\"", "$.child.givenName" },
        { Feeds.School, "\"Voorbeeld\"", "$.child.familyName" },
        { Feeds.School, "\"J. de Vries\"", "$.referrer.name" },
        { Feeds.School, "\"intern begeleider\"", "$.referrer.role" },
        { Feeds.School, "\"ib@obs-de-regenboog.example\"", "$.referrer.email" },
        { Feeds.School, "\"010-1234567\"", "$.referrer.phone" },
        { Feeds.School, "\"given\"", "$.consent.status" },
        { Feeds.School, "[\"all\"]", "$.consent.scope[0]" },
        { Feeds.School, "\"parent\"", "$.consent.givenBy" },
        { Feeds.School, "\"2026-11-01T15:00:00+01:00\"", "$.consent.recordedAt" },
        { Feeds.School, "\"normal\"", "$.urgency" },
        { Feeds.School, "\"12AB\"", "$.school.brin" },
        { Feeds.School, "\"OBS De Regenboog\"", "$.school.name" },
        { Feeds.School, "[\"withdrawn\"]", "$.concerns[0]" },
        { Feeds.Police, "\"shoplifting\"", "$.incident.type" },
        { Feeds.Police, "\"suspect\"", "$.incident.role" },
        { Feeds.Police, "\"2026-11-03T17:45:00+01:00\"", "$.incident.occurredAt" },
        { Feeds.Police, "\"yellow\"", "$.riskLevel" },
        { Feeds.Welfare, "\"youth-work\"", "$.organisation.kind" },
        { Feeds.Welfare, "\"Jongerenwerk Voorbeeldstad\"", "$.organisation.name" },
    };

    [Theory]
    [MemberData(nameof(TrailingNewlineCases))]
    public void A_trailing_newline_is_400_at_its_path(string feed, string literal, string path)
    {
        // Put "\n" just inside the closing quote of the (first) string in the literal.
        var withNewline = literal.StartsWith('[') ? literal.Replace("\"]", "\\n\"]") : literal[..^1] + "\\n\"";

        var errors = MeldingErrors(feed, Sample(feed, literal, withNewline));

        Assert.Contains(path, errors.Keys);
    }

    [Theory]
    [InlineData("\"12AB\\n\"", "$.school.brin")]
    [InlineData("\"3071 AB\\n\"", "$.child.postcode")]
    [InlineData("\"a@b.example\\n\"", "$.referrer.email")]
    public void Anchored_patterns_end_at_the_end_of_the_text_not_before_a_final_newline(string json, string path)
    {
        var field = path[2..];
        var errors = Assert.IsType<ParseOutcome.Invalid>(MeldingParser.Parse(FeedBodies.Body(Feeds.School, (field, json)), Feeds.School, "partner", "mld_test", ReceivedAt, TestHub.Demo())).Errors;

        Assert.Equal([path], errors.Keys);
    }

    [Fact]
    public void A_provider_id_with_a_trailing_newline_is_not_an_id()
    {
        Assert.False(Core.Configuration.HubDocumentValidator.IsValidId("cjg\n"));
        Assert.True(Core.Configuration.HubDocumentValidator.IsValidId("cjg"));
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("A\\u0000B")]
    [InlineData("A\\tB")]
    [InlineData("A\\u001bB")]
    [InlineData("A\\u007fB")]
    [InlineData("A\\u0085B")]
    [InlineData("A\\u009fB")]
    public void A_control_character_in_a_short_field_is_400_at_its_path(string escaped)
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"REGENBOOG-2026-0142\"", $"\"{escaped}\""));

        Assert.Equal(["$.externalId"], errors.Keys);
        Assert.Equal(["must not contain control characters."], errors["$.externalId"]);
    }

    [Fact]
    public void The_description_may_hold_line_breaks_and_tabs()
    {
        var melding = Assert.IsType<ParseOutcome.Parsed>(ParseMelding(Feeds.School, Sample(Feeds.School, "\"Sam trekt zich", "\"Regel 1\\r\\n\\tRegel 2: Sam trekt zich"))).Melding;

        Assert.StartsWith("Regel 1\r\n\tRegel 2", melding.Description);
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u0007")]
    [InlineData("\\u0085")]
    public void The_description_refuses_other_control_characters(string escaped)
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"Sam trekt", $"\"{escaped}Sam trekt"));

        Assert.Equal(["$.description"], errors.Keys);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\\u200b")]
    [InlineData("\\u200c\\u200d")]
    [InlineData("\\u2060")]
    [InlineData("\\ufeff")]
    [InlineData(" \\u00a0\\u200b ")]
    public void A_value_of_only_blank_or_zero_width_characters_is_empty(string escaped)
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"J. de Vries\"", $"\"{escaped}\""));

        Assert.Equal(["$.referrer.name"], errors.Keys);
        Assert.Equal(["must not be empty."], errors["$.referrer.name"]);
    }

    [Fact]
    public void A_blank_description_is_empty_too()
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"Sam trekt zich de laatste weken sterk terug in de klas.\"", "\"\\n\\t\\u200b\""));

        Assert.Equal(["$.description"], errors.Keys);
    }

    [Fact]
    public void A_consent_with_a_control_character_is_400_at_its_path()
    {
        var (_, errors) = ConsentParser.Parse(JsonDocument.Parse(Consent.Replace("\"given\"", "\"given\\n\"")).RootElement, ReceivedAt);

        Assert.Equal(["$.status"], errors.Keys);
    }

    [Theory]
    [InlineData("\"urgency\": \"normal\"", "\"urgency\": \"acute\", \"urgency\": \"normal\"", "$.urgency")]
    [InlineData("\"bsn\": \"111222333\"", "\"bsn\": \"111222333\", \"bsn\": \"123456782\"", "$.child.bsn")]
    [InlineData("\"brin\": \"12AB\"", "\"brin\": \"12AB\", \"brin\": \"12AB\"", "$.school.brin")]
    [InlineData("\"urgency\": \"normal\"", "\"urgency\": \"normal\", \"x\": { \"y\": [ { \"z\": 1, \"z\": 2 } ] }", "$.x.y[0].z")]
    [InlineData("\"urgency\": \"normal\"", "\"urgency\": \"normal\", \"\\u0075rgency\": \"normal\"", "$.urgency")]
    public void A_duplicate_property_name_is_400_at_the_duplicate(string find, string replace, string path)
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, find, replace));

        Assert.Equal([path], errors.Keys);
        Assert.Equal(["is given more than once."], errors[path]);
    }

    [Fact]
    public void A_duplicate_name_that_is_not_a_plain_word_is_reported_at_its_object_without_the_name()
    {
        var errors = MeldingErrors(Feeds.School, Sample(Feeds.School, "\"givenName\"", "\"111 222 333\": 1, \"111 222 333\": 2, \"givenName\""));

        Assert.Equal(["$.child"], errors.Keys);
        Assert.DoesNotContain("111 222 333", string.Concat(errors["$.child"]));
    }

    [Fact]
    public void A_duplicate_property_in_a_consent_is_400_at_the_duplicate()
    {
        var (consent, errors) = ConsentParser.Parse(JsonDocument.Parse(Consent.Replace("\"status\": \"given\"", "\"status\": \"withdrawn\", \"status\": \"given\"")).RootElement, ReceivedAt);

        Assert.Null(consent);
        Assert.Equal(["$.status"], errors.Keys);
    }
}
