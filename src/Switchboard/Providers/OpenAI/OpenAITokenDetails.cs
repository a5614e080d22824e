namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of <c>prompt_tokens_details</c> and <c>completion_tokens_details</c> (the fields we read).</summary>
internal sealed class OpenAITokenDetails
{
    public long? CachedTokens { get; init; }
    public long? ReasoningTokens { get; init; }
}
