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
        Assert.Equal(
            ["referrals-by-provider", "meldingen-by-feed", "acute-by-provider", "referrals-by-provider-status", "contact-by-provider", "trend", "feedback-by-provider"],
            records.Select(r => r[1]).Distinct());
        Assert.Equal(["2026-11"], records.Select(r => r[0]).Distinct());

        // The quoted label with a comma and quotes comes back whole.
        var pjk = records.Single(r => r[1] == "referrals-by-provider" && r[2] == "row-total" && r[3] == "pak-je-kans");
        Assert.Equal(["2026-11", "referrals-by-provider", "row-total", "pak-je-kans", "Pak je Kans, \"PJK\"", "Total", "17", "17"], pjk);

        // A withheld table has only its totals.
        Assert.Equal(["column-total", "grand-total"], records.Where(r => r[1] == "acute-by-provider").Select(r => r[2]).Distinct());

        // count is the value exactly where a count is published, and empty otherwise.
        var counts = records.Where(r => r[1] != DigestCsv.FeedbackTable).ToArray();
        Assert.All(counts, r => Assert.Equal(int.TryParse(r[6], out _) ? r[6] : "", r[7]));
        Assert.Equal(12 * 2, records.Count(r => r[2] == "trend"));

        // The feedback: three figures per provider, the number beside its text where shown, none where withheld.
        var feedback = records.Where(r => r[1] == DigestCsv.FeedbackTable).Select(r => (r[3], r[5], r[6], r[7])).ToArray();
        Assert.Equal(3 * SampleDigest.ContactTimes.Length, feedback.Length);
        Assert.Contains(("cjg", "with-status", "51 %", "51"), feedback);
        Assert.Contains(("cjg", "contacted-within-promise", "59 %", "59"), feedback);
        Assert.Contains(("cjg", "median-hours-to-contact", "30 u", "30"), feedback);
        Assert.Contains(("basta", "with-status", "×", ""), feedback);
        Assert.Contains(("basta", "median-hours-to-contact", "×", ""), feedback);
    }

    [Fact]
    public void The_json_has_every_table_with_cells_as_text_and_count()
    {
        using var json = JsonDocument.Parse(DigestJson.Render(SampleDigest.Create()));
        var root = json.RootElement;
        Assert.Equal("Voorbeeldstad", root.GetProperty("gemeente").GetString());
        Assert.Contains("BASTA!: 5 verwijzingen, verwacht 12: onder 50 %, ook over de laatste 3 maanden", root.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("PIT: <5 verwijzingen, verwacht 4: onder 50 %, alleen deze maand", root.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
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
