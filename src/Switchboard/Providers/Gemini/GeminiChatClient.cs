using System.Buffers;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The Google Gemini (Generative Language API) adapter: <c>v1beta/models/{model}:generateContent</c> and
/// <c>:streamGenerateContent?alt=sse</c>, the key in <c>x-goog-api-key</c> (never in the URL, which gets logged);
/// <c>:countTokens</c> counts (<see cref="ITokenCountingClient"/>).
/// </summary>
internal sealed class GeminiChatClient : IChatClient, ITokenCountingClient
{
    private const string ModelPrefix = "models/";

    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly ModelCatalog _catalog;
    private readonly string _base;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderTransport _transport;

    public GeminiChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _catalog = catalog;
        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(ProviderTypes.Gemini)!;
        _base = ProviderBaseUrl.VersionedRoot(baseUrl, "v1beta");
        _metadata = new ChatClientMetadata(ProviderTypes.Gemini, baseUrl);
        _transport = new ProviderTransport(name, options, http, time,
            (status, headers, body) => GeminiErrorMapper.Map(status, headers, body, name, options.ApiKey, time));
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        var reply = await _transport.GetJsonAsync(request, GeminiJsonContext.Default.GeminiResponse, cancellationToken).ConfigureAwait(false);
        return GeminiResponseMapper.FromGemini(reply, _name, _options.ApiKey);
    }

    public async Task<long> CountTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(messages, options, stream: false, forCount: true);
        var reply = await _transport.GetJsonAsync(request, GeminiJsonContext.Default.GeminiTokenCount, cancellationToken).ConfigureAwait(false);
        return reply?.TotalTokens ?? throw new ProviderException(ProviderErrorKind.MalformedResponse,
            $"{_name} answered countTokens without totalTokens.", _name);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.StreamAsync(() => CreateRequest(messages, options, stream: true), new GeminiStreamDecoder(_name, _options.ApiKey),
            cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory).
    }

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, bool forCount = false)
    {
        var model = options?.ModelId;
        if (model is not null && model.StartsWith(ModelPrefix, StringComparison.Ordinal))
        {
            model = model[ModelPrefix.Length..];
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set ChatOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        var omitSampling = _catalog.Find(ProviderTypes.Gemini, model)?.RejectsSamplingParameters == true;
        if (forCount)
        {
            GeminiRequestMapper.ToCountTokens(body, messages, options, _name, model, omitSampling);
            return GeminiHttp.Post(_base, model, ":countTokens", body, _options);
        }

        GeminiRequestMapper.ToGemini(body, messages, options, _name, omitSampling);
        var action = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        return GeminiHttp.Post(_base, model, action, body, _options);
    }
}
