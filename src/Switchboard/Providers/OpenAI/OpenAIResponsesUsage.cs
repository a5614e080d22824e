namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a Responses <c>usage</c> (<c>input_tokens_details.cached_tokens</c>, <c>output_tokens_details.reasoning_tokens</c>).</summary>
internal sealed class OpenAIResponsesUsage
{
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? TotalTokens { get; init; }
    public OpenAITokenDetails? InputTokensDetails { get; init; }
    public OpenAITokenDetails? OutputTokensDetails { get; init; }
}
