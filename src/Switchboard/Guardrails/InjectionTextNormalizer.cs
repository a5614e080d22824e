using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// Undoes the cheap disguises of an injection before it is scored: zero-width and soft-hyphen characters, full-width
/// letters, Cyrillic and Greek look-alikes, and letters spaced out one by one; then lower-cases.
/// </summary>
internal static partial class InjectionTextNormalizer
{
    private static readonly Dictionary<char, char> s_confusables = new()
    {
        ['\u0430'] = 'a', ['\u0435'] = 'e', ['\u043e'] = 'o', ['\u0440'] = 'p', ['\u0441'] = 'c', ['\u0443'] = 'y',
        ['\u0445'] = 'x', ['\u0456'] = 'i', ['\u0458'] = 'j', ['\u0455'] = 's', ['\u0501'] = 'd', ['\u04bb'] = 'h',
        ['\u0410'] = 'A', ['\u0412'] = 'B', ['\u0415'] = 'E', ['\u041a'] = 'K', ['\u041c'] = 'M', ['\u041d'] = 'H',
        ['\u041e'] = 'O', ['\u0420'] = 'P', ['\u0421'] = 'C', ['\u0422'] = 'T', ['\u0425'] = 'X', ['\u0406'] = 'I',
        ['\u03b1'] = 'a', ['\u03b5'] = 'e', ['\u03b9'] = 'i', ['\u03bf'] = 'o', ['\u03c1'] = 'p', ['\u03bd'] = 'v',
        ['\u03c4'] = 't', ['\u0391'] = 'A', ['\u0395'] = 'E', ['\u0399'] = 'I', ['\u039f'] = 'O', ['\u03a1'] = 'P',
        ['\u03a4'] = 'T', ['\u039a'] = 'K', ['\u039c'] = 'M', ['\u039d'] = 'N', ['\u03a7'] = 'X', ['\u0396'] = 'Z',
    };

    /// <summary>The normalised text, and whether disguises were found (invisible characters, mixed-script words).</summary>
    public static (string Text, bool Invisible, bool MixedScript) Normalize(string text)
    {
        // Invisible characters, look-alikes and full-width letters are all outside ASCII: ASCII text only lower-cases.
        if (Ascii.IsValid(text))
        {
            return (JoinSpacedLetters(text.ToLowerInvariant()), false, false);
        }

        var sb = new StringBuilder(text.Length);
        var invisible = false;
        var mixed = false;
        var wordHasLatin = false;
        var wordHasConfusable = false;
        foreach (var c in text)
        {
            if (c is '\u200b' or '\u200c' or '\u200d' or '\u2060' or '\ufeff' or '\u00ad' or '\u180e')
            {
                invisible = true;
                continue;
            }

            var mapped = c;
            if (c is >= '\uff01' and <= '\uff5e')
            {
                mapped = (char)(c - 0xfee0);
                wordHasConfusable = true;
            }
            else if (s_confusables.TryGetValue(c, out var latin))
            {
                mapped = latin;
                wordHasConfusable = true;
            }
            else if (char.IsAsciiLetter(c))
            {
                wordHasLatin = true;
            }

            if (!char.IsLetter(c))
            {
                mixed |= wordHasLatin && wordHasConfusable;
                wordHasLatin = wordHasConfusable = false;
            }

            sb.Append(char.ToLowerInvariant(mapped));
        }

        mixed |= wordHasLatin && wordHasConfusable;
        return (JoinSpacedLetters(sb.ToString()), invisible, mixed);
    }

    private static string JoinSpacedLetters(string text) =>
        SpacedLetters().Replace(text, m => SpacedSeparators().Replace(m.Value, ""));

    // Five or more single letters, each followed by one separator: "i g n o r e".
    [GeneratedRegex(@"(?<![a-z])(?:[a-z][ .\-_*]){4,}[a-z](?![a-z])")]
    private static partial Regex SpacedLetters();

    [GeneratedRegex(@"[ .\-_*]")]
    private static partial Regex SpacedSeparators();
}
