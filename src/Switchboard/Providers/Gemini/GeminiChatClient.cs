using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The Google Gemini (Generative Language API) adapter: <c>v1beta/models/{model}:generateContent</c> and
/// <c>:streamGenerateContent?alt=sse</c>, the key in <c>x-goog-api-key</c> (never in the URL, which gets logged).
/// </summary>
internal sealed class GeminiChatClient : IChatClient
{
    private const string ApiKeyHeader = "x-goog-api-key";
    private const string ModelPrefix = "models/";

    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly string _base;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderHttp.ErrorMapper _mapError;

    public GeminiChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _http = http;
        _catalog = catalog;
        _time = time;
        var baseUrl = options.BaseUrl ?? ProviderDefaults.BaseUrlFor(ProviderTypes.Gemini)!;
        _base = ProviderBaseUrl.VersionedRoot(baseUrl, "v1beta");
        _metadata = new ChatClientMetadata(ProviderTypes.Gemini, baseUrl);
        _mapError = (status, headers, body) => GeminiErrorMapper.Map(status, headers, body, _name, _options.ApiKey, _time);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested(); // the caller gave up: send nothing
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: false);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var body = await ProviderHttp.ReadBodyAsync(response, scope).ConfigureAwait(false);
        return GeminiResponseMapper.FromGemini(body, _name, _options.ApiKey);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: true);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var decoder = new GeminiStreamDecoder(_name, _options.ApiKey);
        var events = ProviderHttp.ReadSseAsync(response, scope, scope.Token).GetAsyncEnumerator(scope.Token);
        await using var eventsScope = events.ConfigureAwait(false);
        while (true)
        {
            ChatResponseUpdate? update;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                update = decoder.Decode(events.Current.Data);
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

        if (decoder.Complete() is { } last)
        {
            yield return last;
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
        GeminiRequestMapper.ToGemini(body, messages, options, _name, omitSampling);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var action = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        var uri = new Uri(_base + "models/" + Uri.EscapeDataString(model) + action);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
        }

        foreach (var (header, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }
}
