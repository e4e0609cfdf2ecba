using System.Text.Json.Nodes;
using FunctionsHub.Functions.Digests;

namespace FunctionsHub.EndToEnd.Tests.Digests;

/// <summary>
/// The digest's HTML page in a real headless Chromium at 1024 px: what a reader sees. The screenshot
/// and the DOM are written to the test output folder (digest-browser/), to look at.
/// </summary>
public sealed class DigestBrowserTests
{
    private const int Width = 1024;

    [Fact]
    public async Task A_policy_officer_sees_the_title_the_flags_in_words_the_tables_and_the_charts_without_sideways_scrolling()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "digest-browser");
        Directory.CreateDirectory(folder);
        var page = Path.Combine(folder, "digest-2026-11.html");
        await File.WriteAllTextAsync(page, DigestHtml.Render(SampleDigest.Create()));

        await using var browser = await HeadlessChromium.StartAsync(Width, 800);
        await browser.NavigateAsync(new Uri(page).AbsoluteUri);

        var title = (string?)await browser.EvaluateAsync("document.title");
        var text = (string?)await browser.EvaluateAsync("document.body.innerText") ?? "";
        var dom = (string?)await browser.EvaluateAsync("document.documentElement.outerHTML") ?? "";
        var scrollWidth = (int)(await browser.EvaluateAsync("document.documentElement.scrollWidth"))!;
        var height = (int)(await browser.EvaluateAsync("document.documentElement.scrollHeight"))!;
        var charts = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('svg[role=img]')].map(s => ({ label: [...s.getAttribute('aria-labelledby').split(' ')].map(id => document.getElementById(id).textContent).join(' | '), width: s.getBoundingClientRect().width }))"))!.AsArray();
        var tables = (await browser.EvaluateAsync("[...document.querySelectorAll('table')].map(t => t.caption ? t.caption.textContent : '')"))!.AsArray();
        var widest = (int)(await browser.EvaluateAsync("Math.ceil(Math.max(...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right)))"))!;

        await browser.SetViewportAsync(Width, height);
        await File.WriteAllBytesAsync(Path.Combine(folder, "digest-2026-11.png"), await browser.ScreenshotAsync());
        await File.WriteAllTextAsync(Path.Combine(folder, "digest-2026-11.dom.html"), dom);

        Assert.Equal("Voorbeeldstad: instroom november 2026", title);
        Assert.Contains("Voorbeeldstad: instroom november 2026", text);
        Assert.Contains("BASTA!: 5 verwijzingen, verwacht 12: onder 50 %, ook over de laatste 3 maanden", text);
        Assert.Contains("PIT: <5 verwijzingen, verwacht 4: onder 50 %, alleen deze maand", text);
        Assert.Contains("Alles Kidzzz <3 & co", text); // encoded in the source, read as written
        Assert.Contains("Deze tabel is niet gepubliceerd", text);
        Assert.Equal(
            ["Verwijzingen per aanbieder", "Meldingen per bron", "Verwijzingen per aanbieder en laatst gemelde status", "Eerste contact per aanbieder",
             "Terugkoppeling per aanbieder", "Verwijzingen, laatste 12 maanden: de aantallen"],
            tables.Select(t => (string?)t));
        // The feedback as a reader sees it: CJG's shares and median, BASTA!'s median withheld (8 contacts).
        Assert.Contains("CJG / wijkteam\t51 %\t59 %\t30 u", text);
        Assert.Contains("BASTA!\t×\t38 %\t×", text);

        Assert.Equal(2, charts.Count);
        var basta = charts[1]!;
        Assert.Contains("BASTA!, per maand", (string?)basta["label"]);
        Assert.Contains("2026-05: <5", (string?)basta["label"]);
        Assert.All(charts, c => Assert.True((double)c!["width"]! > 300, $"chart drawn {c["width"]} px wide"));

        Assert.DoesNotContain("undefined", dom);
        Assert.DoesNotContain("NaN", dom);
        Assert.True(scrollWidth <= Width, $"the page is {scrollWidth} px wide at {Width} px: it scrolls sideways");
        Assert.True(widest <= Width, $"an element reaches {widest} px at {Width} px");
    }
}
