using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// The Anthropic Messages adapter: <c>POST {base}/v1/messages</c> with <c>x-api-key</c> and <c>anthropic-version</c>,
/// streaming as named SSE events.
/// </summary>
internal sealed class AnthropicChatClient : IChatClient
{
    private const string ApiKeyHeader = "x-api-key";
    private const string VersionHeader = "anthropic-version";

    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly Uri _endpoint;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderHttp.ErrorMapper _mapError;

    public AnthropicChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _http = http;
        _catalog = catalog;
        _time = time;
        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(ProviderTypes.Anthropic)!;
        _endpoint = new Uri(ProviderBaseUrl.VersionedRoot(baseUrl, "v1") + "messages");
        _metadata = new ChatClientMetadata(ProviderTypes.Anthropic, baseUrl);
        _mapError = (status, headers, body) => AnthropicErrorMapper.Map(status, headers, body, _name, _options.ApiKey, _time);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: false);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var body = await ProviderHttp.ReadBodyAsync(response, scope).ConfigureAwait(false);
        return AnthropicResponseMapper.FromAnthropic(body, _name);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: true);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var decoder = new AnthropicStreamDecoder(_name, _options.ApiKey);
        var events = ProviderHttp.ReadSseAsync(response, scope, scope.Token).GetAsyncEnumerator(scope.Token);
        await using var eventsScope = events.ConfigureAwait(false);
        while (!decoder.IsComplete)
        {
            ChatResponseUpdate? update;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    decoder.Complete(); // throws: the stream ended before message_stop
                    break;
                }

                update = decoder.Decode(events.Current.EventType, events.Current.Data);
            }
            catch (ProviderException ex)
            {
                ex.PartialUsage ??= decoder.Usage;
                throw;
            }

            if (update is not null)
            {
                scope.Observe(update);
                yield return update;
            }
        }
    }

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

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var model = options?.ModelId;
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set ChatOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        AnthropicRequestMapper.ToAnthropic(body, messages, options, model, _catalog.Find(ProviderTypes.Anthropic, model), stream);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
        }

        request.Headers.TryAddWithoutValidation(VersionHeader, _options.ApiVersion ?? ProviderDefaults.AnthropicVersion);
        if (options?.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicBetaHeader, out var beta) == true && beta is string { Length: > 0 } betas)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", betas); // the client's betas, as sent
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
