using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Functions.Digests;

/// <summary>
/// The digest as one self-contained page for a policy officer: no JavaScript, no external assets (the
/// page's Content-Security-Policy forbids both), print-friendly CSS, every text HTML-encoded. Tables
/// are real <c>&lt;table&gt;</c>s with a caption and <c>th scope</c>; the trend is an inline SVG bar chart
/// per series with a title, a description listing every value, and the numbers in a table beside it.
/// </summary>
public static class DigestHtml
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private const string Style = """
        :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45; color: #1b1b1b; }
        body { margin: 0 auto; padding: 1.5rem; max-width: 60rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .25rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #01689b; }
        .meta, .legend { color: #4a4a4a; font-size: .9rem; }
        .flags li { margin: .25rem 0; }
        .scroll { overflow-x: auto; max-width: 100%; }
        table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { border: 1px solid #c8c8c8; padding: .25rem .6rem; }
        thead th { background: #e5f0f9; text-align: left; }
        td { text-align: right; }
        tbody th { text-align: left; font-weight: normal; }
        tfoot th, tfoot td, td.total { font-weight: 600; }
        tfoot th { text-align: left; }
        figure { margin: 1rem 0 2rem; }
        svg { display: block; width: 100%; max-width: 40rem; height: auto; }
        .bar { fill: #01689b; }
        .small { fill: none; stroke: #01689b; stroke-dasharray: 3 2; }
        svg text { font-size: 11px; fill: #1b1b1b; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          h2 { break-after: avoid; }
          table, figure { break-inside: avoid; }
          .scroll { overflow: visible; }
          thead th { background: none; }
        }
        """;

    public static string Render(PublishedDigest digest)
    {
        var title = $"{digest.Gemeente}: instroom {MonthName(digest.Month)}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
            .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(E(title)).Append("</h1>\n")
            .Append("<p class=\"meta\">Maand ").Append(E(digest.Month)).Append(", samengesteld op ")
            .Append(E(digest.CompiledAt.UtcDateTime.ToString("d MMMM yyyy HH:mm 'UTC'", Dutch))).Append(".</p>\n")
            .Append("<p class=\"legend\">&lt;5 betekent 1 tot en met 4. × is een aantal van 5 of meer dat verborgen is, zodat een klein aantal niet terug te rekenen is.</p>\n");

        html.Append("<section aria-labelledby=\"signalen\">\n<h2 id=\"signalen\">Signalen</h2>\n");
        if (digest.Flags.Count == 0)
        {
            html.Append("<p>Geen signalen deze maand.</p>\n");
        }
        else
        {
            html.Append("<ul class=\"flags\">\n");
            foreach (var flag in digest.Flags)
            {
                html.Append("<li>").Append(E(flag.Text)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n<section aria-labelledby=\"tabellen\">\n<h2 id=\"tabellen\">Tabellen</h2>\n");
        foreach (var table in digest.Tables)
        {
            Table(html, table);
        }

        html.Append("</section>\n");
        Feedback(html, digest.Feedback);
        if (digest.Trend is { } trend)
        {
            Trend(html, trend);
        }

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Table(StringBuilder html, PublishedTable table)
    {
        if (SmallCells.IsWithheld(table))
        {
            html.Append("<h3>").Append(E(table.Title)).Append("</h3>\n<p>Deze tabel is niet gepubliceerd: de aantallen zijn te klein om te tonen zonder dat een aantal onder 5 terug te rekenen is. Totaal: ")
                .Append(E(table.GrandTotal.Text)).Append(".</p>\n");
            return;
        }

        html.Append("<div class=\"scroll\">\n<table>\n<caption>").Append(E(table.Title)).Append("</caption>\n<thead>\n<tr><th scope=\"col\">").Append(E(table.RowHeader)).Append("</th>");
        foreach (var column in table.Columns)
        {
            html.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        }

        html.Append("<th scope=\"col\">Totaal</th></tr>\n</thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(row.Label)).Append("</th>");
            foreach (var cell in row.Cells)
            {
                html.Append("<td>").Append(E(cell.Text)).Append("</td>");
            }

            html.Append("<td class=\"total\">").Append(E(row.Total.Text)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n<tfoot>\n<tr><th scope=\"row\">Totaal</th>");
        foreach (var total in table.ColumnTotals)
        {
            html.Append("<td>").Append(E(total.Text)).Append("</td>");
        }

        html.Append("<td>").Append(E(table.GrandTotal.Text)).Append("</td></tr>\n</tfoot>\n</table>\n</div>\n");
    }

    private static void Feedback(StringBuilder html, IReadOnlyList<PublishedFeedback> feedback)
    {
        if (feedback.Count == 0)
        {
            return;
        }

        html.Append("<section aria-labelledby=\"terugkoppeling\">\n<h2 id=\"terugkoppeling\">Terugkoppeling van aanbieders</h2>\n")
            .Append("<p class=\"legend\">Aandelen volgen uit de tabellen hierboven en ontbreken (×) waar een aantal dat ze nodig hebben niet getoond wordt. ")
            .Append("De mediaan staat er alleen bij ").Append(DigestPublication.MedianMinimum).Append(" of meer contacten. — betekent: niets te meten.</p>\n")
            .Append("<div class=\"scroll\">\n<table>\n<caption>Terugkoppeling per aanbieder</caption>\n<thead>\n<tr><th scope=\"col\">Aanbieder</th>")
            .Append("<th scope=\"col\">Met een status</th><th scope=\"col\">Contact binnen termijn (van verstreken en gecontacteerde)</th><th scope=\"col\">Mediaan tot eerste contact</th></tr>\n</thead>\n<tbody>\n");
        foreach (var f in feedback)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(f.ProviderName)).Append("</th><td>").Append(E(f.WithStatus.Text)).Append("</td><td>")
                .Append(E(f.ContactedWithinPromise.Text)).Append("</td><td>").Append(E(f.MedianHoursToContact.Text)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void Trend(StringBuilder html, PublishedTrend trend)
    {
        html.Append("<section aria-labelledby=\"trend\">\n<h2 id=\"trend\">").Append(E(trend.Title)).Append("</h2>\n");
        for (var s = 0; s < trend.Series.Count; s++)
        {
            Chart(html, trend, trend.Series[s], $"trend-{s}");
        }

        // The numbers behind the charts, months down the side so that 12 months fit any width.
        html.Append("<div class=\"scroll\">\n<table>\n<caption>").Append(E(trend.Title)).Append(": de aantallen</caption>\n<thead>\n<tr><th scope=\"col\">Maand</th>");
        foreach (var series in trend.Series)
        {
            html.Append("<th scope=\"col\">").Append(E(series.Label)).Append("</th>");
        }

        html.Append("</tr>\n</thead>\n<tbody>\n");
        for (var k = 0; k < trend.Months.Count; k++)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(trend.Months[k])).Append("</th>");
            foreach (var series in trend.Series)
            {
                html.Append("<td>").Append(E(series.Values[k].Text)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    // A bar per month: a count as a filled bar, <5 as a dashed outline of height 4 (its most), × as no
    // bar; the value written above each bar, the month below.
    private static void Chart(StringBuilder html, PublishedTrend trend, PublishedSeries series, string id)
    {
        const int width = 640, height = 200, top = 20, bottom = 30, left = 10;
        var plot = height - top - bottom;
        var slot = (width - 2 * left) / (double)Math.Max(1, trend.Months.Count);
        var max = Math.Max(SmallCells.Threshold, series.Values.Where(v => v.Shown == CellShown.Count).Select(v => v.Count!.Value).DefaultIfEmpty(0).Max());
        var description = string.Join("; ", trend.Months.Select((m, k) => $"{m}: {series.Values[k].Text}"));
        var label = $"{series.Label}, per maand";

        html.Append("<figure>\n<svg role=\"img\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height)
            .Append("\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n")
            .Append("<title id=\"").Append(id).Append("-title\">").Append(E(label)).Append("</title>\n")
            .Append("<desc id=\"").Append(id).Append("-desc\">").Append(E(description)).Append("</desc>\n")
            .Append("<line x1=\"").Append(left).Append("\" y1=\"").Append(top + plot).Append("\" x2=\"").Append(width - left).Append("\" y2=\"").Append(top + plot).Append("\" stroke=\"#1b1b1b\"/>\n");
        for (var k = 0; k < trend.Months.Count; k++)
        {
            var cell = series.Values[k];
            var x = left + k * slot;
            var middle = F(x + slot / 2);
            var barHeight = cell.Shown switch
            {
                CellShown.Count => plot * cell.Count!.Value / (double)max,
                CellShown.LessThanFive => plot * (SmallCells.Threshold - 1) / (double)max,
                _ => 0,
            };
            if (cell.Shown != CellShown.Hidden && barHeight > 0)
            {
                html.Append("<rect class=\"").Append(cell.Shown == CellShown.Count ? "bar" : "small").Append("\" x=\"").Append(F(x + slot * 0.15))
                    .Append("\" y=\"").Append(F(top + plot - barHeight)).Append("\" width=\"").Append(F(slot * 0.7)).Append("\" height=\"").Append(F(barHeight)).Append("\"/>\n");
            }

            html.Append("<text x=\"").Append(middle).Append("\" y=\"").Append(F(top + plot - barHeight - 4)).Append("\" text-anchor=\"middle\">").Append(E(cell.Text)).Append("</text>\n")
                .Append("<text x=\"").Append(middle).Append("\" y=\"").Append(height - bottom + 16).Append("\" text-anchor=\"middle\">").Append(E(ShortMonth(trend.Months[k]))).Append("</text>\n");
        }

        html.Append("</svg>\n<figcaption>").Append(E(label)).Append(" (de aantallen staan in de tabel hieronder).</figcaption>\n</figure>\n");
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string MonthName(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) ? first.ToString("MMMM yyyy", Dutch) : month;

    private static string ShortMonth(string month) =>
        DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) ? first.ToString("MMM yy", Dutch) : month;
}
