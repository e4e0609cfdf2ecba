using System.Text;

namespace FunctionsHub.Infra.Tests;

/// <summary>
/// Evaluates the few ARM template functions a snapshot leaves in values that need no deployed
/// resource: <c>format()</c>, <c>concat()</c> and <c>environment()</c> (Azure public cloud). Anything
/// else (<c>reference()</c>) is not evaluated: <see cref="TryEvaluate"/> gives false and the test
/// asserts on the expression text instead.
/// </summary>
public static class ArmExpression
{
    private static readonly Dictionary<string, string> PublicCloud = new()
    {
        ["suffixes.storage"] = "core.windows.net",
        ["authentication.loginEndpoint"] = "https://login.microsoftonline.com/",
    };

    public static bool IsExpression(string value) => value.StartsWith('[') && value.EndsWith(']') && !value.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>A literal as it is; an expression evaluated; false when it needs a deployed resource.</summary>
    public static bool TryEvaluate(string value, out string result)
    {
        if (!IsExpression(value))
        {
            result = value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;
            return true;
        }

        try
        {
            var parser = new Parser(value[1..^1]);
            result = parser.Expression();
            parser.End();
            return true;
        }
        catch (NotSupportedException)
        {
            result = "";
            return false;
        }
    }

    public static string Evaluate(string value) =>
        TryEvaluate(value, out var result) ? result : throw new Xunit.Sdk.XunitException($"Cannot evaluate {value} without a deployment.");

    private sealed class Parser(string text)
    {
        private int _at;

        public string Expression()
        {
            Skip();
            if (Peek() == '\'')
            {
                return Literal();
            }

            var name = Identifier();
            var arguments = Arguments();
            if (name == "environment" && arguments.Count == 0)
            {
                var path = new StringBuilder();
                while (Peek() == '.')
                {
                    _at++;
                    path.Append(path.Length == 0 ? "" : ".").Append(Identifier());
                }

                return PublicCloud.TryGetValue(path.ToString(), out var value) ? value : throw new NotSupportedException(path.ToString());
            }

            if (Peek() is '.' or '[')
            {
                throw new NotSupportedException("property access");
            }

            return name switch
            {
                "format" => string.Format(System.Globalization.CultureInfo.InvariantCulture, arguments[0], [.. arguments.Skip(1)]),
                "concat" => string.Concat(arguments),
                _ => throw new NotSupportedException(name),
            };
        }

        public void End()
        {
            Skip();
            if (_at != text.Length)
            {
                throw new NotSupportedException(text[_at..]);
            }
        }

        private List<string> Arguments()
        {
            Expect('(');
            var arguments = new List<string>();
            Skip();
            if (Peek() == ')')
            {
                _at++;
                return arguments;
            }

            while (true)
            {
                arguments.Add(Expression());
                Skip();
                var next = text[_at++];
                if (next == ')')
                {
                    return arguments;
                }

                if (next != ',')
                {
                    throw new NotSupportedException($"'{next}'");
                }
            }
        }

        private string Literal()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                var c = text[_at++];
                if (c == '\'')
                {
                    if (Peek() != '\'')
                    {
                        return value.ToString();
                    }

                    _at++;
                }

                value.Append(c);
            }
        }

        private string Identifier()
        {
            var start = _at;
            while (_at < text.Length && char.IsLetterOrDigit(text[_at]))
            {
                _at++;
            }

            return start == _at ? throw new NotSupportedException(text[_at..]) : text[start.._at];
        }

        private void Expect(char c)
        {
            Skip();
            if (Peek() != c)
            {
                throw new NotSupportedException($"expected '{c}'");
            }

            _at++;
        }

        private char Peek() => _at < text.Length ? text[_at] : '\0';

        private void Skip()
        {
            while (_at < text.Length && text[_at] == ' ')
            {
                _at++;
            }
        }
    }
}
