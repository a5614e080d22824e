using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.Providers;

namespace Switchboard.Embeddings;

/// <summary>
/// The embeddings adapters by configured provider name: one per OpenAI-protocol or Gemini provider; providers without an
/// embeddings API (Anthropic) have none, and the embedding router leaves them out of every plan.
/// </summary>
public sealed class EmbeddingProviderRegistry : IDisposable
{
    public EmbeddingProviderRegistry(IOptions<SwitchboardOptions> options, IHttpClientFactory httpClients, TimeProvider time)
    {
        var generators = new Dictionary<string, IEmbeddingGenerator<string, Embedding<float>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, provider) in options.Value.Providers)
        {
            var http = httpClients.CreateClient(ProviderRegistry.HttpClientName);
            http.Timeout = Timeout.InfiniteTimeSpan;
            provider.BaseUrl ??= ProviderDefaults.BaseUrlFor(provider.ResolveType(name));
            if (ProviderEmbeddingFactory.Create(name, provider, http, time) is { } generator)
            {
                generators[name] = generator;
            }
        }

        Generators = generators.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The adapters by provider name.</summary>
    public IReadOnlyDictionary<string, IEmbeddingGenerator<string, Embedding<float>>> Generators { get; }

    public void Dispose()
    {
        foreach (var generator in Generators.Values)
        {
            generator.Dispose();
        }
    }
}
