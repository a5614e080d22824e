using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The Chat Completions adapter for every OpenAI-protocol server: <c>openai</c>, <c>openai-compatible</c> and
/// <c>azure-openai</c>, one code path configured by an <see cref="OpenAIEndpoint"/>.
/// </summary>
internal sealed class OpenAIChatClient : IChatClient
{
    private readonly string _name;
    private readonly ProviderOptions _options;
    private readonly HttpClient _http;
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly OpenAIEndpoint _endpoint;
    private readonly ChatClientMetadata _metadata;
    private readonly ProviderHttp.ErrorMapper _mapError;

    public OpenAIChatClient(string name, ProviderOptions options, HttpClient http, ModelCatalog catalog, TimeProvider time)
    {
        _name = name;
        _options = options;
        _http = http;
        _catalog = catalog;
        _time = time;
        _endpoint = OpenAIEndpoint.Create(name, options);
        _metadata = new ChatClientMetadata(_endpoint.Type, _endpoint.BaseUrl);
        _mapError = (status, headers, body) => OpenAIErrorMapper.Map(status, headers, body, _name, _options.ApiKey, _time);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: false);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var body = await ProviderHttp.ReadBodyAsync(response, scope).ConfigureAwait(false);
        return OpenAIResponseMapper.FromOpenAI(body, _name);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var scope = new ProviderCallScope(_name, _options, _time, cancellationToken);
        using var request = CreateRequest(messages, options, stream: true);
        using var response = await ProviderHttp.SendAsync(_http, request, scope, _mapError).ConfigureAwait(false);
        var decoder = new OpenAIStreamDecoder(_name, _options.ApiKey);
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

            if (decoder.IsDone)
            {
                break;
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
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {_name}: set ChatOptions.ModelId.", _name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        var omitSampling = _catalog.Find(_endpoint.Type, model)?.RejectsSamplingParameters == true;
        OpenAIRequestMapper.ToOpenAI(body, messages, options, model, stream, _endpoint, omitSampling);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint.ChatCompletionsUri(model)) { Content = content };
        _endpoint.ApplyHeaders(request.Headers);
        return request;
    }
}
