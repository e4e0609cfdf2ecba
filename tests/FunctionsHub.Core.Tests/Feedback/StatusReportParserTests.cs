using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsHub.Core.Feedback;
using FunctionsHub.Core.Routing;

namespace FunctionsHub.Core.Tests.Feedback;

/// <summary>The field rules of a status report: every problem at once, by JSON path, never quoting a value.</summary>
public sealed class StatusReportParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    private static (StatusReport? Report, IReadOnlyDictionary<string, string[]> Errors) Parse(string status, string? reason = null, string? note = null, string? occurredAt = null)
    {
        var body = new JsonObject { ["status"] = status, ["occurredAt"] = occurredAt ?? "2026-11-10T13:00:00+01:00" };
        if (reason is not null)
        {
            body["reason"] = reason;
        }

        if (note is not null)
        {
            body["note"] = note;
        }

        return StatusReportParser.Parse(JsonDocument.Parse(body.ToJsonString()).RootElement, Now);
    }

    public static TheoryData<string, string> EveryEndingWithEachReason()
    {
        var data = new TheoryData<string, string>();
        foreach (var ending in new[] { ReferralStatus.Declined, ReferralStatus.NoContact, ReferralStatus.Withdrawn })
        {
            foreach (var reason in ReferralLifecycle.ReasonsFor(ending))
            {
                data.Add(ending.Name(), reason);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryEndingWithEachReason))]
    public void An_ending_is_read_with_each_of_its_reasons(string status, string reason)
    {
        var (report, errors) = Parse(status, reason);

        Assert.Empty(errors);
        Assert.Equal(status, report!.Status.Name());
        Assert.Equal(reason, report.Reason);
    }

    [Theory]
    [InlineData("declined")]
    [InlineData("no-contact")]
    [InlineData("withdrawn")]
    public void An_ending_without_a_reason_is_refused(string status)
    {
        Assert.Equal(["$.reason"], Parse(status).Errors.Keys);
    }

    [Theory]
    [InlineData("declined", "moved")]
    [InlineData("no-contact", "capacity")]
    [InlineData("withdrawn", "unreachable")]
    public void An_ending_with_another_endings_reason_is_refused(string status, string reason)
    {
        Assert.Equal(["$.reason"], Parse(status, reason).Errors.Keys);
    }

    [Theory]
    [InlineData("received")]
    [InlineData("contacted")]
    [InlineData("intake-completed")]
    [InlineData("intervention-started")]
    [InlineData("completed")]
    public void A_status_that_takes_no_reason_is_refused_with_one_and_read_without(string status)
    {
        Assert.Equal(["$.reason"], Parse(status, "other").Errors.Keys);
        Assert.Empty(Parse(status).Errors);
    }

    [Fact]
    public void An_unknown_status_a_missing_time_and_a_long_note_are_all_named_at_once_without_their_values()
    {
        var body = JsonDocument.Parse($$"""{ "status": "reopened", "note": "{{new string('x', 1001)}}" }""").RootElement;

        var (report, errors) = StatusReportParser.Parse(body, Now);

        Assert.Null(report);
        Assert.Equal(["$.note", "$.occurredAt", "$.status"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(errors.Values.SelectMany(v => v), m => m.Contains("reopened") || m.Contains("xxx"));
    }

    [Fact]
    public void A_note_of_1000_characters_with_line_breaks_is_read_and_control_characters_are_not()
    {
        var note = string.Concat(Enumerable.Repeat("regel\r\n\t", 125));
        Assert.Equal(1000, note.Length);

        Assert.Equal(note, Parse("contacted", note: note).Report!.Note);
        Assert.Equal(["$.note"], Parse("contacted", note: "bel\u0007terug").Errors.Keys);
        Assert.Equal(["$.note"], Parse("contacted", note: "\u200B ").Errors.Keys);
    }

    [Theory]
    [InlineData("2026-11-10T12:05:00Z", true)]
    [InlineData("2026-11-10T12:05:01Z", false)]
    [InlineData("2026-11-10T12:00:00", false)]
    [InlineData("10-11-2026", false)]
    public void OccurredAt_is_RFC_3339_with_an_offset_and_at_most_the_skew_ahead(string occurredAt, bool valid)
    {
        var (_, errors) = Parse("contacted", occurredAt: occurredAt);

        Assert.Equal(valid ? [] : ["$.occurredAt"], errors.Keys);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_refused_at_the_root()
    {
        Assert.Equal(["$"], StatusReportParser.Parse(JsonDocument.Parse("[]").RootElement, Now).Errors.Keys);
    }
}
