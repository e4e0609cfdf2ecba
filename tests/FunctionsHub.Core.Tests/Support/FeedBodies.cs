using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsHub.Core.Tests.Support;

/// <summary>The bodies of samples/*.json, embedded so the core tests need no file system.</summary>
public static class FeedBodies
{
    public const string School = """
        {
          "externalId": "REGENBOOG-2026-0142",
          "reportedAt": "2026-11-02T09:30:00+01:00",
          "child": { "bsn": "111222333", "birthDate": "2016-05-14", "postcode": "3071 AB", "givenName": "Sam", "familyName": "Voorbeeld" },
          "referrer": { "name": "J. de Vries", "role": "intern begeleider", "email": "ib@obs-de-regenboog.example", "phone": "010-1234567" },
          "consent": { "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-01T15:00:00+01:00" },
          "urgency": "normal",
          "description": "Sam trekt zich de laatste weken sterk terug in de klas.",
          "school": { "brin": "12AB", "name": "OBS De Regenboog", "group": 6 },
          "concerns": ["withdrawn"]
        }
        """;

    public const string Police = """
        {
          "externalId": "BVH-2026-88812",
          "reportedAt": "2026-11-03T21:10:00+01:00",
          "child": { "bsn": "123456782", "birthDate": "2016-02-29", "postcode": "3021 CD" },
          "referrer": { "name": "Agent K. Bakker", "role": "jeugdagent", "phone": "0900-8844" },
          "urgency": "normal",
          "description": "Aangehouden bij winkeldiefstal samen met twee oudere jongens.",
          "incident": { "type": "shoplifting", "role": "suspect", "occurredAt": "2026-11-03T17:45:00+01:00", "postcode": "3021 CD" },
          "riskLevel": "yellow"
        }
        """;

    public const string Welfare = """
        {
          "externalId": "JW-VBS-2026-311",
          "reportedAt": "2026-11-04T22:15:00+01:00",
          "child": { "bsn": "111222333", "birthDate": "2016-05-14", "postcode": "3071AB" },
          "referrer": { "name": "M. Yilmaz", "role": "jongerenwerker", "email": "m.yilmaz@jongerenwerk.example" },
          "urgency": "normal",
          "description": "Laat op straat bij het winkelcentrum, vaak met een groep oudere jongeren.",
          "organisation": { "kind": "youth-work", "name": "Jongerenwerk Voorbeeldstad" },
          "signals": ["hanging-around-late", "group-nuisance"]
        }
        """;

    public static string For(string feed) => feed switch
    {
        Feeds.School => School,
        Feeds.Police => Police,
        Feeds.Welfare => Welfare,
        _ => throw new ArgumentOutOfRangeException(nameof(feed), feed, null),
    };

    /// <summary>
    /// The feed's valid body with changes: each key is a dotted path (<c>child.bsn</c>), each value
    /// the JSON to put there, or null to remove the field.
    /// </summary>
    public static JsonElement Body(string feed, params (string Path, string? Json)[] changes)
    {
        var root = JsonNode.Parse(For(feed))!.AsObject();
        foreach (var (path, json) in changes)
        {
            var names = path.Split('.');
            var parent = root;
            foreach (var name in names[..^1])
            {
                parent = parent[name]!.AsObject();
            }

            if (json is null)
            {
                parent.Remove(names[^1]);
            }
            else
            {
                parent[names[^1]] = JsonNode.Parse(json);
            }
        }

        return JsonDocument.Parse(root.ToJsonString()).RootElement;
    }

    /// <summary>A JSON string literal.</summary>
    public static string Text(string value) => JsonSerializer.Serialize(value);
}
