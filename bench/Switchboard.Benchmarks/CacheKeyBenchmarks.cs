using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Switchboard.Caching;

namespace Switchboard.Benchmarks;

/// <summary>The response cache key: SHA-256 over the format version, model, messages, output-changing options and tenant.</summary>
[MemoryDiagnoser]
public class CacheKeyBenchmarks
{
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = Samples.Messages();
        _options = Samples.Options();
    }

    [Benchmark]
    public string? Compute() => ResponseCacheKey.Compute(_messages, _options, "key_0123456789abcdef");
}
