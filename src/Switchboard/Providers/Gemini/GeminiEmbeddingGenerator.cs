using System.Buffers;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The Gemini embeddings adapter: <c>v1beta/models/{model}:batchEmbedContents</c> (what Google's SDKs call even for one
/// input), in calls of at most <see cref="GeminiEmbeddingMapper.MaxBatch"/> inputs. The Developer API reports no token
/// usage: the router counts the input itself.
/// </summary>
internal sealed class GeminiEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string ModelPrefix = "models/";

    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly string _base;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly ProviderTransport _transport;

    public GeminiEmbeddingGenerator(string name, ProviderOptions options, HttpClient http, TimeProvider time)
    {
        _name = name;
        _options = options;
        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(ProviderTypes.Gemini)!;
        _base = ProviderBaseUrl.VersionedRoot(baseUrl, "v1beta");
        _metadata = new EmbeddingGeneratorMetadata(ProviderTypes.Gemini, baseUrl);
        _transport = new ProviderTransport(name, options, http, time,
            (status, headers, body) => GeminiErrorMapper.Map(status, headers, body, name, options.ApiKey, time));
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var model = options?.ModelId;
        if (model is not null && model.StartsWith(ModelPrefix, StringComparison.Ordinal))
        {
            model = model[ModelPrefix.Length..];
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set EmbeddingGenerationOptions.ModelId.", _name);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        foreach (var chunk in inputs.Chunk(GeminiEmbeddingMapper.MaxBatch))
        {
            using var request = CreateRequest(chunk, model, options);
            var reply = await _transport.GetJsonAsync(request, GeminiJsonContext.Default.GeminiEmbeddingReply, cancellationToken).ConfigureAwait(false);
            foreach (var vector in GeminiEmbeddingMapper.FromGemini(reply, chunk.Length, _name))
            {
                result.Add(new Embedding<float>(vector) { ModelId = model });
            }
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory).
    }

    private HttpRequestMessage CreateRequest(IEnumerable<string> inputs, string model, EmbeddingGenerationOptions? options)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        GeminiEmbeddingMapper.ToGemini(body, inputs, model, options);
        return GeminiHttp.Post(_base, model, ":batchEmbedContents", body, _options);
    }
}
