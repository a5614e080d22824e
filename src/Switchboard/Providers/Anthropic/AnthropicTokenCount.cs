namespace Switchboard.Providers.Anthropic;

/// <summary>A <c>count_tokens</c> reply: <c>{"input_tokens": N}</c>.</summary>
internal sealed record AnthropicTokenCount(long? InputTokens);
