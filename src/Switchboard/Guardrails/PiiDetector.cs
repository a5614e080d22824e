using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// Finds personal data and secrets in text: e-mail addresses, phone numbers, payment cards (Luhn and issuer checked),
/// IBANs (mod 97), US SSNs (SSA rules), IPv4/IPv6 addresses and API-key shaped secrets. Candidates that fail their
/// check are ignored, so order numbers, dates, amounts and versions stay as they are.
/// </summary>
public sealed partial class PiiDetector
{
    private readonly HashSet<PiiKind> _kinds;

    public PiiDetector(IEnumerable<PiiKind>? kinds = null) => _kinds = [.. kinds ?? Enum.GetValues<PiiKind>()];

    /// <summary>The placeholder prefix of a kind: <c>EMAIL</c>, <c>PHONE</c>, <c>CARD</c>, ...</summary>
    public static string Label(PiiKind kind) => kind switch
    {
        PiiKind.Email => "EMAIL",
        PiiKind.Phone => "PHONE",
        PiiKind.Card => "CARD",
        PiiKind.Iban => "IBAN",
        PiiKind.Ssn => "SSN",
        PiiKind.IpAddress => "IP",
        _ => "SECRET",
    };

    /// <summary>Every match, in order, without overlaps (the earlier and then the longer one wins).</summary>
    public IReadOnlyList<TextMatch> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = new List<TextMatch>();
        Add(found, PiiKind.Secret, SecretShape(), text, _ => true);
        Add(found, PiiKind.Email, Email(), text, _ => true);
        Add(found, PiiKind.Iban, Iban(), text, m => PiiChecks.IsIban(m.Value.Replace(" ", "", StringComparison.Ordinal)));
        Add(found, PiiKind.Card, Card(), text, m => PiiChecks.IsCard(new string([.. m.Value.Where(char.IsAsciiDigit)])));
        Add(found, PiiKind.Ssn, Ssn(), text, m => PiiChecks.IsSsn(m.Groups[1].ValueSpan, m.Groups[2].ValueSpan, m.Groups[3].ValueSpan));
        Add(found, PiiKind.IpAddress, Ipv4(), text, _ => true);
        Add(found, PiiKind.IpAddress, Ipv6(), text, m => PiiChecks.IsIpv6(m.Value));
        Add(found, PiiKind.Phone, Phone(), text, m => PiiChecks.IsPhone(m.Value));
        found.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : b.Length.CompareTo(a.Length));
        var result = new List<TextMatch>(found.Count);
        foreach (var m in found)
        {
            if (result.Count == 0 || m.Index >= result[^1].End)
            {
                result.Add(m);
            }
        }

        return result;
    }

    private void Add(List<TextMatch> found, PiiKind kind, Regex pattern, string text, Func<Match, bool> valid)
    {
        if (!_kinds.Contains(kind))
        {
            return;
        }

        foreach (Match m in pattern.Matches(text))
        {
            if (valid(m) && !found.Any(f => m.Index < f.End && f.Index < m.Index + m.Length))
            {
                found.Add(new TextMatch(m.Index, m.Length, Label(kind)));
            }
        }
    }

    [GeneratedRegex(@"\b(?:sk-(?:proj-|ant-(?:api\d{2}-)?|svcacct-)?[A-Za-z0-9_\-]{20,}|AIza[0-9A-Za-z_\-]{35}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abprs]-[A-Za-z0-9\-]{10,}|AKIA[0-9A-Z]{16})\b")]
    private static partial Regex SecretShape();

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")]
    private static partial Regex Card();

    [GeneratedRegex(@"(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])")]
    private static partial Regex Ssn();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")]
    private static partial Regex Ipv6();

    [GeneratedRegex(@"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,4}(?![\w-])|(?<![\w+])\+\d{10,15}\b")]
    private static partial Regex Phone();
}
