using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsHub.Core;

/// <summary>Rules about time shared by every body the hub reads.</summary>
public static class TimeRules
{
    /// <summary>How far a submitted time may lie ahead of receipt: partners' clocks run a little fast.</summary>
    public static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);
}

/// <summary>Reads fields and collects problems by JSON path; error messages never quote the value.</summary>
internal sealed partial class JsonFieldReader
{
    private const string NotUnicode = "must be valid Unicode text.";

    private readonly Dictionary<string, List<string>> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> Errors() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>Whether the body is a JSON object; records the problem when it is not.</summary>
    public bool IsObject(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        Fail("$", "must be a JSON object.");
        return false;
    }

    /// <summary>
    /// Refuses what the field rules would not see: a property name twice in one object (the parser
    /// would silently keep the last) and text that cannot be decoded, also in fields the hub ignores,
    /// because the raw body travels on to routing. False when a property name cannot be decoded:
    /// looking up any field of that object would then throw, so the fields cannot be read.
    /// </summary>
    public bool CheckStructure(JsonElement element, string path = "$")
    {
        var readable = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                    {
                        Fail(path, "has a property name that is not valid Unicode text.");
                        readable = false;
                        continue;
                    }

                    // Names that are not plain words are left out of the path: they are submitted text.
                    var childPath = PlainNamePattern().IsMatch(name) ? $"{path}.{name}" : null;
                    if (!seen.Add(name))
                    {
                        Fail(childPath ?? path, childPath is null ? "has a property name more than once." : "is given more than once.");
                    }

                    readable &= CheckStructure(property.Value, childPath ?? path);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    readable &= CheckStructure(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                if (!TryText(element, out _))
                {
                    Fail(path, NotUnicode);
                }

                break;
        }

        return readable;
    }

    public void Fail(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        // The structure check and the field rules can find the same problem.
        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public JsonElement? Object(JsonElement parent, string name, bool required)
    {
        var path = $"$.{name}";
        if (!Present(parent, name, required, path, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(path, "must be an object.");
            return null;
        }

        return value;
    }

    /// <summary>
    /// A text field. <paramref name="multiline"/> is for free text, which may hold line breaks and
    /// tabs; short fields (ids, names, codes) hold no control characters at all.
    /// </summary>
    public string? String(JsonElement parent, string name, bool required, int max = int.MaxValue, string? path = null, bool multiline = false)
    {
        path ??= $"$.{name}";
        if (!Present(parent, name, required, path, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Fail(path, "must be a string.");
            return null;
        }

        return Text(value, path, multiline) is { } text && WithinLength(text, max, path) ? text : null;
    }

    public string? OneOf(JsonElement parent, string name, IEnumerable<string> allowed, bool required, string? path = null)
    {
        path ??= $"$.{name}";
        var text = String(parent, name, required, 100, path);
        if (text is not null && !allowed.Contains(text))
        {
            Fail(path, $"must be one of: {string.Join(", ", allowed)}.");
            return null;
        }

        return text;
    }

    public IReadOnlyList<string>? StringList(JsonElement parent, string name, string path, bool required, IEnumerable<string>? allowed)
    {
        if (!Present(parent, name, required, path, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Fail(path, "must be a non-empty array.");
            return null;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                Fail(itemPath, "must be a string.");
            }
            else if (Text(item, itemPath, multiline: false) is not { } text)
            {
                // Text has recorded why.
            }
            else if (allowed is not null && !allowed.Contains(text))
            {
                Fail(itemPath, $"must be one of: {string.Join(", ", allowed)}.");
            }
            else
            {
                items.Add(text);
            }
        }

        return items.Distinct().ToArray();
    }

    /// <summary>A consent scope: a list of <c>all</c>, provider ids or provider kinds.</summary>
    public IReadOnlyList<string>? Scope(JsonElement parent, string name, string path, bool required)
    {
        var scope = StringList(parent, name, path, required, allowed: null);
        foreach (var (id, i) in (scope ?? []).Select((s, i) => (s, i)))
        {
            if (!Identifiers.IsDocumentId(id))
            {
                Fail($"{path}[{i}]", "must be 'all', a provider id or a provider kind.");
            }
        }

        return scope;
    }

    public DateTimeOffset? Timestamp(JsonElement parent, string name, bool required, string? path = null)
    {
        path ??= $"$.{name}";
        var text = String(parent, name, required, 64, path);
        if (text is null)
        {
            return null;
        }

        // RFC 3339 demands an explicit offset: 'Z' or ±hh:mm.
        if (!Rfc3339Pattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            Fail(path, "must be an RFC 3339 timestamp with offset, e.g. 2026-11-02T09:30:00+01:00.");
            return null;
        }

        return value;
    }

    /// <summary>Records a time that lies further ahead of receipt than <see cref="TimeRules.FutureSkew"/> allows.</summary>
    public void NotInFuture(DateTimeOffset? value, DateTimeOffset receivedAt, string path)
    {
        if (value > receivedAt + TimeRules.FutureSkew)
        {
            Fail(path, $"must not be more than {TimeRules.FutureSkew.TotalMinutes:0} minutes in the future.");
        }
    }

    public DateOnly? Date(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, required: true, 10, path);
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            Fail(path, "must be a date as YYYY-MM-DD.");
            return null;
        }

        return value;
    }

    public string? Postcode(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, required: false, 7, path);
        if (text is not null && !PostcodePattern().IsMatch(text))
        {
            Fail(path, "must be a Dutch postcode such as 1234AB or 1234 AB.");
            return null;
        }

        return text;
    }

    public int? Integer(JsonElement parent, string name, int min, int max, string path)
    {
        if (!Present(parent, name, required: true, path, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            Fail(path, $"must be a whole number from {min} to {max}.");
            return null;
        }

        return number;
    }

    /// <summary>The decoded text of a string element when it is acceptable text, else null with the problem recorded.</summary>
    private string? Text(JsonElement value, string path, bool multiline)
    {
        if (!TryText(value, out var text))
        {
            Fail(path, NotUnicode);
            return null;
        }

        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            Fail(path, multiline ? "must not contain control characters other than line breaks and tabs." : "must not contain control characters.");
            return null;
        }

        if (text.All(IsBlank))
        {
            Fail(path, "must not be empty.");
            return null;
        }

        return text;
    }

    private bool WithinLength(string text, int max, string path)
    {
        if (text.Length > max)
        {
            Fail(path, $"must be at most {max} characters.");
            return false;
        }

        return true;
    }

    /// <summary>Whitespace and the zero-width characters that look like nothing on screen.</summary>
    private static bool IsBlank(char c) => char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';

    /// <summary>
    /// System.Text.Json parses a lone surrogate escape (<c>"\ud800"</c>) or invalid UTF-8 inside a
    /// string, and only throws when the string is read.
    /// </summary>
    private static bool TryText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString()!;
            return IsWellFormedUtf16(text);
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return IsWellFormedUtf16(name);
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private bool Present(JsonElement parent, string name, bool required, string path, out JsonElement value)
    {
        if (!parent.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Fail(path, "is required.");
            }

            return false;
        }

        return true;
    }

    // \z, not $: $ also matches before a final newline. [0-9], not \d: \d takes any script's digits.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\z")]
    private static partial Regex Rfc3339Pattern();

    [GeneratedRegex(@"^[1-9][0-9]{3} ?[A-Za-z]{2}\z")]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex PlainNamePattern();
}
