using System.Text;
using System.Text.Json;
using CsvHelper;
using FunctionsHub.Functions.Digests;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary>
/// The formats of a fixed digest against golden files (tests/FunctionsHub.EndToEnd.Tests/Digests/golden).
/// A difference writes the new rendering beside the golden file as *.actual for review; set
/// FUNCTIONSHUB_UPDATE_GOLDEN=1 to accept it.
/// </summary>
public sealed class DigestFormatTests
{
    private static string GoldenPath(string name) => Path.Combine(FunctionsHub.Testing.Azurite.RepositoryRoot(), "tests", "FunctionsHub.EndToEnd.Tests", "Digests", "golden", name);

    private static void AssertGolden(string name, byte[] actual)
    {
        var path = GoldenPath(name);
        if (Environment.GetEnvironmentVariable("FUNCTIONSHUB_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllBytes(path) : [];
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            File.WriteAllBytes(path + ".actual", actual);
            Assert.Fail($"{name} differs from its golden file; the rendering is at {path}.actual (FUNCTIONSHUB_UPDATE_GOLDEN=1 accepts it).");
        }
    }

    [Fact]
    public void The_json_of_a_fixed_digest_matches_its_golden_file() =>
        AssertGolden("digest-2026-11.json", DigestJson.Render(SampleDigest.Create()));

    [Fact]
    public void The_csv_of_a_fixed_digest_matches_its_golden_file() =>
        AssertGolden("digest-2026-11.csv", DigestCsv.Render(SampleDigest.Create()));

    [Fact]
    public void The_csv_reads_back_as_one_table_in_the_documented_layout()
    {
        var bytes = DigestCsv.Render(SampleDigest.Create());
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);

        using var reader = CsvReader.Create(bytes);
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        Assert.All(records, r => Assert.Equal(DigestCsv.Header.Length, r.Length));
        Assert.Equal(DigestCsv.Header, reader.Headers);
        Assert.Equal(["referrals-by-provider", "meldingen-by-feed", "acute-by-provider", "trend"], records.Select(r => r[1]).Distinct());
        Assert.Equal(["2026-11"], records.Select(r => r[0]).Distinct());

        // The quoted label with a comma and quotes comes back whole.
        var pjk = records.Single(r => r[2] == "row-total" && r[3] == "pak-je-kans");
        Assert.Equal(["2026-11", "referrals-by-provider", "row-total", "pak-je-kans", "Pak je Kans, \"PJK\"", "Total", "17", "17"], pjk);

        // A withheld table has only its totals.
        Assert.Equal(["column-total", "grand-total"], records.Where(r => r[1] == "acute-by-provider").Select(r => r[2]).Distinct());

        // count is the value exactly where a count is published, and empty otherwise.
        Assert.All(records, r => Assert.Equal(int.TryParse(r[6], out _) ? r[6] : "", r[7]));
        Assert.Equal(12 * 2, records.Count(r => r[2] == "trend"));
    }

    [Fact]
    public void The_json_has_every_table_with_cells_as_text_and_count()
    {
        using var json = JsonDocument.Parse(DigestJson.Render(SampleDigest.Create()));
        var root = json.RootElement;
        Assert.Equal("Voorbeeldstad", root.GetProperty("gemeente").GetString());
        Assert.Contains("BASTA!: 5 referrals, expected 12: below 50 % for 3 months", root.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("PIT: <5 referrals, expected 4: below 50 % for 2 months", root.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        var acute = root.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "acute-by-provider");
        Assert.True(acute.GetProperty("withheld").GetBoolean());
        Assert.Equal(0, acute.GetProperty("rows").GetArrayLength());
        Assert.Equal(12, root.GetProperty("trend").GetProperty("months").GetArrayLength());
    }

    [Theory]
    [InlineData(null, null, Negotiation.Ok, DigestFormat.Json)]
    [InlineData(null, "*/*", Negotiation.Ok, DigestFormat.Json)]
    [InlineData(null, "text/csv", Negotiation.Ok, DigestFormat.Csv)]
    [InlineData(null, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", Negotiation.Ok, DigestFormat.Html)]
    [InlineData(null, "application/pdf", Negotiation.NotAcceptable, DigestFormat.Json)]
    [InlineData("csv", "text/html", Negotiation.Ok, DigestFormat.Csv)]
    [InlineData("HTML", null, Negotiation.Ok, DigestFormat.Html)]
    [InlineData("xlsx", null, Negotiation.UnknownFormat, DigestFormat.Json)]
    public void The_format_follows_the_query_then_accept(string? format, string? accept, Negotiation outcome, DigestFormat chosen) =>
        Assert.Equal((outcome, chosen), DigestFormats.Negotiate(format, accept));

    [Fact]
    public void The_html_is_self_contained_encoded_and_accessible()
    {
        var html = DigestHtml.Render(SampleDigest.Create());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<3 & co", html); // encoded
        Assert.Contains("<title>Voorbeeldstad: instroom november 2026</title>", html);
        Assert.Contains("<th scope=\"col\">", html);
        Assert.Contains("<th scope=\"row\">", html);
        Assert.Contains("<caption>", html);
        Assert.Contains("<svg role=\"img\"", html);
        Assert.Contains("<desc id=\"trend-1-desc\">", html);
        Assert.Contains("@media print", html);
    }
}
