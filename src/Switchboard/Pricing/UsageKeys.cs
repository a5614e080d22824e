namespace Switchboard.Pricing;

/// <summary>
/// Names of the usage counts Switchboard keeps in <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/>.
/// </summary>
/// <remarks>
/// Canonical semantics, whatever the provider: <c>InputTokenCount</c> is every input token, cached reads and cache
/// writes included; <c>CachedInputTokenCount</c> is the part read from the provider's cache; <see cref="CacheWriteInputTokens"/>
/// the part written to it; <c>OutputTokenCount</c> is every billed output token, reasoning included;
/// <c>ReasoningTokenCount</c> the reasoning part of it.
/// </remarks>
public static class UsageKeys
{
    /// <summary>Input tokens written to the provider's prompt cache (Anthropic <c>cache_creation_input_tokens</c>).</summary>
    public const string CacheWriteInputTokens = "CacheWriteInputTokenCount";
}
