using System.Text.Json;
using FunctionsHub.Core.Configuration;
using FunctionsHub.Core.Intake;
using FunctionsHub.Core.Tests.Support;

namespace FunctionsHub.Core.Tests.Intake;

public sealed class MeldingParserTests
{
    private const string MeldingId = "mld_test";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 5, 12, 0, 0, TimeSpan.Zero);

    private static ParseOutcome Parse(JsonElement body, string feed, DateTimeOffset? receivedAt = null, HubDocument? document = null) =>
        MeldingParser.Parse(body, feed, PartnerFor(feed), MeldingId, receivedAt ?? ReceivedAt, document ?? TestHub.Demo());

    private static string PartnerFor(string feed) => feed switch
    {
        Feeds.School => TestHub.SchoolPartner,
        Feeds.Police => TestHub.PolicePartner,
        _ => TestHub.WelfarePartner,
    };

    private static Zorgmelding Parsed(JsonElement body, string feed, DateTimeOffset? receivedAt = null, HubDocument? document = null) =>
        Assert.IsType<ParseOutcome.Parsed>(Parse(body, feed, receivedAt, document)).Melding;

    private static IReadOnlyDictionary<string, string[]> Errors(JsonElement body, string feed, DateTimeOffset? receivedAt = null) =>
        Assert.IsType<ParseOutcome.Invalid>(Parse(body, feed, receivedAt)).Errors;

    [Theory]
    [InlineData(Feeds.School)]
    [InlineData(Feeds.Police)]
    [InlineData(Feeds.Welfare)]
    public void The_sample_body_of_each_feed_parses(string feed)
    {
        var melding = Parsed(FeedBodies.Body(feed), feed);

        Assert.Equal(feed, melding.Feed);
        Assert.Equal(MeldingId, melding.MeldingId);
        Assert.Equal(PartnerFor(feed), melding.PartnerId);
        Assert.Equal(ReceivedAt, melding.ReceivedAt);
        Assert.Equal(10, melding.AgeYears);
    }

    [Fact]
    public void A_school_melding_keeps_the_school_and_its_concerns()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School), Feeds.School);

        Assert.Equal("REGENBOOG-2026-0142", melding.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.FromHours(1)), melding.ReportedAt);
        Assert.Equal(new Child("111222333", new DateOnly(2016, 5, 14), "3071AB", "Sam", "Voorbeeld"), melding.Child);
        Assert.Equal(new Referrer("J. de Vries", "intern begeleider", "ib@obs-de-regenboog.example", "010-1234567"), melding.Referrer);
        Assert.NotNull(melding.School);
        Assert.Equal(("12AB", "OBS De Regenboog", 6), (melding.School.Brin, melding.School.Name, melding.School.Group));
        Assert.Equal(["withdrawn"], melding.School.Concerns);
        Assert.Equal("Sam trekt zich de laatste weken sterk terug in de klas.", melding.Description);
    }

    [Fact]
    public void A_given_consent_is_read_with_its_scope()
    {
        var consent = Parsed(FeedBodies.Body(Feeds.School), Feeds.School).Consent;

        Assert.NotNull(consent);
        Assert.Equal("given", consent.Status);
        Assert.Equal(["all"], consent.Scope);
        Assert.Equal("parent", consent.GivenBy);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.Zero), consent.RecordedAt);
    }

    [Fact]
    public void A_melding_without_consent_has_none()
    {
        Assert.Null(Parsed(FeedBodies.Body(Feeds.Police), Feeds.Police).Consent);
    }

    [Fact]
    public void A_police_melding_keeps_the_incident_and_risk_level()
    {
        var police = Parsed(FeedBodies.Body(Feeds.Police), Feeds.Police).Police;

        Assert.Equal(new PoliceDetails("shoplifting", "suspect", new DateTimeOffset(2026, 11, 3, 16, 45, 0, TimeSpan.Zero), "3021CD", "yellow"), police);
    }

    [Fact]
    public void A_welfare_melding_keeps_the_organisation_and_signals()
    {
        var welfare = Parsed(FeedBodies.Body(Feeds.Welfare), Feeds.Welfare).Welfare;

        Assert.NotNull(welfare);
        Assert.Equal("youth-work", welfare.OrganisationKind);
        Assert.Equal("Jongerenwerk Voorbeeldstad", welfare.OrganisationName);
        Assert.Equal(["hanging-around-late", "group-nuisance"], welfare.Signals);
    }

    [Fact]
    public void Urgency_defaults_to_normal()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Welfare, ("urgency", null)), Feeds.Welfare);

        Assert.Equal(Urgencies.Normal, melding.Urgency);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("meldingId", "\"mld_chosen_by_partner\""), ("child.wijk", "\"zuid\"")), Feeds.School);

        Assert.Equal(MeldingId, melding.MeldingId);
        Assert.Equal("noord", melding.Wijk);
    }

    [Theory]
    [InlineData(Feeds.School, "child.bsn", "\"123456789\"", "$.child.bsn")]
    [InlineData(Feeds.School, "child.bsn", null, "$.child.bsn")]
    [InlineData(Feeds.School, "child.bsn", "111222333", "$.child.bsn")]
    [InlineData(Feeds.School, "child", null, "$.child")]
    [InlineData(Feeds.School, "child.birthDate", "\"14-05-2016\"", "$.child.birthDate")]
    [InlineData(Feeds.School, "child.birthDate", null, "$.child.birthDate")]
    [InlineData(Feeds.School, "child.birthDate", "\"2026-11-07\"", "$.child.birthDate")]
    [InlineData(Feeds.School, "child.birthDate", "\"2026-11-03\"", "$.child.birthDate")]
    [InlineData(Feeds.School, "child.postcode", "\"0123AB\"", "$.child.postcode")]
    [InlineData(Feeds.School, "child.postcode", "\"3071-AB\"", "$.child.postcode")]
    [InlineData(Feeds.School, "child.givenName", "\"\"", "$.child.givenName")]
    [InlineData(Feeds.School, "externalId", null, "$.externalId")]
    [InlineData(Feeds.School, "externalId", "\" \"", "$.externalId")]
    [InlineData(Feeds.School, "reportedAt", null, "$.reportedAt")]
    [InlineData(Feeds.School, "reportedAt", "\"2026-11-02T09:30:00\"", "$.reportedAt")]
    [InlineData(Feeds.School, "reportedAt", "\"2 november 2026\"", "$.reportedAt")]
    [InlineData(Feeds.School, "referrer", null, "$.referrer")]
    [InlineData(Feeds.School, "referrer", "{ \"name\": \"J. de Vries\" }", "$.referrer")]
    [InlineData(Feeds.School, "referrer.name", null, "$.referrer.name")]
    [InlineData(Feeds.School, "referrer.email", "\"not-an-address\"", "$.referrer.email")]
    [InlineData(Feeds.School, "referrer.phone", "\"call me\"", "$.referrer.phone")]
    [InlineData(Feeds.School, "consent.status", "\"maybe\"", "$.consent.status")]
    [InlineData(Feeds.School, "consent.givenBy", null, "$.consent.givenBy")]
    [InlineData(Feeds.School, "consent.scope", "[]", "$.consent.scope")]
    [InlineData(Feeds.School, "consent.scope", "[\"All Providers\"]", "$.consent.scope[0]")]
    [InlineData(Feeds.School, "urgency", "\"high\"", "$.urgency")]
    [InlineData(Feeds.School, "school", null, "$.school")]
    [InlineData(Feeds.School, "school.group", "9", "$.school.group")]
    [InlineData(Feeds.School, "school.group", "0", "$.school.group")]
    [InlineData(Feeds.School, "school.group", "\"6\"", "$.school.group")]
    [InlineData(Feeds.School, "school.brin", "\"ABCD\"", "$.school.brin")]
    [InlineData(Feeds.School, "school.name", null, "$.school.name")]
    [InlineData(Feeds.School, "concerns", null, "$.concerns")]
    [InlineData(Feeds.School, "concerns", "[]", "$.concerns")]
    [InlineData(Feeds.School, "concerns", "[\"cheating\"]", "$.concerns[0]")]
    [InlineData(Feeds.Police, "incident", null, "$.incident")]
    [InlineData(Feeds.Police, "incident.type", "\"jaywalking\"", "$.incident.type")]
    [InlineData(Feeds.Police, "incident.role", "\"bystander\"", "$.incident.role")]
    [InlineData(Feeds.Police, "incident.occurredAt", null, "$.incident.occurredAt")]
    [InlineData(Feeds.Police, "incident.postcode", "\"30 21CD\"", "$.incident.postcode")]
    [InlineData(Feeds.Police, "riskLevel", "\"purple\"", "$.riskLevel")]
    [InlineData(Feeds.Welfare, "signals", null, "$.signals")]
    [InlineData(Feeds.Welfare, "signals", "[\"loitering\"]", "$.signals[0]")]
    [InlineData(Feeds.Welfare, "signals", "[\"aggression\", 7]", "$.signals[1]")]
    [InlineData(Feeds.Welfare, "organisation", null, "$.organisation")]
    [InlineData(Feeds.Welfare, "organisation.kind", "\"church\"", "$.organisation.kind")]
    [InlineData(Feeds.Welfare, "organisation.name", null, "$.organisation.name")]
    public void An_invalid_field_is_reported_at_its_json_path(string feed, string field, string? json, string expectedPath)
    {
        var errors = Errors(FeedBodies.Body(feed, (field, json)), feed);

        Assert.Equal([expectedPath], errors.Keys);
        Assert.NotEmpty(errors[expectedPath]);
    }

    [Fact]
    public void A_field_longer_than_its_limit_is_reported()
    {
        var errors = Errors(FeedBodies.Body(Feeds.School,
            ("externalId", FeedBodies.Text(new string('x', 101))),
            ("description", FeedBodies.Text(new string('x', 4001))),
            ("child.familyName", FeedBodies.Text(new string('x', 101)))), Feeds.School);

        Assert.Equal(["$.child.familyName", "$.description", "$.externalId"], errors.Keys.Order());
    }

    [Fact]
    public void Fields_at_their_length_limit_are_accepted()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School,
            ("externalId", FeedBodies.Text(new string('x', 100))),
            ("description", FeedBodies.Text(new string('x', 4000)))), Feeds.School);

        Assert.Equal(100, melding.ExternalId.Length);
        Assert.Equal(4000, melding.Description!.Length);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Errors(FeedBodies.Body(Feeds.School,
            ("child.bsn", "\"123456789\""),
            ("referrer", null),
            ("school.group", "12"),
            ("concerns", "[\"withdrawn\", \"cheating\"]"),
            ("reportedAt", "\"yesterday\"")), Feeds.School);

        Assert.Equal(["$.child.bsn", "$.concerns[1]", "$.referrer", "$.reportedAt", "$.school.group"], errors.Keys.Order());
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_reported_at_the_root()
    {
        var errors = Errors(JsonDocument.Parse("[1, 2]").RootElement, Feeds.School);

        Assert.Equal(["$"], errors.Keys);
    }

    [Theory]
    [InlineData(Feeds.School, "child.bsn", "\"123456789\"")]
    [InlineData(Feeds.School, "child.birthDate", "\"1999-02-31\"")]
    [InlineData(Feeds.School, "child.postcode", "\"9999XYZ\"")]
    [InlineData(Feeds.School, "referrer.email", "\"ouder.jansen-at-example\"")]
    [InlineData(Feeds.School, "school.brin", "\"Z9Q\"")]
    [InlineData(Feeds.Police, "incident.type", "\"jansen-secret\"")]
    [InlineData(Feeds.Welfare, "signals", "[\"jansen-secret\"]")]
    public void Error_messages_never_repeat_the_submitted_value(string feed, string field, string json)
    {
        var submitted = JsonDocument.Parse(json).RootElement switch
        {
            { ValueKind: JsonValueKind.Array } array => array[0].GetString()!,
            var value => value.GetString()!,
        };

        var errors = Errors(FeedBodies.Body(feed, (field, json)), feed);

        Assert.NotEmpty(errors);
        Assert.All(errors.Values.SelectMany(m => m), message => Assert.DoesNotContain(submitted, message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_child_older_than_max_age_at_reported_at_is_outside_the_target_group()
    {
        var outcome = Parse(FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2012-05-14\"")), Feeds.School);

        var outside = Assert.IsType<ParseOutcome.OutsideTargetGroup>(outcome);
        Assert.Equal(14, outside.AgeYears);
        Assert.Equal(11, outside.MaxAge);
    }

    [Fact]
    public void A_child_of_exactly_max_age_is_inside_the_target_group()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2014-11-03\"")), Feeds.School);

        Assert.Equal(11, melding.AgeYears);
    }

    [Fact]
    public void Age_is_counted_from_the_gemeente_time_zone_so_a_birthday_begins_at_local_midnight()
    {
        // 2026-11-01T23:30Z is already 2 November, the twelfth birthday, in Amsterdam.
        var body = FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2014-11-02\""), ("reportedAt", "\"2026-11-01T23:30:00Z\""));

        var outcome = Parse(body, Feeds.School, receivedAt: new DateTimeOffset(2026, 11, 1, 23, 31, 0, TimeSpan.Zero));

        Assert.Equal(12, Assert.IsType<ParseOutcome.OutsideTargetGroup>(outcome).AgeYears);
    }

    [Fact]
    public void The_day_before_the_birthday_in_the_gemeente_time_zone_the_child_is_still_inside_the_target_group()
    {
        // 2026-11-01T22:30Z is 23:30 on 1 November in Amsterdam: the day before the twelfth birthday.
        var body = FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2014-11-02\""), ("reportedAt", "\"2026-11-01T22:30:00Z\""));

        var melding = Parsed(body, Feeds.School, receivedAt: new DateTimeOffset(2026, 11, 1, 22, 31, 0, TimeSpan.Zero));

        Assert.Equal(11, melding.AgeYears);
    }

    [Fact]
    public void Max_age_comes_from_the_gemeente()
    {
        var document = TestHub.Demo() with { Gemeente = TestHub.Demo().Gemeente with { MaxAge = 9 } };

        var outcome = Parse(FeedBodies.Body(Feeds.School), Feeds.School, document: document);

        Assert.Equal(new ParseOutcome.OutsideTargetGroup(10, 9), outcome);
    }

    [Fact]
    public void Field_errors_take_precedence_over_the_target_group()
    {
        var outcome = Parse(FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2010-01-01\""), ("school.group", "9")), Feeds.School);

        Assert.Equal(["$.school.group"], Assert.IsType<ParseOutcome.Invalid>(outcome).Errors.Keys);
    }

    [Fact]
    public void Reported_at_more_than_five_minutes_in_the_future_is_rejected()
    {
        var body = FeedBodies.Body(Feeds.School, ("reportedAt", "\"2026-11-05T12:05:01Z\""));

        Assert.Equal(["$.reportedAt"], Errors(body, Feeds.School).Keys);
    }

    [Fact]
    public void Reported_at_up_to_five_minutes_in_the_future_is_accepted_for_clock_skew()
    {
        var body = FeedBodies.Body(Feeds.School, ("reportedAt", "\"2026-11-05T13:05:00+01:00\""));

        Assert.Equal(ReceivedAt.AddMinutes(5), Parsed(body, Feeds.School).ReportedAt);
    }

    [Fact]
    public void A_birth_date_after_the_local_day_of_receipt_is_rejected()
    {
        // Received at noon on 5 November in Amsterdam: 6 November is still in the future there.
        var body = FeedBodies.Body(Feeds.School, ("child.birthDate", "\"2026-11-06\""));

        Assert.Equal(["$.child.birthDate"], Errors(body, Feeds.School).Keys);
    }

    [Theory]
    [InlineData("3071AB")]
    [InlineData("3071 AB")]
    [InlineData("3071ab")]
    public void The_postcode_digits_select_the_wijk(string postcode)
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("child.postcode", FeedBodies.Text(postcode))), Feeds.School);

        Assert.Equal("noord", melding.Wijk);
        Assert.Equal("3071AB", melding.Child.Postcode);
    }

    [Fact]
    public void A_postcode_outside_every_wijk_leaves_the_wijk_empty()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("child.postcode", "\"9999 ZZ\"")), Feeds.School);

        Assert.Null(melding.Wijk);
    }

    [Fact]
    public void Without_a_postcode_there_is_no_wijk()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("child.postcode", null)), Feeds.School);

        Assert.Null(melding.Wijk);
        Assert.Null(melding.Child.Postcode);
    }

    [Fact]
    public void A_normal_melding_is_not_acute()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Police), Feeds.Police);

        Assert.False(melding.IsAcute);
        Assert.Null(melding.AcuteReason);
    }

    [Fact]
    public void Urgency_acute_makes_a_melding_acute()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.School, ("urgency", "\"acute\"")), Feeds.School);

        Assert.True(melding.IsAcute);
        Assert.Equal("urgency-acute", melding.AcuteReason);
        Assert.Equal(Urgencies.Acute, melding.Urgency);
    }

    [Fact]
    public void Police_risk_level_red_makes_a_melding_acute()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Police, ("riskLevel", "\"red\"")), Feeds.Police);

        Assert.True(melding.IsAcute);
        Assert.Equal("risk-level-red", melding.AcuteReason);
    }

    [Fact]
    public void A_domestic_violence_incident_makes_a_melding_acute()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Police, ("incident.type", "\"domestic-violence\"")), Feeds.Police);

        Assert.True(melding.IsAcute);
        Assert.Equal("domestic-violence", melding.AcuteReason);
    }

    [Fact]
    public void Risk_level_orange_is_not_acute()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Police, ("riskLevel", "\"orange\"")), Feeds.Police);

        Assert.False(melding.IsAcute);
    }

    [Theory]
    [InlineData(Feeds.School, "concerns", "[\"aggressive-behaviour\", \"disruptive-behaviour\"]", new[] { "aggression", "behaviour" })]
    [InlineData(Feeds.School, "concerns", "[\"truancy\", \"weapon\"]", new[] { "school-absence", "weapons" })]
    [InlineData(Feeds.School, "concerns", "[\"withdrawn\"]", new[] { "wellbeing" })]
    [InlineData(Feeds.Police, "incident.type", "\"shoplifting\"", new[] { "delinquency" })]
    [InlineData(Feeds.Police, "incident.type", "\"weapon-possession\"", new[] { "weapons" })]
    [InlineData(Feeds.Police, "incident.type", "\"cyber\"", new[] { "online-risk" })]
    [InlineData(Feeds.Welfare, "signals", "[\"hanging-around-late\", \"group-nuisance\"]", new[] { "nuisance", "supervision" })]
    [InlineData(Feeds.Welfare, "signals", "[\"vandalism\", \"truancy\"]", new[] { "delinquency", "school-absence" })]
    public void Feed_vocabulary_maps_into_taxonomy_categories(string feed, string field, string json, string[] categories)
    {
        var melding = Parsed(FeedBodies.Body(feed, (field, json)), feed);

        Assert.Equal(categories, melding.Categories);
    }

    [Fact]
    public void Categories_are_listed_once_even_when_several_values_map_to_one()
    {
        var melding = Parsed(FeedBodies.Body(Feeds.Welfare, ("signals", "[\"aggression\", \"aggression\", \"online-risk\"]")), Feeds.Welfare);

        Assert.Equal(["aggression", "online-risk"], melding.Categories);
    }
}
