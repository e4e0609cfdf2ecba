using System.Text;
using System.Text.RegularExpressions;
using FunctionsHub.Testing;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// The repository's documentation stands on its own: every relative link in every markdown file
/// reaches a file of the repository (and, for <c>#anchor</c> into markdown, a heading there, by
/// GitHub's slugs), and no file points at documents that live outside it.
/// </summary>
public sealed partial class DocsLinkTests
{
    private static readonly string Root = Azurite.RepositoryRoot();

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "node_modules", "bin", "obj", ".git", "TestResults" };

    [Fact]
    public void Every_relative_link_in_the_markdown_reaches_a_file_and_heading_of_the_repository()
    {
        var broken = new List<string>();
        var markdown = Files().Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.Contains(markdown, f => f.EndsWith(Path.Combine("docs", "contract", "README.md"), StringComparison.Ordinal));

        foreach (var file in markdown)
        {
            foreach (var (line, target) in Links(File.ReadAllLines(file)))
            {
                if (Problem(file, target) is { } problem)
                {
                    broken.Add($"{Path.GetRelativePath(Root, file)}:{line}: ({target}) {problem}");
                }
            }
        }

        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void No_file_refers_to_documents_outside_the_repository()
    {
        // Spelled in parts so that this file does not name them itself.
        string[] outside = ["../" + "shared", "STYLE" + ".md", "SPEC" + ".md"];
        var found = new List<string>();
        foreach (var file in Files())
        {
            if (Text(file) is not { } text)
            {
                continue;
            }

            found.AddRange(outside.Where(o => text.Contains(o, StringComparison.OrdinalIgnoreCase)).Select(o => $"{Path.GetRelativePath(Root, file)}: {o}"));
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public void The_contract_readme_links_nothing_outside_the_repository()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "contract", "README.md"));

        Assert.DoesNotMatch(@"\]\(\s*[a-zA-Z][a-zA-Z0-9+.-]*:", text);
        Assert.DoesNotContain("://", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The round trip: notifications back to the parties", "the-round-trip-notifications-back-to-the-parties")]
    [InlineData("`Hub:Inbox:Transport` and Service Bus", "hubinboxtransport-and-service-bus")]
    [InlineData("Campaigns: sending", "campaigns-sending")]
    [InlineData("Digest compilation (v2)", "digest-compilation-v2")]
    public void Slugs_are_githubs(string heading, string slug) => Assert.Equal(slug, Slug(heading));

    /// <summary>What is wrong with a link target, or null when it resolves.</summary>
    private static string? Problem(string file, string target)
    {
        if (Regex.IsMatch(target, "^[a-zA-Z][a-zA-Z0-9+.-]*:") || target.StartsWith("//", StringComparison.Ordinal))
        {
            return null; // absolute: not this test's business
        }

        var hash = target.IndexOf('#');
        var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var anchor = hash < 0 ? null : target[(hash + 1)..];
        var resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(path.StartsWith('/') ? Root : Path.GetDirectoryName(file)!, path.TrimStart('/')));
        if (!resolved.StartsWith(Root, StringComparison.Ordinal))
        {
            return "leaves the repository";
        }

        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            return "no such file";
        }

        if (anchor is null || !resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Anchors(File.ReadAllLines(resolved)).Contains(anchor) ? null : "no such heading";
    }

    /// <summary>(line number, target) of each inline and reference link outside code blocks and code spans.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string[] lines)
    {
        foreach (var (number, line) in Prose(lines))
        {
            var text = CodeSpan().Replace(line, "");
            foreach (Match link in InlineLink().Matches(text))
            {
                yield return (number, link.Groups["target"].Value.Trim('<', '>'));
            }

            if (ReferenceLink().Match(text) is { Success: true } reference)
            {
                yield return (number, reference.Groups["target"].Value.Trim('<', '>'));
            }
        }
    }

    /// <summary>The anchors GitHub makes for a markdown file's headings, duplicates numbered.</summary>
    private static HashSet<string> Anchors(string[] lines)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, line) in Prose(lines))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var seen = counts.GetValueOrDefault(slug);
            counts[slug] = seen + 1;
            anchors.Add(seen == 0 ? slug : $"{slug}-{seen}");
        }

        return anchors;
    }

    /// <summary>GitHub's slug: the heading's text (links as their text), lowercased, without punctuation but hyphens and underscores, spaces as hyphens.</summary>
    internal static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading.Trim(), m => m.Groups["text"].Value).ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>The lines outside fenced code blocks, numbered from 1.</summary>
    private static IEnumerable<(int Number, string Line)> Prose(string[] lines)
    {
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }

            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            yield return (i + 1, lines[i]);
        }
    }

    /// <summary>Every file of the repository outside build output and installed packages.</summary>
    private static IEnumerable<string> Files()
    {
        var pending = new Stack<string>([Root]);
        while (pending.TryPop(out var dir))
        {
            foreach (var sub in Directory.GetDirectories(dir).Where(d => !Skipped.Contains(Path.GetFileName(d))))
            {
                if (!new DirectoryInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.GetFiles(dir))
            {
                yield return file;
            }
        }
    }

    /// <summary>The file's text, or null for a binary file (a NUL in its first 8 KiB) or one over 4 MiB.</summary>
    private static string? Text(string file)
    {
        var info = new FileInfo(file);
        if (info.Length > 4 * 1024 * 1024 || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(file);
        return bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0) ? null : Encoding.UTF8.GetString(bytes);
    }

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceLink();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex CodeSpan();
}
