namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of <c>usage</c>.</summary>
internal sealed class OpenAIUsage
{
    public long? PromptTokens { get; init; }
    public long? CompletionTokens { get; init; }
    public long? TotalTokens { get; init; }
    public OpenAITokenDetails? PromptTokensDetails { get; init; }
    public OpenAITokenDetails? CompletionTokensDetails { get; init; }
}
