using Microsoft.ML.Tokenizers;

namespace Switchboard.Emulator;

/// <summary>o200k (gpt-4o) token counting and splitting, offline.</summary>
internal static class EmulatorTokenizer
{
    private static readonly Lazy<Tokenizer> s_tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    public static int Count(string text) => text.Length == 0 ? 0 : s_tokenizer.Value.CountTokens(text);

    /// <summary>The longest prefix of <paramref name="text"/> that has at most <paramref name="maxTokens"/> tokens.</summary>
    public static string Truncate(string text, int maxTokens)
    {
        if (maxTokens <= 0)
        {
            return string.Empty;
        }

        var index = s_tokenizer.Value.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..Math.Clamp(index, 0, text.Length)];
    }

    /// <summary>Splits text into one piece per token (pieces concatenate back to the text).</summary>
    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        if (text.Length == 0)
        {
            return pieces;
        }

        var tokens = s_tokenizer.Value.EncodeToTokens(text, out _);
        var start = 0;
        foreach (var token in tokens)
        {
            var end = Math.Clamp(token.Offset.End.GetOffset(text.Length), start, text.Length);
            if (end > start)
            {
                pieces.Add(text[start..end]);
                start = end;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }
}
