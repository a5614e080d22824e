namespace Switchboard.Caching;

/// <summary>The token counts of a cached answer, as the provider reported them.</summary>
public sealed record CachedUsage
{
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? TotalTokens { get; init; }
    public long? CachedInputTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    public IReadOnlyDictionary<string, long>? Additional { get; init; }
}
