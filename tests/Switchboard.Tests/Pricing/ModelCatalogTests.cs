using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

public sealed class ModelCatalogTests
{
    private static readonly string[] Providers = ["openai", "anthropic", "gemini"];

    [Fact]
    public void Embedded_EveryModelHasPricesLimitsAndASourcedDate()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.NotEmpty(catalog.Models);
        Assert.All(catalog.Models, m =>
        {
            Assert.Contains(m.Provider, Providers);
            // Embedding models bill input only and produce no tokens; they say how long their vectors are.
            Assert.True(m.InputPerMTok > 0 && (m.OutputPerMTok > 0 || m.IsEmbedding), m.Id);
            Assert.True(m.ContextWindow > 0 && (m.MaxOutputTokens > 0 || m.IsEmbedding), m.Id);
            Assert.Equal(m.IsEmbedding, m.Dimensions > 0);
            Assert.False(string.IsNullOrWhiteSpace(m.PriceSource), m.Id);
            Assert.True(DateOnly.TryParse(m.PriceAsOf, System.Globalization.CultureInfo.InvariantCulture, out _), m.Id);
        });
    }

    [Fact]
    public void Embedded_EmbeddingRoutesNameEmbeddingModels_AndChatRoutesNone()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.NotEmpty(catalog.EmbeddingRoutes);
        foreach (var target in catalog.EmbeddingRoutes.Values.SelectMany(t => t))
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            Assert.True(catalog.Find(target[..slash], target[(slash + 1)..])?.IsEmbedding, target);
        }

        foreach (var target in catalog.DefaultRoutes.Values.SelectMany(t => t))
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            Assert.False(catalog.Find(target[..slash], target[(slash + 1)..])?.IsEmbedding, target);
        }
    }

    [Fact]
    public void Find_ByAlias_And_FindByName_AcrossProviders()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.Equal("claude-haiku-4-5", catalog.Find("anthropic", "claude-haiku-4-5-20251001")!.Id);
        Assert.Null(catalog.Find("openai", "claude-haiku-4-5"));
        Assert.Single(catalog.FindByName("gpt-4.1"));
    }

    [Fact]
    public void Create_OverrideReplacesPriceOfSameModel()
    {
        var catalog = ModelCatalog.Create([new ModelInfo
        {
            Provider = "openai", Id = "gpt-4.1", InputPerMTok = 1m, OutputPerMTok = 2m, ContextWindow = 1000, MaxOutputTokens = 100,
        }]);

        Assert.Equal(1m, catalog.Find("openai", "gpt-4.1")!.InputPerMTok);
        Assert.Single(catalog.Models, m => m.Id == "gpt-4.1");
    }

    [Fact]
    public void DefaultRoutes_NameOnlyCatalogModels()
    {
        var catalog = ModelCatalog.LoadEmbedded();

        Assert.Contains("smart", catalog.DefaultRoutes.Keys);
        foreach (var target in catalog.DefaultRoutes.Values.SelectMany(t => t))
        {
            var parts = target.Split('/');
            Assert.NotNull(catalog.Find(parts[0], parts[1]));
        }
    }
}
