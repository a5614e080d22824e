using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Http;

namespace Switchboard.Benchmarks;

/// <summary>The gateway edge: parse the client's OpenAI JSON into the canonical request, and write the answer back.</summary>
[MemoryDiagnoser]
public class EdgeBenchmarks
{
    private byte[] _body = null!;
    private EdgeRequest _request = null!;
    private ChatResponse _response = null!;
    private ChatResponseUpdate[] _updates = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Encoding.UTF8.GetBytes(Samples.OpenAIBody);
        _request = OpenAIProtocol.Instance.Parse(_body);
        _response = new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(Samples.Words())))
        {
            ModelId = "gpt-4.1-mini",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 40, TotalTokenCount = 80 },
        };
        _updates = [.. Samples.Words().Select(w => new ChatResponseUpdate(ChatRole.Assistant, w) { ModelId = "gpt-4.1-mini" })];
    }

    [Benchmark]
    public int ParseOpenAI() => OpenAIProtocol.Instance.Parse(_body).Messages.Count;

    [Benchmark]
    public int WriteOpenAIResponse() => OpenAIProtocol.Instance.WriteResponse(_response, _request, "0123456789abcdef0123456789abcdef", 1_700_000_000).Length;

    /// <summary>A whole 40-chunk stream written as OpenAI SSE frames.</summary>
    [Benchmark]
    public int WriteOpenAIStream()
    {
        var stream = OpenAIProtocol.Instance.CreateStream(_request, "0123456789abcdef0123456789abcdef", 1_700_000_000, 40);
        var bytes = 0;
        foreach (var update in _updates)
        {
            foreach (var frame in stream.OnUpdate(update))
            {
                bytes += frame.Data.Length;
            }
        }

        foreach (var frame in stream.Complete(_response.Usage, null))
        {
            bytes += frame.Data.Length;
        }

        return bytes;
    }
}
