using System.Text.Json;
using FunctionsHub.Core.Consent;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Intake;

/// <summary>Every time a body carries is bounded like reportedAt: not ahead of receipt beyond the clock skew, not before the child.</summary>
public sealed class TimeBoundsTests
{
    // Noon on 5 November 2026 UTC; the police sample's child was born on 2016-02-29.
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 5, 12, 0, 0, TimeSpan.Zero);

    private static ParseOutcome Parse(string feed, params (string Path, string? Json)[] changes) =>
        MeldingParser.Parse(FeedBodies.Body(feed, changes), feed, "partner", "mld_test", ReceivedAt, TestHub.Demo());

    private static IReadOnlyDictionary<string, string[]> Errors(string feed, params (string Path, string? Json)[] changes) =>
        Assert.IsType<ParseOutcome.Invalid>(Parse(feed, changes)).Errors;

    [Fact]
    public void Occurred_at_ten_minutes_in_the_future_is_400_at_its_path()
    {
        var errors = Errors(Feeds.Police, ("incident.occurredAt", "\"2026-11-05T12:10:00Z\""), ("reportedAt", "\"2026-11-05T12:00:00Z\""));

        Assert.Equal(["$.incident.occurredAt"], errors.Keys);
        Assert.Equal(["must not be more than 5 minutes in the future."], errors["$.incident.occurredAt"]);
    }

    [Fact]
    public void Occurred_at_up_to_five_minutes_in_the_future_is_accepted_for_clock_skew()
    {
        var melding = Assert.IsType<ParseOutcome.Parsed>(Parse(Feeds.Police, ("incident.occurredAt", "\"2026-11-05T12:05:00Z\""))).Melding;

        Assert.Equal(ReceivedAt.AddMinutes(5), melding.Police!.OccurredAt);
    }

    [Theory]
    [InlineData("1900-01-01T00:00:00Z")]
    [InlineData("2016-02-28T23:30:00+01:00")]
    public void Occurred_at_before_the_childs_birth_date_is_400_at_its_path(string occurredAt)
    {
        var errors = Errors(Feeds.Police, ("incident.occurredAt", $"\"{occurredAt}\""));

        Assert.Equal(["$.incident.occurredAt"], errors.Keys);
        Assert.Equal(["must not be before the child's birth date."], errors["$.incident.occurredAt"]);
    }

    [Fact]
    public void Occurred_at_on_the_local_birth_day_is_accepted()
    {
        // 23:30 UTC on the 28th is already the 29th in Amsterdam.
        Assert.IsType<ParseOutcome.Parsed>(Parse(Feeds.Police, ("incident.occurredAt", "\"2016-02-28T23:30:00Z\"")));
    }

    [Fact]
    public void Consent_recorded_at_more_than_five_minutes_in_the_future_is_400_at_its_path()
    {
        var errors = Errors(Feeds.School, ("consent.recordedAt", "\"2026-11-05T12:05:01Z\""));

        Assert.Equal(["$.consent.recordedAt"], errors.Keys);
    }

    [Fact]
    public void Consent_recorded_at_up_to_five_minutes_in_the_future_is_accepted()
    {
        var melding = Assert.IsType<ParseOutcome.Parsed>(Parse(Feeds.School, ("consent.recordedAt", "\"2026-11-05T12:05:00Z\""))).Melding;

        Assert.Equal(ReceivedAt.AddMinutes(5), melding.Consent!.RecordedAt);
    }

    [Fact]
    public void A_consent_statement_recorded_more_than_five_minutes_ahead_is_400_at_its_path()
    {
        var body = JsonDocument.Parse("""{ "bsn": "111222333", "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-05T12:05:01Z" }""").RootElement;

        var (consent, errors) = ConsentParser.Parse(body, ReceivedAt);

        Assert.Null(consent);
        Assert.Equal(["$.recordedAt"], errors.Keys);
    }
}
