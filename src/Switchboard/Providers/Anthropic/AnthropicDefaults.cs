namespace Switchboard.Providers.Anthropic;

/// <summary>Defaults of the Anthropic adapter.</summary>
internal static class AnthropicDefaults
{
    /// <summary><c>max_tokens</c> (required by Anthropic) when neither the caller nor the catalog gives one.</summary>
    public const int MaxTokens = 4096;
}
