using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// Makes a prompt shorter without changing what it says: trailing spaces and runs of spaces inside prose lines go,
/// runs of blank lines become one, an exact repeat of a paragraph already seen in the request is dropped, and (only
/// when asked) long phrases become abbreviations. Fenced code blocks and indented lines are never touched, and
/// leading indentation is kept.
/// </summary>
public sealed partial class PromptCompactor(bool removeDuplicateBlocks = true, bool abbreviations = false)
{
    /// <summary>Paragraphs shorter than this are never treated as duplicate context ("Thanks!" may repeat).</summary>
    public const int MinDuplicateChars = 32;

    /// <summary>Compacts one text; <paramref name="seenBlocks"/> carries the paragraphs seen so far in the request.</summary>
    public string Compact(string text, ISet<string>? seenBlocks = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        seenBlocks ??= new HashSet<string>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var output = new List<string>(lines.Length);
        var prose = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!IsFence(lines[i], out var fence))
            {
                prose.Add(lines[i]);
                continue;
            }

            FlushProse(prose, output, seenBlocks, atStart: output.Count == 0, atEnd: false);
            output.Add(lines[i]);
            for (i++; i < lines.Length; i++)
            {
                output.Add(lines[i]);
                if (ClosesFence(lines[i], fence))
                {
                    break;
                }
            }
        }

        FlushProse(prose, output, seenBlocks, atStart: output.Count == 0, atEnd: true);
        return string.Join('\n', output);
    }

    private void FlushProse(List<string> prose, List<string> output, ISet<string> seen, bool atStart, bool atEnd)
    {
        if (prose.Count == 0)
        {
            return;
        }

        var leadingBlank = string.IsNullOrWhiteSpace(prose[0]);
        var trailingBlank = prose.Count > 1 && string.IsNullOrWhiteSpace(prose[^1]);
        var paragraphs = new List<List<string>>();
        var current = new List<string>();
        foreach (var line in prose)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current.Count > 0)
                {
                    paragraphs.Add(current);
                    current = [];
                }

                continue;
            }

            current.Add(NormalizeLine(line));
        }

        if (current.Count > 0)
        {
            paragraphs.Add(current);
        }

        prose.Clear();
        var kept = new List<string>();
        foreach (var paragraph in paragraphs)
        {
            var block = string.Join('\n', paragraph);
            var key = block.Trim();
            if (removeDuplicateBlocks && key.Length >= MinDuplicateChars && !seen.Add(key))
            {
                continue;
            }

            kept.Add(block);
        }

        if (leadingBlank && !atStart)
        {
            output.Add("");
        }

        for (var i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                output.Add("");
            }

            output.Add(kept[i]);
        }

        if (trailingBlank && !atEnd && kept.Count > 0)
        {
            output.Add("");
        }
    }

    private string NormalizeLine(string line)
    {
        // Indented lines may be code (Markdown's indented blocks, YAML, Python): leave them exactly as they are.
        if (line.StartsWith('\t') || line.StartsWith("    ", StringComparison.Ordinal))
        {
            return line;
        }

        var indent = line.Length - line.TrimStart(' ').Length;
        var body = InnerSpace().Replace(line[indent..].TrimEnd(), " ");
        if (abbreviations && !body.Contains('`', StringComparison.Ordinal))
        {
            body = Abbreviations.Apply(body);
        }

        return line[..indent] + body;
    }

    private static bool IsFence(string line, out string fence)
    {
        fence = "";
        var trimmed = line.TrimStart(' ');
        if (line.Length - trimmed.Length > 3 || trimmed.Length < 3 || (trimmed[0] != '`' && trimmed[0] != '~'))
        {
            return false;
        }

        var run = trimmed.Length - trimmed.TrimStart(trimmed[0]).Length;
        if (run < 3)
        {
            return false;
        }

        fence = trimmed[..run];
        return true;
    }

    private static bool ClosesFence(string line, string fence)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    [GeneratedRegex(@"[ \t]{2,}|\t")]
    private static partial Regex InnerSpace();
}
