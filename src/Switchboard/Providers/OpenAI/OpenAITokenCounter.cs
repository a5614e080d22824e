using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// OpenAI's own token count, <c>POST {base}/v1/responses/input_tokens</c>, for the <c>openai</c> type (other
/// OpenAI-protocol servers have no such endpoint): the <see cref="ITokenCountingClient"/> the OpenAI adapter offers.
/// </summary>
internal sealed class OpenAITokenCounter(string name, Uri endpoint, OpenAIEndpoint server, ProviderTransport transport) : ITokenCountingClient
{
    /// <summary>The counter for a provider of type <c>openai</c>; null for the others.</summary>
    public static OpenAITokenCounter? For(string name, OpenAIEndpoint server, ProviderTransport transport) =>
        server.Type == ProviderTypes.OpenAI
            ? new OpenAITokenCounter(name, new Uri(ProviderBaseUrl.VersionedRoot(server.BaseUrl, "v1") + "responses/input_tokens"), server, transport)
            : null;

    public async Task<long> CountTokensAsync(IEnumerable<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        var model = options.ModelId;
        if (string.IsNullOrEmpty(model))
        {
            throw new ProviderException(ProviderErrorKind.InvalidRequest, $"No model given for {name}: set ChatOptions.ModelId.", name);
        }

        var body = new ArrayBufferWriter<byte>(2048);
        OpenAIResponsesRequestWriter.Write(body, messages, options, model, stream: false, server, forCount: true);
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        server.ApplyHeaders(request.Headers);
        var reply = await transport.GetJsonAsync(request, OpenAITokenCountJsonContext.Default.OpenAIInputTokenCount, cancellationToken).ConfigureAwait(false);
        return reply?.InputTokens ?? throw new ProviderException(ProviderErrorKind.MalformedResponse,
            $"{name} answered responses/input_tokens without input_tokens.", name);
    }
}

/// <summary>A <c>responses/input_tokens</c> reply: <c>{"object":"response.input_tokens","input_tokens":N}</c>.</summary>
internal sealed record OpenAIInputTokenCount(long? InputTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OpenAIInputTokenCount))]
internal sealed partial class OpenAITokenCountJsonContext : JsonSerializerContext;
