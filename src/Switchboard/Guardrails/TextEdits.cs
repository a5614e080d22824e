using System.Text;

namespace Switchboard.Guardrails;

/// <summary>Applies ordered, non-overlapping edits to a text (overlapping ones after the first are skipped).</summary>
internal static class TextEdits
{
    public static string Apply(string text, IReadOnlyList<TextEdit> edits)
    {
        if (edits.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var e in edits.OrderBy(e => e.Index))
        {
            if (e.Index < at || e.End > text.Length)
            {
                continue;
            }

            sb.Append(text, at, e.Index - at).Append(e.Replacement);
            at = e.End;
        }

        return sb.Append(text, at, text.Length - at).ToString();
    }
}
