using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Guardrails;

/// <summary>
/// Scores user-controlled text (user messages, tool results, retrieved documents) for prompt injection. The text is
/// normalised first (invisible characters, look-alike letters, spaced-out letters), base64 blobs are decoded and
/// scored too, and the weights of the signals found are combined as a noisy-OR: 1 − Π(1 − w). A signal quoted inside
/// text that is plainly about the topic (a test, a classifier, an explanation) counts for less.
/// </summary>
public sealed partial class PromptInjectionScorer
{
    private const double InvisibleWeight = 0.25;
    private const double MixedScriptWeight = 0.3;
    private const double EncodedPayloadWeight = 0.35;
    private const double QuotedAboutTopicFactor = 0.3;
    private const int MaxDecodedBlobs = 8;

    /// <summary>Texts at least this long are remembered by their hash: scoring one costs about 0.1 µs per character,
    /// hashing it about 1 ns.</summary>
    internal const int MemoMinLength = 1024;

    /// <summary>How many long texts' assessments are remembered (at most a few hundred KB).</summary>
    internal const int MemoCapacity = 4096;

    // Agents send the whole conversation every turn, so the same tool results and pasted files come back again and
    // again: each long text is scored once. Keyed by SHA-256 (its first 128 bits) so no text is kept; a flood of
    // distinct texts only empties the memo (each is scored, as without it).
    private readonly ConcurrentDictionary<(UInt128 Hash, bool FromTool), InjectionAssessment> _memo = new();

    /// <summary>The shared scorer.</summary>
    public static PromptInjectionScorer Default { get; } = new();

    internal int MemoCount => _memo.Count;

    /// <summary>Scores <paramref name="text"/>; <paramref name="fromTool"/> also applies the tool-output signals.</summary>
    public InjectionAssessment Score(string? text, bool fromTool = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return InjectionAssessment.None;
        }

        if (text.Length < MemoMinLength)
        {
            return Score(text, fromTool, decode: true);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
        var key = (MemoryMarshal.Read<UInt128>(hash), fromTool);
        if (_memo.TryGetValue(key, out var known))
        {
            return known;
        }

        var assessment = Score(text, fromTool, decode: true);
        if (_memo.Count >= MemoCapacity)
        {
            _memo.Clear();
        }

        _memo[key] = assessment;
        return assessment;
    }

    private static InjectionAssessment Score(string text, bool fromTool, bool decode)
    {
        var (normalized, invisible, mixed) = InjectionTextNormalizer.Normalize(text);
        var weights = new List<double>();
        var names = new List<string>();
        // Tool output is often JSON, all quotes: the discount for quoted mentions applies to what users write only.
        var aboutTopic = !fromTool && AboutTopic().IsMatch(normalized);
        foreach (var signal in InjectionSignals.All)
        {
            if (signal.ToolOnly && !fromTool)
            {
                continue;
            }

            var match = signal.Pattern.Match(normalized);
            if (!match.Success)
            {
                continue;
            }

            var weight = signal.Weight;
            if (aboutTopic && IsQuoted(normalized, match.Index, match.Length))
            {
                weight *= QuotedAboutTopicFactor;
            }

            weights.Add(weight);
            names.Add(signal.Name);
        }

        // Text about injections that quotes one: the quoted part does not count for the compositional signals.
        var composed = aboutTopic ? QuotedSegment().Replace(normalized, "\"\"") : normalized;
        foreach (var (name, weight) in InjectionLexicon.Find(composed, fromTool))
        {
            weights.Add(weight);
            names.Add(name);
        }

        if (invisible && names.Count > 0)
        {
            weights.Add(InvisibleWeight);
            names.Add("invisible-characters");
        }

        if (mixed)
        {
            weights.Add(MixedScriptWeight);
            names.Add("mixed-script");
        }

        if (decode)
        {
            foreach (var decoded in DecodeBlobs(text))
            {
                var inner = Score(decoded, fromTool, decode: false);
                if (inner.Signals.Count == 0)
                {
                    continue;
                }

                weights.Add(EncodedPayloadWeight);
                names.Add("encoded-payload");
                weights.Add(inner.Score);
                names.AddRange(inner.Signals.Select(s => "base64:" + s));
            }
        }

        var keep = 1.0;
        foreach (var w in weights)
        {
            keep *= 1 - Math.Clamp(w, 0, 1);
        }

        return new InjectionAssessment(Math.Round(1 - keep, 4), names);
    }

    /// <summary>Base64 blobs that decode to mostly printable UTF-8 text.</summary>
    internal static IEnumerable<string> DecodeBlobs(string text)
    {
        var found = 0;
        foreach (Match m in Base64Blob().Matches(text))
        {
            var blob = m.Value.TrimEnd('=');
            var padded = blob.PadRight(blob.Length + ((4 - (blob.Length % 4)) % 4), '=');
            var buffer = new byte[padded.Length];
            if (!Convert.TryFromBase64String(padded, buffer, out var written) || written == 0)
            {
                continue;
            }

            string decoded;
            try
            {
                decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            if (decoded.Count(c => !char.IsControl(c) || c is '\n' or '\r' or '\t') >= decoded.Length * 0.9)
            {
                yield return decoded;
                if (++found == MaxDecodedBlobs)
                {
                    yield break;
                }
            }
        }
    }

    private static bool IsQuoted(string text, int start, int length)
    {
        var before = text.AsSpan(0, start);
        var after = text.AsSpan(start + length);
        foreach (var (open, close) in (ReadOnlySpan<(char, char)>)[('"', '"'), ('\'', '\''), ('\u201c', '\u201d'), ('\u2018', '\u2019'), ('`', '`')])
        {
            var opened = open == close ? before.Count(open) % 2 == 1 : before.LastIndexOf(open) > before.LastIndexOf(close);
            if (opened && after.Contains(close))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"""[^""\n]{1,200}""|'[^'\n]{1,200}'|\u201c[^\u201d\n]{1,200}\u201d|`[^`\n]{1,200}`")]
    private static partial Regex QuotedSegment();

    [GeneratedRegex(@"[A-Za-z0-9+/]{24,}={0,2}")]
    private static partial Regex Base64Blob();

    // Text about injections rather than one: tests, detectors, explanations, research, training.
    [GeneratedRegex(@"\b(unit tests?|test cases?|classifier|detector|detection|detects|explain|what is|research(ers)?|paper|blog|article|awareness|training data|the phrase|defend|mitigat\w*)\b")]
    private static partial Regex AboutTopic();
}
