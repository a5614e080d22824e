using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

/// <summary>Each provider's billing semantics, priced to the exact decimal with the embedded catalog.</summary>
public sealed class CostCalculatorTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();

    [Fact]
    public void OpenAI_CachedAndReasoningTokens()
    {
        // gpt-4.1: input 2.00, cached 0.50, output 8.00 per million. OpenAI counts cached inside prompt_tokens and
        // reasoning inside completion_tokens: 10,000 prompt (4,000 cached) and 3,000 completion (1,000 reasoning).
        var usage = new UsageDetails { InputTokenCount = 10_000, CachedInputTokenCount = 4_000, OutputTokenCount = 3_000, ReasoningTokenCount = 1_000 };

        var cost = CostCalculator.Compute(Catalog.Find("openai", "gpt-4.1")!, usage);

        // 6,000 × 2.00 + 4,000 × 0.50 + 3,000 × 8.00 = 12,000 + 2,000 + 24,000 = 38,000 per million → 0.038
        Assert.Equal(0.038m, cost);
    }

    [Fact]
    public void Anthropic_CacheReadsAndWrites()
    {
        // claude-sonnet-4-6: input 3.00, cache read 0.30, cache write 3.75, output 15.00. Canonical input includes both
        // cache reads (2,000) and writes (1,000) on top of 500 plain input tokens; 800 output tokens of which 300 thinking.
        var usage = new UsageDetails
        {
            InputTokenCount = 3_500,
            CachedInputTokenCount = 2_000,
            OutputTokenCount = 800,
            ReasoningTokenCount = 300,
            AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = 1_000 },
        };

        var cost = CostCalculator.Compute(Catalog.Find("anthropic", "claude-sonnet-4-6")!, usage);

        // 500 × 3.00 + 2,000 × 0.30 + 1,000 × 3.75 + 800 × 15.00 = 1,500 + 600 + 3,750 + 12,000 = 17,850 → 0.01785
        Assert.Equal(0.01785m, cost);
    }

    [Fact]
    public void Gemini_ThoughtsBilledAsOutput_CachedContentDiscounted()
    {
        // gemini-2.5-flash: input 0.30, cached 0.03, output 2.50. Output count already includes the 1,200 thought tokens.
        var usage = new UsageDetails { InputTokenCount = 20_000, CachedInputTokenCount = 10_000, OutputTokenCount = 2_000, ReasoningTokenCount = 1_200 };

        var cost = CostCalculator.Compute(Catalog.Find("gemini", "gemini-2.5-flash")!, usage);

        // 10,000 × 0.30 + 10,000 × 0.03 + 2,000 × 2.50 = 3,000 + 300 + 5,000 = 8,300 → 0.0083
        Assert.Equal(0.0083m, cost);
    }

    [Fact]
    public void Gemini_LongContextTier_AppliesAbove200k()
    {
        // gemini-2.5-pro: 1.25 / 10.00 up to 200k prompt tokens, 2.50 / 15.00 above.
        var usage = new UsageDetails { InputTokenCount = 250_000, OutputTokenCount = 1_000 };

        var cost = CostCalculator.Compute(Catalog.Find("gemini", "gemini-2.5-pro")!, usage);

        Assert.Equal((250_000 * 2.50m + 1_000 * 15.00m) / 1_000_000m, cost);
    }

    [Fact]
    public void LongContextTier_ScalesCacheReadsAndWritesWithIt()
    {
        // Claude Haiku 5.5's shape: 0.10 in, 0.01 cache read, 0.125 cache write, 0.50 out; a prompt over 100k tokens bills
        // every token at the 5x tier (0.50 / 0.05 / 0.625 / 2.50), cache reads and writes included.
        var model = new ModelInfo
        {
            Provider = "anthropic", Id = "tiered", InputPerMTok = 0.10m, CachedInputPerMTok = 0.01m, CacheWritePerMTok = 0.125m, OutputPerMTok = 0.50m,
            LongContextThreshold = 100_000, LongInputPerMTok = 0.50m, LongOutputPerMTok = 2.50m, ContextWindow = 1_000_000, MaxOutputTokens = 128_000,
        };
        var usage = new UsageDetails
        {
            InputTokenCount = 150_000,
            CachedInputTokenCount = 20_000,
            OutputTokenCount = 1_000,
            AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = 30_000 },
        };

        // 100,000 × 0.50 + 20,000 × 0.05 + 30,000 × 0.625 + 1,000 × 2.50 = 50,000 + 1,000 + 18,750 + 2,500 = 72,250 → 0.07225
        Assert.Equal(0.07225m, CostCalculator.Compute(model, usage));
    }

    [Fact]
    public void NoUsage_IsUnknownNotZero()
    {
        Assert.Null(CostCalculator.Compute(Catalog.Find("openai", "gpt-4.1")!, null));
        Assert.Null(CostCalculator.Compute(Catalog.Find("openai", "gpt-4.1")!, new UsageDetails()));
    }

    [Fact]
    public void Estimate_IsWorstCaseInputPlusMaxOutput()
    {
        Assert.Equal((1_000 * 2.00m + 500 * 8.00m) / 1_000_000m, CostCalculator.Estimate(Catalog.Find("openai", "gpt-4.1")!, 1_000, 500));
    }
}
