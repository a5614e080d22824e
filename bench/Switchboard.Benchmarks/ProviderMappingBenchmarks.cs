using System.Buffers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Benchmarks;

/// <summary>Canonical request → each provider's wire JSON (what every attempt pays before its HTTP call).</summary>
[MemoryDiagnoser]
public class ProviderMappingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private OpenAIEndpoint _endpoint = null!;
    private ModelInfo? _claude;

    [GlobalSetup]
    public void Setup()
    {
        _messages = Samples.Messages();
        _options = Samples.Options();
        _endpoint = OpenAIEndpoint.Create("openai", new ProviderOptions { Type = "openai", ApiKey = "sk-bench" });
        _claude = ModelCatalog.LoadEmbedded().Find("anthropic", "claude-sonnet-4-6");
    }

    [Benchmark]
    public int OpenAI()
    {
        _output.ResetWrittenCount();
        OpenAIRequestMapper.ToOpenAI(_output, _messages, _options, "gpt-4.1-mini", stream: false, _endpoint);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Anthropic()
    {
        _output.ResetWrittenCount();
        AnthropicRequestMapper.ToAnthropic(_output, _messages, _options, "claude-sonnet-4-6", _claude, stream: false);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Gemini()
    {
        _output.ResetWrittenCount();
        GeminiRequestMapper.ToGemini(_output, _messages, _options, "gemini");
        return _output.WrittenCount;
    }
}
