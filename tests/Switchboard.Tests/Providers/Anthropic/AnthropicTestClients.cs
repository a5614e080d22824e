using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers.Anthropic;

/// <summary>Builds Anthropic adapters, requests and streams for the tests.</summary>
internal static class AnthropicTestClients
{
    public const string ApiKey = "sk-" + "ant-api03-test-9f8e7d6c5b4a";
    public const string Fixtures = "Providers/Anthropic/Fixtures/";

    public static readonly ModelInfo Haiku = new()
    {
        Provider = "anthropic", Id = "claude-haiku-4-5", InputPerMTok = 1m, OutputPerMTok = 5m, ContextWindow = 200_000, MaxOutputTokens = 64_000,
    };

    public static readonly ModelInfo Sonnet5 = new()
    {
        Provider = "anthropic", Id = "claude-sonnet-5", InputPerMTok = 3m, OutputPerMTok = 15m, ContextWindow = 1_000_000,
        MaxOutputTokens = 128_000, RejectsSamplingParameters = true,
    };

    public static readonly ModelCatalog Catalog = new([Haiku, Sonnet5]);

    public static AnthropicChatClient Create(RecordingHandler handler, ProviderOptions? options = null, TimeProvider? time = null) =>
        new("anthropic", options ?? new ProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri("https://anthropic.test/") },
            handler.CreateClient(), Catalog, time ?? TimeProvider.System);

    /// <summary>The request body the mapper writes, as text.</summary>
    public static string Write(IEnumerable<ChatMessage> messages, ChatOptions? options, ModelInfo? model = null, bool stream = false)
    {
        var output = new ArrayBufferWriter<byte>();
        AnthropicRequestMapper.ToAnthropic(output, messages, options, options?.ModelId ?? "claude-haiku-4-5", model, stream);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>A response body that sends <paramref name="prefix"/> and then nothing more, never ending.</summary>
    public static Stream Stalled(string prefix)
    {
        var pipe = new Pipe();
        pipe.Writer.Write(Encoding.UTF8.GetBytes(prefix));
        _ = pipe.Writer.FlushAsync().AsTask();
        return pipe.Reader.AsStream();
    }

    /// <summary>The first <paramref name="count"/> events of an SSE fixture.</summary>
    public static string FirstEvents(string fixture, int count) =>
        string.Concat(Fixture.Read(Fixtures + fixture).Split("\n\n").Take(count).Select(e => e + "\n\n"));
}
