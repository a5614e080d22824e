using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// One request's reversible placeholders: each distinct original gets <c>[KIND_n]</c> (the same original, the same
/// placeholder), and the originals can be put back where the answer repeats a placeholder.
/// </summary>
public sealed partial class PiiVault
{
    private readonly Dictionary<string, string> _byOriginal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>How many distinct originals were replaced.</summary>
    public int Count => _byPlaceholder.Count;

    /// <summary>Replaces <paramref name="matches"/> (ordered, not overlapping) in <paramref name="text"/> by placeholders.</summary>
    public string Redact(string text, IReadOnlyList<TextMatch> matches)
    {
        if (matches.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var m in matches)
        {
            sb.Append(text, at, m.Index - at).Append(PlaceholderFor(m.Label, text.Substring(m.Index, m.Length)));
            at = m.End;
        }

        return sb.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The placeholders of this vault found in <paramref name="text"/>, each with its original as label.</summary>
    public IReadOnlyList<TextMatch> FindPlaceholders(string text)
    {
        if (_byPlaceholder.Count == 0)
        {
            return [];
        }

        var found = new List<TextMatch>();
        foreach (Match m in Placeholder().Matches(text))
        {
            if (_byPlaceholder.TryGetValue(m.Value, out var original))
            {
                found.Add(new TextMatch(m.Index, m.Length, original));
            }
        }

        return found;
    }

    /// <summary>The text with every known placeholder replaced by its original.</summary>
    public string Restore(string text) => TextEdits.Apply(text, FindPlaceholders(text).Select(m => new TextEdit(m.Index, m.Length, m.Label)).ToList());

    private string PlaceholderFor(string label, string original)
    {
        if (_byOriginal.TryGetValue(original, out var existing))
        {
            return existing;
        }

        var n = _counters[label] = _counters.GetValueOrDefault(label) + 1;
        var placeholder = $"[{label}_{n}]";
        _byOriginal[original] = placeholder;
        _byPlaceholder[placeholder] = original;
        return placeholder;
    }

    [GeneratedRegex(@"\[(?:EMAIL|PHONE|CARD|IBAN|SSN|IP|SECRET)_\d{1,4}\]")]
    private static partial Regex Placeholder();
}
