namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic <c>usage</c>: <c>input_tokens</c> excludes the cache reads and writes counted beside it.</summary>
internal sealed class AnthropicUsage
{
    public long? InputTokens { get; set; }
    public long? OutputTokens { get; set; }
    public long? CacheCreationInputTokens { get; set; }
    public long? CacheReadInputTokens { get; set; }
    public AnthropicOutputTokensDetails? OutputTokensDetails { get; set; }
}
