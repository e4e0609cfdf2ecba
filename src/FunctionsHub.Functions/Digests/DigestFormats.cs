using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using FunctionsHub.Core.Digests;

namespace FunctionsHub.Functions.Digests;

/// <summary>The formats of <c>GET /api/digests/{yyyy-MM}</c>, all rendered from a <see cref="PublishedDigest"/> only.</summary>
public enum DigestFormat
{
    Json,
    Csv,
    Html,
}

public static class DigestFormats
{
    public static string ContentType(DigestFormat format) => format switch
    {
        DigestFormat.Csv => "text/csv; charset=utf-8; header=present",
        DigestFormat.Html => "text/html; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    public static byte[] Render(PublishedDigest digest, DigestFormat format) => format switch
    {
        DigestFormat.Csv => DigestCsv.Render(digest),
        DigestFormat.Html => Encoding.UTF8.GetBytes(DigestHtml.Render(digest)),
        _ => DigestJson.Render(digest),
    };

    /// <summary>
    /// <c>?format=</c> wins (json, csv, html; anything else is <see cref="Negotiation.UnknownFormat"/>);
    /// otherwise the first media type of <c>Accept</c> the hub serves, in the order given (q-values are
    /// not weighed); none or <c>*/*</c> is JSON; an <c>Accept</c> naming only other types is <see cref="Negotiation.NotAcceptable"/>.
    /// </summary>
    public static (Negotiation Outcome, DigestFormat Format) Negotiate(string? format, string? accept)
    {
        if (format is not null)
        {
            return format.ToLowerInvariant() switch
            {
                "json" => (Negotiation.Ok, DigestFormat.Json),
                "csv" => (Negotiation.Ok, DigestFormat.Csv),
                "html" => (Negotiation.Ok, DigestFormat.Html),
                _ => (Negotiation.UnknownFormat, DigestFormat.Json),
            };
        }

        if (string.IsNullOrWhiteSpace(accept))
        {
            return (Negotiation.Ok, DigestFormat.Json);
        }

        foreach (var part in accept.Split(','))
        {
            var mediaType = part.Split(';')[0].Trim().ToLowerInvariant();
            DigestFormat? chosen = mediaType switch
            {
                "application/json" or "application/*" or "*/*" => DigestFormat.Json,
                "text/csv" => DigestFormat.Csv,
                "text/html" or "text/*" => DigestFormat.Html,
                _ => null,
            };
            if (chosen is { } found)
            {
                return (Negotiation.Ok, found);
            }
        }

        return (Negotiation.NotAcceptable, DigestFormat.Json);
    }
}

public enum Negotiation
{
    Ok,
    UnknownFormat,
    NotAcceptable,
}

/// <summary>
/// The JSON of a published digest. A cell is <c>{"text": "12", "count": 12}</c>, <c>{"text": "&lt;5"}</c>
/// or <c>{"text": "×"}</c>: <c>count</c> only where the count is published.
/// </summary>
public static class DigestJson
{
    private static readonly JsonSerializerOptions Options = new(DigestJsonContext.Default.Options)
    {
        // Served as application/json, never inside HTML: "<5" and "×" stay readable in the document.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Render(PublishedDigest digest) =>
        JsonSerializer.SerializeToUtf8Bytes(Document(digest), Options.GetTypeInfo(typeof(DigestDocument)));

    private static DigestDocument Document(PublishedDigest digest) => new(
        digest.Month,
        digest.Gemeente,
        digest.CompiledAt,
        digest.Flags.Select(f => f.Text).ToArray(),
        digest.Tables.Select(t => new TableDocument(
            t.Id, t.Title, t.RowHeader, t.Columns, SmallCells.IsWithheld(t),
            t.Rows.Select(r => new RowDocument(r.Key, r.Label, r.Cells.Select(Cell).ToArray(), Cell(r.Total))).ToArray(),
            t.ColumnTotals.Select(Cell).ToArray(),
            Cell(t.GrandTotal))).ToArray(),
        digest.Trend is { } trend
            ? new TrendDocument(trend.Title, trend.Months, trend.Series.Select(s => new SeriesDocument(s.Key, s.Label, s.Values.Select(Cell).ToArray())).ToArray())
            : null,
        digest.Feedback.Select(f => new FeedbackDocument(f.ProviderId, f.ProviderName, Figure(f.WithStatus), Figure(f.ContactedWithinPromise), Figure(f.MedianHoursToContact))).ToArray());

    private static CellDocument Cell(PublishedCell cell) => new(cell.Text, cell.Shown == CellShown.Count ? cell.Count : null);

    private static FigureDocument Figure(PublishedFigure figure) => new(figure.Text, figure.Value);
}

public sealed record DigestDocument(
    string Month, string Gemeente, DateTimeOffset CompiledAt, IReadOnlyList<string> Flags, IReadOnlyList<TableDocument> Tables, TrendDocument? Trend, IReadOnlyList<FeedbackDocument> Feedback);

/// <summary>A provider's feedback: shares in percent, the median in hours; <c>value</c> only where shown.</summary>
public sealed record FeedbackDocument(string ProviderId, string Provider, FigureDocument WithStatusPercent, FigureDocument ContactedWithinPromisePercent, FigureDocument MedianHoursToContact);

public sealed record FigureDocument(string Text, double? Value);

public sealed record TableDocument(string Id, string Title, string RowHeader, IReadOnlyList<string> Columns, bool Withheld, IReadOnlyList<RowDocument> Rows, IReadOnlyList<CellDocument> ColumnTotals, CellDocument GrandTotal);

public sealed record RowDocument(string Key, string Label, IReadOnlyList<CellDocument> Cells, CellDocument Total);

public sealed record CellDocument(string Text, int? Count);

public sealed record TrendDocument(string Title, IReadOnlyList<string> Months, IReadOnlyList<SeriesDocument> Series);

public sealed record SeriesDocument(string Key, string Label, IReadOnlyList<CellDocument> Values);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DigestDocument))]
internal sealed partial class DigestJsonContext : JsonSerializerContext;

/// <summary>
/// The CSV of a published digest: one RFC 4180 file, one line per published figure, in long form
/// (docs/decisions.md, "Digest publication"): <c>month,table,kind,row_key,row_label,column,value,count</c>.
/// <c>kind</c> is <c>cell</c>, <c>row-total</c>, <c>column-total</c>, <c>grand-total</c>, <c>trend</c>,
/// or, for the providers' feedback (table <c>feedback-by-provider</c>), <c>percent</c> or <c>hours</c>;
/// <c>value</c> is what a reader sees (<c>12</c>, <c>&lt;5</c>, <c>×</c>, <c>83 %</c>, <c>12 u</c>),
/// <c>count</c> the number (a count, a percentage or hours, as <c>kind</c> says) only where it is published. UTF-8 with a byte order mark, so Excel reads <c>×</c> right.
/// </summary>
public static class DigestCsv
{
    public const string TotalLabel = "Total";

    public const string FeedbackTable = "feedback-by-provider";

    public static readonly string[] Header = ["month", "table", "kind", "row_key", "row_label", "column", "value", "count"];

    // A label a gemeente typed (a provider's name) could start with = + - @: escaped, so a spreadsheet never runs it.
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape };

    public static byte[] Render(PublishedDigest digest)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, true))
        {
            csv.WriteRecord(Header);
            void Line(string table, string kind, string rowKey, string rowLabel, string column, PublishedCell cell) =>
                csv.WriteRecord([digest.Month, table, kind, rowKey, rowLabel, column, cell.Text, cell.Shown == CellShown.Count ? cell.Count!.Value.ToString(CultureInfo.InvariantCulture) : ""]);

            foreach (var table in digest.Tables)
            {
                foreach (var row in table.Rows)
                {
                    for (var j = 0; j < table.Columns.Count; j++)
                    {
                        Line(table.Id, "cell", row.Key, row.Label, table.Columns[j], row.Cells[j]);
                    }

                    Line(table.Id, "row-total", row.Key, row.Label, TotalLabel, row.Total);
                }

                for (var j = 0; j < table.Columns.Count; j++)
                {
                    Line(table.Id, "column-total", "", TotalLabel, table.Columns[j], table.ColumnTotals[j]);
                }

                Line(table.Id, "grand-total", "", TotalLabel, TotalLabel, table.GrandTotal);
            }

            if (digest.Trend is { } trend)
            {
                foreach (var series in trend.Series)
                {
                    for (var k = 0; k < trend.Months.Count; k++)
                    {
                        Line("trend", "trend", series.Key, series.Label, trend.Months[k], series.Values[k]);
                    }
                }
            }

            void Figure(PublishedFeedback f, string kind, string column, PublishedFigure figure) =>
                csv.WriteRecord([digest.Month, FeedbackTable, kind, f.ProviderId, f.ProviderName, column, figure.Text, figure.Value?.ToString(CultureInfo.InvariantCulture) ?? ""]);

            foreach (var f in digest.Feedback)
            {
                Figure(f, "percent", "with-status", f.WithStatus);
                Figure(f, "percent", "contacted-within-promise", f.ContactedWithinPromise);
                Figure(f, "hours", "median-hours-to-contact", f.MedianHoursToContact);
            }

            csv.Flush();
        }

        return buffer.ToArray();
    }
}
