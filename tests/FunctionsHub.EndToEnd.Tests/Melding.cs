namespace FunctionsHub.EndToEnd.Tests;

/// <summary>Valid melding bodies for the demo configuration, with a marker to find them again.</summary>
public static class Melding
{
    /// <summary>A school melding whose concern matches no demo rule, so it goes to the default provider (cjg).</summary>
    public static string School(string externalId, string bsn = "111222333", string description = "Trekt zich terug in de klas.") => $$"""
        {
          "externalId": "{{externalId}}",
          "reportedAt": "{{DateTimeOffset.UtcNow.AddMinutes(-5):yyyy-MM-ddTHH:mm:ssZ}}",
          "child": { "bsn": "{{bsn}}", "birthDate": "2017-03-09", "postcode": "3071 AB", "givenName": "Noor", "familyName": "Testkind" },
          "referrer": { "name": "J. de Vries", "role": "intern begeleider", "email": "ib@school.example" },
          "consent": { "status": "given", "scope": ["all"], "givenBy": "parent", "recordedAt": "2026-11-01T15:00:00+01:00" },
          "description": "{{description}}",
          "school": { "brin": "12AB", "name": "OBS De Regenboog", "group": 5 },
          "concerns": ["withdrawn"]
        }
        """;
}
