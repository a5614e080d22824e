using Microsoft.Extensions.AI;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>Creates the embeddings adapter for a configured provider; null for a protocol without embeddings (Anthropic).</summary>
internal static class ProviderEmbeddingFactory
{
    public static IEmbeddingGenerator<string, Embedding<float>>? Create(string name, ProviderOptions options, HttpClient http, TimeProvider time) =>
        options.ResolveType(name) switch
        {
            ProviderTypes.OpenAI or ProviderTypes.OpenAICompatible or ProviderTypes.AzureOpenAI => new OpenAIEmbeddingGenerator(name, options, http, time),
            ProviderTypes.Gemini => new GeminiEmbeddingGenerator(name, options, http, time),
            _ => null,
        };
}
