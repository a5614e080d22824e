using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>The configured deny categories and custom patterns, compiled once, for prompts and for answers.</summary>
public sealed class ContentFilter
{
    /// <summary>The label of a custom pattern's match.</summary>
    public const string CustomLabel = "custom";

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);
    private readonly List<(string Label, Regex Pattern)> _input = [];
    private readonly List<(string Label, Regex Pattern)> _output = [];

    public ContentFilter(ContentFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var categories = options.Categories is { } named
            ? named.Where(n => ContentCategories.All.ContainsKey(n)).Select(n => (n, ContentCategories.All[n]))
            : ContentCategories.All.Select(kv => (kv.Key, kv.Value));
        foreach (var (name, pattern) in categories)
        {
            _input.Add((name, pattern));
            if (options.ScanOutput)
            {
                _output.Add((name, pattern));
            }
        }

        _input.AddRange(options.InputPatterns.Select(p => (CustomLabel, Compile(p))));
        _output.AddRange(options.OutputPatterns.Select(p => (CustomLabel, Compile(p))));
    }

    /// <summary>Whether anything is checked in answers.</summary>
    public bool ChecksOutput => _output.Count > 0;

    /// <summary>Matches in a prompt, each labelled with its category (or <see cref="CustomLabel"/>).</summary>
    public IReadOnlyList<TextMatch> FindInInput(string? text) => Find(_input, text);

    /// <summary>Matches in an answer.</summary>
    public IReadOnlyList<TextMatch> FindInOutput(string? text) => Find(_output, text);

    internal static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

    private static List<TextMatch> Find(List<(string Label, Regex Pattern)> patterns, string? text)
    {
        var found = new List<TextMatch>();
        if (string.IsNullOrEmpty(text))
        {
            return found;
        }

        foreach (var (label, pattern) in patterns)
        {
            try
            {
                foreach (Match m in pattern.Matches(text))
                {
                    if (m.Length > 0)
                    {
                        found.Add(new TextMatch(m.Index, m.Length, label));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                found.Add(new TextMatch(0, 0, label)); // a pattern that cannot decide in time counts as a match
            }
        }

        found.Sort((a, b) => a.Index.CompareTo(b.Index));
        return found;
    }
}
