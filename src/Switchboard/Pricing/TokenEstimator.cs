using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Switchboard.Pricing;

/// <summary>Estimates the input tokens of a request before it is sent, with the o200k tokenizer (offline).</summary>
/// <remarks>
/// o200k is OpenAI's encoding; Anthropic and Gemini tokenise differently, so for them this is an estimate
/// (typically within 10–20 %). It is used for routing (context windows, cheapest plan), rate-limit reservations
/// and budget reservations, and corrected by the usage the provider reports.
/// </remarks>
public sealed class TokenEstimator
{
    internal const int PerRequestOverhead = 3;
    internal const int PerMessageOverhead = 4;
    private const int PerImageTokens = 1000;
    private static readonly Lazy<Tokenizer> SharedTokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    /// <summary>The shared estimator.</summary>
    public static TokenEstimator Default { get; } = new();

    /// <summary>Tokens in a piece of text.</summary>
    public int CountText(string? text) => string.IsNullOrEmpty(text) ? 0 : SharedTokenizer.Value.CountTokens(text);

    /// <summary>Input tokens of a whole request: each message's text, a fixed cost per image and per message, and tool schemas.</summary>
    public long CountInput(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        long total = PerRequestOverhead;
        foreach (var message in messages)
        {
            total += PerMessageOverhead;
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent t => CountText(t.Text),
                    TextReasoningContent r => CountText(r.Text),
                    DataContent d when d.HasTopLevelMediaType("image") => PerImageTokens,
                    UriContent => PerImageTokens,
                    FunctionCallContent call => CountText(call.Name) + CountArguments(call.Arguments),
                    FunctionResultContent result => CountText(result.Result?.ToString()),
                    _ => 0,
                };
            }
        }

        if (options?.Tools is { Count: > 0 } tools)
        {
            foreach (var tool in tools)
            {
                total += CountText(tool.Name) + CountText(tool.Description);
                if (tool is AIFunctionDeclaration f)
                {
                    total += CountText(f.JsonSchema.GetRawText());
                }
            }
        }

        return total;
    }

    private int CountArguments(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        var sum = 0;
        foreach (var (key, value) in arguments)
        {
            sum += CountText(key) + CountText(value?.ToString());
        }

        return sum;
    }
}
