using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsHub.Core;

/// <summary>Reads fields and collects problems by JSON path; error messages never quote the value.</summary>
internal sealed partial class JsonFieldReader
{
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

    public void Fail(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        list.Add(message);
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

    public string? String(JsonElement parent, string name, bool required, int max = int.MaxValue, string? path = null)
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

        var text = value.GetString()!;
        if (text.Trim().Length == 0)
        {
            Fail(path, "must not be empty.");
            return null;
        }

        if (text.Length > max)
        {
            Fail(path, $"must be at most {max} characters.");
            return null;
        }

        return text;
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
            else if (allowed is not null && !allowed.Contains(item.GetString()))
            {
                Fail(itemPath, $"must be one of: {string.Join(", ", allowed)}.");
            }
            else
            {
                items.Add(item.GetString()!);
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
            if (!Configuration.HubDocumentValidator.IsValidId(id))
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

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339Pattern();

    [GeneratedRegex("^[1-9][0-9]{3} ?[A-Za-z]{2}$")]
    private static partial Regex PostcodePattern();
}
