using System.Text.Json.Nodes;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>Valid melding bodies for the test configuration, with dates relative to today so they stay valid.</summary>
public static class Melding
{
    public const string SchoolPartner = "obs-de-regenboog";
    public const string PolicePartner = "politie-basisteam-voorbeeldstad";
    public const string WelfarePartner = "jongerenwerk-voorbeeldstad";

    public static string PartnerFor(string feed) => feed switch
    {
        "school" => SchoolPartner,
        "police" => PolicePartner,
        _ => WelfarePartner,
    };

    public static string ReportedAt => DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>A birth date that makes the child nine today.</summary>
    public static string BirthDateNine => DateTime.UtcNow.AddYears(-9).AddDays(-30).ToString("yyyy-MM-dd");

    /// <summary>A random BSN that passes the elfproef, so that each test has a child of its own.</summary>
    public static string NewBsn()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 8).Select(i => i == 0 ? Random.Shared.Next(1, 10) : Random.Shared.Next(0, 10)).ToArray();
            var check = digits.Select((d, i) => (9 - i) * d).Sum() % 11;
            var bsn = string.Concat(digits) + check;
            if (check < 10 && FunctionsHub.Core.Intake.Bsn.IsValid(bsn))
            {
                return bsn;
            }
        }
    }

    /// <summary>A school melding whose concern matches no demo rule, so it goes to the default provider (cjg).</summary>
    public static string School(string externalId, string bsn = "111222333", string description = "Trekt zich terug in de klas.") =>
        Body("school", externalId, bsn, description).ToJsonString();

    public static JsonObject Body(string feed, string externalId, string bsn = "111222333", string description = "Zorgen over dit kind.")
    {
        var body = new JsonObject
        {
            ["externalId"] = externalId,
            ["reportedAt"] = ReportedAt,
            ["child"] = new JsonObject
            {
                ["bsn"] = bsn,
                ["birthDate"] = BirthDateNine,
                ["postcode"] = "3071 AB",
                ["givenName"] = "Noor",
                ["familyName"] = "Testkind",
            },
            ["referrer"] = new JsonObject { ["name"] = "J. de Vries", ["role"] = "begeleider", ["email"] = "referrer@partner.example", ["phone"] = "010-1234567" },
            ["consent"] = new JsonObject
            {
                ["status"] = "given",
                ["scope"] = new JsonArray("all"),
                ["givenBy"] = "parent",
                ["recordedAt"] = ReportedAt,
            },
            ["urgency"] = "normal",
            ["description"] = description,
        };
        switch (feed)
        {
            case "school":
                body["school"] = new JsonObject { ["brin"] = "12AB", ["name"] = "OBS De Regenboog", ["group"] = 5 };
                body["concerns"] = new JsonArray("withdrawn");
                break;
            case "police":
                body["child"]!["postcode"] = "3021 CD"; // wijk west, where the demo rules add PIT
                body["incident"] = new JsonObject { ["type"] = "shoplifting", ["role"] = "suspect", ["occurredAt"] = ReportedAt, ["postcode"] = "3021 CD" };
                body["riskLevel"] = "yellow";
                break;
            case "welfare":
                body["organisation"] = new JsonObject { ["kind"] = "youth-work", ["name"] = "Jongerenwerk Voorbeeldstad" };
                body["signals"] = new JsonArray("hanging-around-late");
                break;
        }

        return body;
    }

    /// <summary>Sets (or, with a null value, removes) the field at a dotted path such as <c>child.bsn</c>.</summary>
    public static JsonObject With(this JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = body;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = value;
        }

        return body;
    }
}
