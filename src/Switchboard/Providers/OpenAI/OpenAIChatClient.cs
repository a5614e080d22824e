using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The Chat Completions adapter for every OpenAI-protocol server: <c>openai</c>, <c>openai-compatible</c> and
/// <c>azure-openai</c>, one code path configured by an <see cref="OpenAIEndpoint"/>. A request from a client that spoke the
/// Responses API (<see cref="PassThroughKeys.OpenAIResponses"/>) goes to OpenAI's and Azure's own <c>/responses</c> instead, so what
/// only that API carries (encrypted reasoning, hosted tools, <c>prompt_cache_key</c>) survives.
/// </summary>
internal sealed class OpenAIChatClient : IChatClient
{
    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly ModelCatalog _catalog;
    private readonly OpenAIEndpoint _endpoint;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderTransport _transport;
    private readonly OpenAITokenCounter? _counter;

    public OpenAIChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _catalog = catalog;
        _endpoint = OpenAIEndpoint.Create(name, options);
        _metadata = new ChatClientMetadata(_endpoint.Type, _endpoint.BaseUrl);
        _transport = new ProviderTransport(name, options, http, time,
            (status, headers, body) => OpenAIErrorMapper.Map(status, headers, body, name, options.ApiKey, time));
        _counter = OpenAITokenCounter.For(name, _endpoint, _transport);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        if (IsNative(options))
        {
            var native = await _transport.GetJsonAsync(request, OpenAIJsonContext.Default.OpenAIResponsesResponse, cancellationToken).ConfigureAwait(false);
            return OpenAIResponsesDecoder.FromResponse(native, _name, _options.ApiKey);
        }

        var reply = await _transport.GetJsonAsync(request, OpenAIJsonContext.Default.OpenAIChatCompletion, cancellationToken).ConfigureAwait(false);
        return OpenAIResponseMapper.FromOpenAI(reply, _name);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.StreamAsync(() => CreateRequest(messages, options, stream: true),
            IsNative(options) ? new OpenAIResponsesStreamDecoder(_name, _options.ApiKey) : new OpenAIStreamDecoder(_name, _options.ApiKey),
            cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ITokenCountingClient) ? _counter
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The HttpClient belongs to the caller (IHttpClientFactory).
    }

    private bool IsNative(ChatOptions? options) => _endpoint.ResponsesUri is not null && OpenAIResponsesRequestWriter.IsNative(options);

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var model = options?.ModelId;
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set ChatOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        var omitSampling = _catalog.Find(_endpoint.Type, model)?.RejectsSamplingParameters == true;
        Uri uri;
        if (IsNative(options))
        {
            OpenAIResponsesRequestWriter.Write(body, messages, options, model, stream, _endpoint, omitSampling);
            uri = _endpoint.ResponsesUri!;
        }
        else
        {
            OpenAIRequestMapper.ToOpenAI(body, messages, options, model, stream, _endpoint, omitSampling);
            uri = _endpoint.ChatCompletionsUri(model);
        }

        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        _endpoint.ApplyHeaders(request.Headers);
        return request;
    }
}
