using System.Buffers;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// The Anthropic Messages adapter: <c>POST {base}/v1/messages</c> with <c>x-api-key</c> and <c>anthropic-version</c>,
/// streaming as named SSE events; <c>POST {base}/v1/messages/count_tokens</c> counts (<see cref="ITokenCountingClient"/>).
/// </summary>
internal sealed class AnthropicChatClient : IChatClient, ITokenCountingClient
{
    private const string ApiKeyHeader = "x-api-key";
    private const string VersionHeader = "anthropic-version";

    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly ModelCatalog _catalog;
    private readonly Uri _endpoint;
    private readonly Uri _countEndpoint;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderTransport _transport;
    private readonly ProviderPassThrough _passThrough;

    public AnthropicChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _catalog = catalog;
        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(ProviderTypes.Anthropic)!;
        _endpoint = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "messages");
        _countEndpoint = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "messages/count_tokens");
        _metadata = new ChatClientMetadata(ProviderTypes.Anthropic, baseUrl);
        _passThrough = ProviderPassThrough.For(ProviderTypes.Anthropic, options.PassThrough);
        _transport = new ProviderTransport(name, options, http, time,
            (status, headers, body) => AnthropicErrorMapper.Map(status, headers, body, name, options.ApiKey, time));
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        var reply = await _transport.GetJsonAsync(request, AnthropicJsonContext.Default.AnthropicMessage, cancellationToken).ConfigureAwait(false);
        return AnthropicResponseMapper.FromAnthropic(reply, _name);
    }

    public async Task<long> CountTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(messages, options, stream: false, forCount: true);
        var reply = await _transport.GetJsonAsync(request, AnthropicJsonContext.Default.AnthropicTokenCount, cancellationToken).ConfigureAwait(false);
        return reply?.InputTokens ?? throw new ProviderException(ProviderErrorKind.MalformedResponse,
            $"{_name} answered count_tokens without input_tokens.", _name);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.StreamAsync(() => CreateRequest(messages, options, stream: true), new AnthropicStreamDecoder(_name, _options.ApiKey),
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
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set ChatOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        AnthropicRequestMapper.ToAnthropic(body, messages, options, model, _catalog.Find(ProviderTypes.Anthropic, model), stream, forCount, _passThrough);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, forCount ? _countEndpoint : _endpoint) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
        }

        // The client's version as sent (Claude Code and the SDKs send one), else the configured or default one.
        var version = options?.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicVersionHeader, out var sent) == true && sent is string { Length: > 0 } v
            ? v
            : _options.ApiVersion ?? ProviderDefaults.AnthropicVersion;
        request.Headers.TryAddWithoutValidation(VersionHeader, version);
        if (options?.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicBetaHeader, out var beta) == true && beta is string { Length: > 0 } betas
            && _passThrough.Betas(betas) is { } kept)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", kept); // the client's betas, as sent, less those this upstream refuses
        }

        foreach (var (header, value) in _options.Headers)
        {
            if (header.Equals(ApiKeyHeader, StringComparison.OrdinalIgnoreCase) || header.Equals(VersionHeader, StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Remove(header); // a configured value wins over ours
            }

            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }
}
