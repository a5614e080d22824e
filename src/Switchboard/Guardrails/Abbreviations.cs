using System.Text.RegularExpressions;
using Switchboard.Pricing;

namespace Switchboard.Guardrails;

/// <summary>
/// The abbreviation table of the original design's prompt optimiser. Only entries that really save tokens with the
/// project's tokenizer are used (checked once), since an abbreviation the tokenizer splits finely can cost more.
/// </summary>
internal static class Abbreviations
{
    private static readonly (string Long, string Short)[] s_table =
    [
        ("for example", "e.g."), ("that is to say", "i.e."), ("in order to", "to"), ("due to the fact that", "because"),
        ("at this point in time", "now"), ("in the event that", "if"), ("as soon as possible", "ASAP"),
        ("with respect to", "w.r.t."), ("approximately", "approx."), ("information", "info"), ("configuration", "config"),
        ("documentation", "docs"), ("repository", "repo"), ("application", "app"), ("environment", "env"),
        ("and so on", "etc."), ("please make sure that", "ensure"), ("it is important to note that", "note:"),
        ("in addition to", "besides"), ("a large number of", "many"), ("the majority of", "most"),
    ];

    private static readonly Lazy<IReadOnlyList<(Regex Pattern, string Short)>> s_useful = new(() =>
        [.. s_table
            .Where(e => TokenEstimator.Default.CountText(" " + e.Long) > TokenEstimator.Default.CountText(" " + e.Short))
            .Select(e => (new Regex(@"\b" + Regex.Escape(e.Long) + @"\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), e.Short))]);

    /// <summary>The entries kept (those that save tokens).</summary>
    public static int UsefulCount => s_useful.Value.Count;

    public static string Apply(string line)
    {
        foreach (var (pattern, abbreviation) in s_useful.Value)
        {
            line = pattern.Replace(line, m => char.IsUpper(m.Value[0]) && char.IsLower(abbreviation[0])
                ? char.ToUpperInvariant(abbreviation[0]) + abbreviation[1..]
                : abbreviation);
        }

        return line;
    }
}
