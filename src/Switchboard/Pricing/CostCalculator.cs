using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Pricing;

/// <summary>Turns reported usage into money with the catalog's prices. Decimal throughout; never floating point.</summary>
/// <remarks>
/// Works on the canonical usage semantics of <see cref="UsageKeys"/>: cached reads and cache writes are parts of the
/// input count and are priced at their own rates; reasoning tokens are part of the output count and priced as output
/// (every provider bills them so). A long-context tier applies to the whole call when the prompt is above it.
/// </remarks>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>The cost of one call, or null when the usage reports no tokens at all.</summary>
    public static decimal? Compute(ModelInfo model, UsageDetails? usage)
    {
        if (usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null))
        {
            return null;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        var cachedRead = Math.Min(usage.CachedInputTokenCount ?? 0, input);
        var cacheWrite = usage.AdditionalCounts is { } extra && extra.TryGetValue(UsageKeys.CacheWriteInputTokens, out var w) ? w : 0;
        cacheWrite = Math.Min(cacheWrite, input - cachedRead);
        var plainInput = input - cachedRead - cacheWrite;

        var longTier = model.LongContextThreshold is { } threshold && input > threshold;
        var inputPrice = longTier ? model.LongInputPerMTok ?? model.InputPerMTok : model.InputPerMTok;
        var outputPrice = longTier ? model.LongOutputPerMTok ?? model.OutputPerMTok : model.OutputPerMTok;
        // Cache reads and writes keep their ratio to the input price in the long tier (Gemini, Claude Haiku 5.5, GPT-5.4 and later).
        var tierScale = longTier && model.InputPerMTok != 0 ? inputPrice / model.InputPerMTok : 1m;
        var cachedPrice = model.CachedInputPerMTok * tierScale ?? inputPrice;
        var writePrice = model.CacheWritePerMTok * tierScale ?? inputPrice;

        return (plainInput * inputPrice + cachedRead * cachedPrice + cacheWrite * writePrice + output * outputPrice) / PerMillion;
    }

    /// <summary>The most a call could cost: its counted input plus <paramref name="maxOutputTokens"/> of output, uncached.</summary>
    public static decimal Estimate(ModelInfo model, long inputTokens, long maxOutputTokens)
    {
        var longTier = model.LongContextThreshold is { } threshold && inputTokens > threshold;
        var inputPrice = longTier ? model.LongInputPerMTok ?? model.InputPerMTok : model.InputPerMTok;
        var outputPrice = longTier ? model.LongOutputPerMTok ?? model.OutputPerMTok : model.OutputPerMTok;
        return (inputTokens * inputPrice + maxOutputTokens * outputPrice) / PerMillion;
    }
}
