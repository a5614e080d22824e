using System.Globalization;
using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

/// <summary>
/// Invariants of the shipped catalog (<c>models.json</c>): its shape, not its prices, so a refresh changes data and no test.
/// </summary>
public sealed class ModelCatalogContentsTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.LoadEmbedded();

    [Fact]
    public void EveryEntry_IsSourcedAndDated_WithNonNegativeConsistentPrices()
    {
        Assert.All(Catalog.Models, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.PriceSource), m.Id);
            Assert.True(DateOnly.TryParseExact(m.PriceAsOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), m.Id);
            Assert.True(m.InputPerMTok >= 0 && m.OutputPerMTok >= 0, m.Id);
            // A cache read never costs more than fresh input; a cache write never less than a cache read.
            Assert.True(m.CachedInputPerMTok is null || (m.CachedInputPerMTok >= 0 && m.CachedInputPerMTok <= m.InputPerMTok), m.Id);
            Assert.True(m.CacheWritePerMTok is null || m.CacheWritePerMTok >= (m.CachedInputPerMTok ?? 0), m.Id);
            Assert.True(m.MaxOutputTokens <= m.ContextWindow, m.Id);
        });
    }

    [Fact]
    public void PriceChanges_AreInDateOrder_WithNonNegativePrices_AndTheGemini38FlashPromotionEndsWith2026()
    {
        Assert.All(Catalog.Models, m => Assert.Null(global::Switchboard.Hosting.SwitchboardOptionsValidator.PriceChangesError(m)));

        var flash = Catalog.Find("gemini", "gemini-3.8-flash")!;
        Assert.Equal(0.75m, flash.PricedAt(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero)).InputPerMTok);
        var after = flash.PricedAt(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal((1.50m, 7.50m, 0.15m), (after.InputPerMTok, after.OutputPerMTok, after.CachedInputPerMTok));
    }

    [Fact]
    public void LongContextTiers_HaveAThresholdInsideTheWindow_AndCostAtLeastTheBaseRate()
    {
        var tiered = Catalog.Models.Where(m => m.LongContextThreshold is not null || m.LongInputPerMTok is not null || m.LongOutputPerMTok is not null).ToList();

        Assert.NotEmpty(tiered);
        Assert.All(tiered, m =>
        {
            Assert.InRange(m.LongContextThreshold ?? 0, 1, m.ContextWindow - 1);
            Assert.True(m.LongInputPerMTok >= m.InputPerMTok, m.Id);
            Assert.True(m.LongOutputPerMTok >= m.OutputPerMTok, m.Id);
        });
    }

    [Fact]
    public void NoNameIsListedTwiceForOneProvider()
    {
        var names = Catalog.Models
            .SelectMany(m => (m.Aliases ?? []).Prepend(m.Id).Select(name => $"{m.Provider}/{name}".ToLowerInvariant()))
            .ToList();

        Assert.Empty(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    [InlineData("gemini")]
    public void EachProvider_HasChatModels_AndOpenAIAndGeminiAnEmbeddingModel(string provider)
    {
        var models = Catalog.Models.Where(m => m.Provider == provider).ToList();

        Assert.Contains(models, m => !m.IsEmbedding && m.OutputPerMTok > 0);
        if (provider != "anthropic")
        {
            Assert.Contains(models, m => m.IsEmbedding);
        }
    }

    // The generations the providers serve in December 2026: a catalog without them prices every agent's default as unknown.
    [Theory]
    [InlineData("openai", "gpt-6")]
    [InlineData("openai", "gpt-5.5")]
    [InlineData("anthropic", "claude-opus-5-5")]
    [InlineData("anthropic", "claude-sonnet-5-5")]
    [InlineData("anthropic", "claude-haiku-5-5")]
    [InlineData("gemini", "gemini-3.")]
    public void CurrentGeneration_IsPriced(string provider, string prefix) =>
        Assert.Contains(prefix, Catalog.Models.Where(m => m.Provider == provider && m.InputPerMTok > 0).Select(m => m.Id[..Math.Min(prefix.Length, m.Id.Length)]));

    [Fact]
    public void Gemini3_HasProFlashAndFlashLite()
    {
        var gemini3 = Catalog.Models.Where(m => m.Provider == "gemini" && m.Id.StartsWith("gemini-3", StringComparison.Ordinal)).Select(m => m.Id).ToList();

        Assert.Contains(gemini3, id => id.Contains("-pro", StringComparison.Ordinal));
        Assert.Contains(gemini3, id => id.Contains("-flash", StringComparison.Ordinal) && !id.Contains("lite", StringComparison.Ordinal));
        Assert.Contains(gemini3, id => id.Contains("-flash-lite", StringComparison.Ordinal));
    }
}
