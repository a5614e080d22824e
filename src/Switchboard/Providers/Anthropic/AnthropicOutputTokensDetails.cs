namespace Switchboard.Providers.Anthropic;

/// <summary><c>usage.output_tokens_details</c>: the thinking part of <c>output_tokens</c>.</summary>
internal sealed class AnthropicOutputTokensDetails
{
    public long? ThinkingTokens { get; set; }
}
