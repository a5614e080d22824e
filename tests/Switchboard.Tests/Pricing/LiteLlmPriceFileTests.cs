using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

public sealed class LiteLlmPriceFileTests
{
    // The shape of LiteLLM's model_prices_and_context_window.json (values invented for the test).
    private const string Sample = """
        {
          "sample_spec": { "litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "one of chat, embedding" },
          "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 8.5e-06,
                      "cache_read_input_token_cost": 1e-06, "max_input_tokens": 128000, "max_output_tokens": 16384 },
          "gpt-7-preview": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 0.000003, "output_cost_per_token": 0.000012,
                             "max_input_tokens": 400000, "max_output_tokens": 128000 },
          "gemini/gemini-9-pro": { "litellm_provider": "gemini", "mode": "chat", "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
                                   "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
                                   "max_input_tokens": 1048576, "max_output_tokens": 65536 },
          "text-embedding-9": { "litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08, "output_cost_per_token": 0,
                                "max_input_tokens": 8191, "output_vector_size": 1536 },
          "bedrock/some-model": { "litellm_provider": "bedrock", "mode": "chat", "input_cost_per_token": 1e-06, "max_input_tokens": 1000 },
          "dall-e-9": { "litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 1e-08 },
          "no-price": { "litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000 }
        }
        """;

    private static IReadOnlyList<ModelInfo> Parse() =>
        LiteLlmPriceFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Sample)), "test file", "2026-12-06");

    [Fact]
    public void Parse_TakesPricedChatAndEmbeddingModels_OfTheNativeProviders_Exactly()
    {
        var models = Parse().ToDictionary(m => m.Provider + "/" + m.Id);

        Assert.Equal(["gemini/gemini-9-pro", "openai/gpt-4o", "openai/gpt-7-preview", "openai/text-embedding-9"], models.Keys.Order());
        var gpt4o = models["openai/gpt-4o"];
        Assert.Equal(2.00m, gpt4o.InputPerMTok);
        Assert.Equal(8.50m, gpt4o.OutputPerMTok);
        Assert.Equal(1.00m, gpt4o.CachedInputPerMTok);
        Assert.Equal((128000, 16384), (gpt4o.ContextWindow, gpt4o.MaxOutputTokens));
        Assert.Equal(("test file", "2026-12-06"), (gpt4o.PriceSource, gpt4o.PriceAsOf));
        var gemini = models["gemini/gemini-9-pro"];
        Assert.Equal((200_000L, 2.50m, 15.00m), (gemini.LongContextThreshold, gemini.LongInputPerMTok, gemini.LongOutputPerMTok));
        var embedding = models["openai/text-embedding-9"];
        Assert.True(embedding.IsEmbedding);
        Assert.Equal((0.02m, 1536), (embedding.InputPerMTok, embedding.Dimensions));
    }

    [Fact]
    public void AddSwitchboard_Import_AddsAndRepricesModels_ConfiguredModelsStillWin_ABadFileFailsAtStart()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("sb-litellm-").FullName, "prices.json");
        File.WriteAllText(file, Sample);
        using var services = Build(new()
        {
            ["Switchboard:Providers:openai:ApiKey"] = "k",
            ["Switchboard:Providers:gemini:ApiKey"] = "k",
            ["Switchboard:Catalog:Import"] = file,
            ["Switchboard:Catalog:Models:0:Provider"] = "openai",
            ["Switchboard:Catalog:Models:0:Id"] = "gpt-7-preview",
            ["Switchboard:Catalog:Models:0:InputPerMTok"] = "1",
            ["Switchboard:Catalog:Models:0:OutputPerMTok"] = "4",
            ["Switchboard:Catalog:Models:0:ContextWindow"] = "400000",
            ["Switchboard:Catalog:Models:0:MaxOutputTokens"] = "128000",
        });
        var catalog = services.GetRequiredService<ModelCatalog>();

        Assert.Equal(2.00m, catalog.Find("openai", "gpt-4o")!.InputPerMTok);   // the embedded price, replaced by the file's
        Assert.Equal(1m, catalog.Find("openai", "gpt-7-preview")!.InputPerMTok); // Catalog:Models wins over the file
        Assert.NotNull(catalog.Find("gemini", "gemini-9-pro"));                  // a model newer than the embedded catalog

        File.WriteAllText(file, "[1, 2, 3]");
        using var bad = Build(new() { ["Switchboard:Providers:openai:ApiKey"] = "k", ["Switchboard:Catalog:Import"] = file });
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IOptions<SwitchboardOptions>>().Value);
        Assert.Contains("Switchboard:Catalog:Import", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSwitchboard(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
