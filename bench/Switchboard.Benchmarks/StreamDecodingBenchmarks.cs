using System.Net.ServerSentEvents;
using System.Text;
using BenchmarkDotNet.Attributes;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Benchmarks;

/// <summary>
/// One whole 40-chunk stream per operation, as the adapters read it: SseParser over the bytes handing each event's
/// UTF-8 data to the provider's decoder, which turns it into a ChatResponseUpdate. Divide by 40 for the cost per chunk.
/// The whole adapter call, send and idle clock included, is <see cref="ProviderStreamBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class StreamDecodingBenchmarks
{
    private byte[] _openai = null!;
    private byte[] _anthropic = null!;
    private byte[] _gemini = null!;

    [GlobalSetup]
    public void Setup()
    {
        var openai = new StringBuilder();
        openai.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        foreach (var word in Samples.Words())
        {
            openai.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").Append(word).Append("\"},\"finish_reason\":null}]}\n\n");
        }

        openai.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        openai.Append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":40,\"total_tokens\":80}}\n\ndata: [DONE]\n\n");
        _openai = Encoding.UTF8.GetBytes(openai.ToString());

        var anthropic = new StringBuilder();
        anthropic.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}\n\n");
        anthropic.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        foreach (var word in Samples.Words())
        {
            anthropic.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"").Append(word).Append("\"}}\n\n");
        }

        anthropic.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        anthropic.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n");
        anthropic.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        _anthropic = Encoding.UTF8.GetBytes(anthropic.ToString());

        var gemini = new StringBuilder();
        foreach (var word in Samples.Words())
        {
            gemini.Append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"").Append(word).Append("\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
        }

        gemini.Append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":40,\"candidatesTokenCount\":40,\"totalTokenCount\":80},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n");
        _gemini = Encoding.UTF8.GetBytes(gemini.ToString());
    }

    [Benchmark]
    public int OpenAI()
    {
        var decoder = new OpenAIStreamDecoder("openai", "sk-bench");
        var updates = 0;
        foreach (var item in SseParser.Create(new MemoryStream(_openai, writable: false), decoder.Decode).Enumerate())
        {
            updates += item.Data is null ? 0 : 1;
        }

        return updates + (decoder.Complete() is null ? 0 : 1);
    }

    [Benchmark]
    public int Anthropic()
    {
        var decoder = new AnthropicStreamDecoder("anthropic", "sk-bench");
        var updates = 0;
        foreach (var item in SseParser.Create(new MemoryStream(_anthropic, writable: false), decoder.Decode).Enumerate())
        {
            updates += item.Data is null ? 0 : 1;
        }

        return updates + (decoder.Complete() is null ? 0 : 1);
    }

    [Benchmark]
    public int Gemini()
    {
        var decoder = new GeminiStreamDecoder("gemini", "sk-bench");
        var updates = 0;
        foreach (var item in SseParser.Create(new MemoryStream(_gemini, writable: false), decoder.Decode).Enumerate())
        {
            updates += item.Data is null ? 0 : 1;
        }

        return updates + (decoder.Complete() is null ? 0 : 1);
    }
}
