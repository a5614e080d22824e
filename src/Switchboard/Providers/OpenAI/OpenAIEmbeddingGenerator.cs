using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The embeddings adapter for every OpenAI-protocol server (<c>openai</c>, <c>openai-compatible</c>, <c>azure-openai</c>):
/// <c>POST {base}/embeddings</c> with all inputs in one call.
/// </summary>
internal sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly string _name;
    private readonly OpenAIEndpoint _endpoint;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly ProviderTransport _transport;

    public OpenAIEmbeddingGenerator(string name, ProviderOptions options, HttpClient http, TimeProvider time)
    {
        _name = name;
        _endpoint = OpenAIEndpoint.Create(name, options);
        _metadata = new EmbeddingGeneratorMetadata(_endpoint.Type, _endpoint.BaseUrl);
        _transport = new ProviderTransport(name, options, http, time,
            (status, headers, body) => OpenAIErrorMapper.Map(status, headers, body, name, options.ApiKey, time));
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var model = options?.ModelId;
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set EmbeddingGenerationOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(1024);
        OpenAIEmbeddingMapper.ToOpenAI(body, inputs, model, options, _endpoint);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.EmbeddingsUri(model)) { Content = content };
        _endpoint.ApplyHeaders(request.Headers);
        var reply = await _transport.GetJsonAsync(request, OpenAIJsonContext.Default.OpenAIEmbeddingList, cancellationToken).ConfigureAwait(false);
        return OpenAIEmbeddingMapper.FromOpenAI(reply, inputs.Count, model, _name);
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
}
