using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Benchmarks;

/// <summary>
/// One whole 200-chunk stream per operation through the adapter's public streaming call, the body served from a
/// MemoryStream: request mapping, the send, the SSE read loop with its idle clock, and each provider's decoder. Divide by
/// <see cref="Chunks"/> for the cost per chunk (the fixed cost of one call is spread over them).
/// </summary>
[MemoryDiagnoser]
public class ProviderStreamBenchmarks
{
    /// <summary>Content chunks per stream (the opening and closing events come on top).</summary>
    public const int Chunks = 200;

    private static readonly string[] Words = [" The", " Seine", " runs", " through", " Paris", " and", " its", " history."];

    private readonly List<ChatMessage> _messages = Samples.Messages();
    private IChatClient _openai = null!;
    private IChatClient _anthropic = null!;
    private IChatClient _gemini = null!;
    private ChatOptions _openaiOptions = null!;
    private ChatOptions _anthropicOptions = null!;
    private ChatOptions _geminiOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = ModelCatalog.LoadEmbedded();
        var options = new ProviderOptions { ApiKey = "sk-bench" };
        _openai = new OpenAIChatClient("openai", options, Client(OpenAIStream()), catalog, TimeProvider.System);
        _anthropic = new AnthropicChatClient("anthropic", options, Client(AnthropicStream()), catalog, TimeProvider.System);
        _gemini = new GeminiChatClient("gemini", options, Client(GeminiStream()), catalog, TimeProvider.System);
        _openaiOptions = new ChatOptions { ModelId = "gpt-4.1-mini" };
        _anthropicOptions = new ChatOptions { ModelId = "claude-sonnet-4-6" };
        _geminiOptions = new ChatOptions { ModelId = "gemini-2.5-flash" };
    }

    [Benchmark]
    public Task<int> OpenAI() => CountAsync(_openai, _openaiOptions);

    [Benchmark]
    public Task<int> Anthropic() => CountAsync(_anthropic, _anthropicOptions);

    [Benchmark]
    public Task<int> Gemini() => CountAsync(_gemini, _geminiOptions);

    private async Task<int> CountAsync(IChatClient client, ChatOptions options)
    {
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(_messages, options).ConfigureAwait(false))
        {
            updates += update.Contents.Count;
        }

        return updates;
    }

    private static HttpClient Client(byte[] body) =>
        new(new MemoryStreamHandler(body)) { Timeout = Timeout.InfiniteTimeSpan };

    private static byte[] OpenAIStream()
    {
        const string Head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\",\"choices\":[";
        var sse = new StringBuilder();
        sse.Append(Head).Append("{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (var i = 0; i < Chunks; i++)
        {
            sse.Append(Head).Append("{\"index\":0,\"delta\":{\"content\":\"").Append(Words[i % Words.Length]).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        sse.Append(Head).Append("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sse.Append(Head).Append("],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":200,\"total_tokens\":240}}\n\ndata: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    private static byte[] AnthropicStream()
    {
        var sse = new StringBuilder();
        sse.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}\n\n");
        sse.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        sse.Append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (var i = 0; i < Chunks; i++)
        {
            sse.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"").Append(Words[i % Words.Length]).Append("\"}}\n\n");
        }

        sse.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sse.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":200}}\n\n");
        sse.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    private static byte[] GeminiStream()
    {
        var sse = new StringBuilder();
        for (var i = 0; i < Chunks; i++)
        {
            sse.Append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"").Append(Words[i % Words.Length]).Append("\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
        }

        sse.Append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":40,\"candidatesTokenCount\":200,\"totalTokenCount\":240},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
        return Encoding.UTF8.GetBytes(sse.ToString());
    }

    /// <summary>Answers every request with the same SSE body, read from a fresh MemoryStream.</summary>
    private sealed class MemoryStreamHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(body, writable: false));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
