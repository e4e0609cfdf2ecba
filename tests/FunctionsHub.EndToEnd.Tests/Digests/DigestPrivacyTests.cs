using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;
using FunctionsHub.Core.Digests;
using FunctionsHub.Functions.Digests;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary>
/// Every format of a digest with many small counts: no count from 1 to 4 as a number in any count cell
/// (table cells, totals, trend values, flags), and nothing that identifies a child. Children's data
/// never enters a digest; this scans for it anyway, with the distinctive values of the samples.
/// </summary>
public sealed partial class DigestPrivacyTests
{
    private static PublishedDigest SmallDigest() => DigestPublication.Publish(
        "2026-11", "Voorbeeldstad", new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
        [
            SampleDigest.ReferralsByProvider,
            SampleDigest.MeldingenByFeed,
            SampleDigest.AcuteByProvider,
            new CountTable("small", "Klein", "Wijk", ["A", "B", "C"],
            [
                new CountRow("w1", "Wijk 1", [1, 2, 3]),
                new CountRow("w2", "Wijk 2", [4, 1, 2]),
                new CountRow("w3", "Wijk 3", [3, 4, 1]),
            ]),
        ],
        [new DigestFlag("PIT", 3, 6, "onder 50 %, ook over de laatste 3 maanden")],
        new CountTable("trend", "Trend", "Reeks", SampleDigest.Months, [new CountRow("pit", "PIT", [1, 2, 3, 4, 0, 1, 2, 3, 4, 1, 2, 3])]));

    private static bool IsSmall(string text) => int.TryParse(text.Trim(), out var n) && n is >= 1 and <= 4;

    [Fact]
    public void The_json_has_no_count_from_1_to_4()
    {
        using var json = JsonDocument.Parse(DigestJson.Render(SmallDigest()));
        var cells = new List<JsonElement>();
        Collect(json.RootElement, cells);

        Assert.NotEmpty(cells);
        Assert.All(cells, c => Assert.False(c.TryGetProperty("count", out var count) && count.GetInt32() is >= 1 and <= 4, c.ToString()));
        Assert.All(cells, c => Assert.False(IsSmall(c.GetProperty("text").GetString()!), c.ToString()));
        Assert.All(json.RootElement.GetProperty("flags").EnumerateArray(), f => Assert.DoesNotMatch(@": [1-4] verwijzingen", f.GetString()!));

        static void Collect(JsonElement element, List<JsonElement> cells)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("text", out _))
                {
                    cells.Add(element);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, cells);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, cells);
                }
            }
        }
    }

    [Fact]
    public void The_csv_has_no_count_from_1_to_4()
    {
        using var reader = CsvReader.Create(DigestCsv.Render(SmallDigest()));
        var values = 0;
        while (reader.Read())
        {
            values++;
            Assert.False(IsSmall(reader.GetString("value")), $"line {reader.RowNumber}");
            Assert.False(IsSmall(reader.GetString("count")), $"line {reader.RowNumber}");
        }

        Assert.True(values > 30);
    }

    [Fact]
    public void The_html_has_no_count_from_1_to_4()
    {
        var html = DigestHtml.Render(SmallDigest());
        var cells = TableCell().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var chartValues = SvgText().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var described = Desc().Matches(html).SelectMany(m => m.Groups[1].Value.Split("; ")).Select(v => v.Split(": ")[1]).ToList();

        Assert.NotEmpty(cells);
        Assert.Equal(12, described.Count);
        Assert.All(cells.Concat(chartValues).Concat(described), v => Assert.False(IsSmall(v), v));
        Assert.DoesNotMatch(@": [1-4] verwijzingen", html);
    }

    [Fact]
    public void No_format_holds_anything_that_identifies_a_child()
    {
        var digest = SmallDigest();
        var renderings = new[] { DigestJson.Render(digest), DigestCsv.Render(digest), Encoding.UTF8.GetBytes(DigestHtml.Render(digest)) }
            .Select(Encoding.UTF8.GetString).ToArray();
        var identifying = SampleValues().ToList();

        Assert.NotEmpty(identifying);
        foreach (var text in renderings)
        {
            // As a word: the family name "Voorbeeld" is part of the demo gemeente's name "Voorbeeldstad".
            Assert.All(identifying, v => Assert.DoesNotMatch($@"(?i)(?<!\w){Regex.Escape(v)}(?!\w)", text));
            Assert.DoesNotMatch(@"(?<!\d)\d{9}(?!\d)", text); // nothing shaped like a BSN
        }
    }

    // The values in the samples that identify or describe a child (BSN, names, birth date, description).
    private static IEnumerable<string> SampleValues()
    {
        string[] fields = ["bsn", "birthDate", "givenName", "familyName", "description"];
        foreach (var file in Directory.GetFiles(Path.Combine(FunctionsHub.Testing.Azurite.RepositoryRoot(), "samples"), "*.json"))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var value in Find(json.RootElement))
            {
                yield return value;
            }
        }

        IEnumerable<string> Find(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (fields.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }

                    foreach (var inner in Find(property.Value))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    [GeneratedRegex("<td[^>]*>([^<]*)</td>")]
    private static partial Regex TableCell();

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex SvgText();

    [GeneratedRegex("<desc[^>]*>([^<]*)</desc>")]
    private static partial Regex Desc();
}
