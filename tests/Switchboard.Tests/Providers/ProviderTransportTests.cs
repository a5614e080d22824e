using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.Providers.Anthropic;
using Switchboard.Tests.Providers.Gemini;
using Switchboard.Tests.Providers.OpenAI;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers;

/// <summary>The streaming loop and body reading every adapter shares, run through each provider's adapter.</summary>
public sealed class ProviderTransportTests
{
    private const string Text = "Grüße, 世界 🎉";
    private static readonly string[] Pieces = ["Grü", "ße, 世", "界 🎉"]; // "世" and "🎉" are 3 and 4 UTF-8 bytes
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10); // only reached when the code under test hangs

    public static TheoryData<string> Providers => ["openai", "anthropic", "gemini"];

    public static TheoryData<string, int> ProvidersAndReadSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var provider in new[] { "openai", "anthropic", "gemini" })
        {
            foreach (var size in new[] { 1, 2, 3, 5, 7, 64 })
            {
                data.Add(provider, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProvidersAndReadSizes))]
    public async Task Stream_BodySplitAtArbitraryBytes_DecodesAsIfReadWhole(string provider, int readSize)
    {
        var body = Encoding.UTF8.GetBytes(Body(provider));
        var whole = await StreamAsync(provider, new ChunkedStream(body, body.Length));

        var split = await StreamAsync(provider, new ChunkedStream(body, readSize));

        Assert.Equal(Text, whole.ToChatResponse().Text);
        Assert.Equal(whole.Select(Describe), split.Select(Describe));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stream_CommentsEventNamesAndDone_AreHandledTheProvidersWay(string provider)
    {
        // OpenAI: comments and event names are skipped, nothing after [DONE] is read (the garbage there would fail).
        // Anthropic: comments and ping events are skipped, nothing after message_stop is read (a proxy's [DONE]).
        // Gemini: comments and event names are skipped, a proxy's [DONE] is ignored, the stream ends with its body.
        var updates = await StreamAsync(provider, new MemoryStream(Encoding.UTF8.GetBytes(Body(provider))));

        var response = updates.ToChatResponse();
        Assert.Equal(Text, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(6, response.Usage?.TotalTokenCount);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stream_SilenceAfterFirstContent_TimesOutIdleSecondsAfterTheLastEvent(string provider)
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        var client = Create(provider, new RecordingHandler().Reply(HttpStatusCode.OK, pipe.Reader.AsStream()), time, idleSeconds: 5);
        await using var updates = client.GetStreamingResponseAsync("Hi", OptionsFor(provider), TestContext.Current.CancellationToken)
            .GetAsyncEnumerator();
        await WriteAsync(pipe, Opening(provider) + Delta(provider, "Hel"));
        Assert.True(await updates.MoveNextAsync());
        Assert.Equal("Hel", updates.Current.Text);

        time.Advance(TimeSpan.FromSeconds(30)); // the consumer holds the update: not the provider's silence
        var next = updates.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(4));
        await WriteAsync(pipe, Delta(provider, "lo"));
        Assert.True(await next.WaitAsync(Guard));
        Assert.Equal("lo", updates.Current.Text);

        next = updates.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(4)); // 38 s after the first content, 4 s after the last event
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(Guard));
        Assert.Equal(ProviderErrorKind.Timeout, ex.Kind);
        Assert.Equal($"No data from {provider} within the stream idle timeout of 5 s.", ex.Message);
        Assert.NotNull(ex.PartialUsage); // each provider reported usage before the first content or with it
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stream_SilenceBeforeFirstContent_IsNotTheIdleTimeouts(string provider)
    {
        var time = new FakeTimeProvider();
        var pipe = new Pipe();
        var client = Create(provider, new RecordingHandler().Reply(HttpStatusCode.OK, pipe.Reader.AsStream()), time, idleSeconds: 5);
        await using var updates = client.GetStreamingResponseAsync("Hi", OptionsFor(provider), TestContext.Current.CancellationToken)
            .GetAsyncEnumerator();
        await WriteAsync(pipe, Opening(provider));

        var first = updates.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromHours(1)); // the router's first-token timeout owns this wait
        await WriteAsync(pipe, Delta(provider, "Hi"));

        Assert.True(await first.WaitAsync(Guard));
        Assert.Equal("Hi", updates.Current.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GetResponse_BodyNotJson_ThrowsMalformedResponse(string provider)
    {
        var client = Create(provider, new RecordingHandler().Reply(HttpStatusCode.OK, "<html>502 Bad Gateway</html>", "text/html"));

        var ex = await Assert.ThrowsAsync<ProviderException>(() =>
            client.GetResponseAsync("Hi", OptionsFor(provider), TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
        Assert.Equal($"{provider} sent a reply that is not valid JSON.", ex.Message);
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(string provider, Stream body)
    {
        var client = Create(provider, new RecordingHandler().Reply(HttpStatusCode.OK, body));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi", OptionsFor(provider), TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        return updates;
    }

    private static IChatClient Create(string provider, RecordingHandler handler, TimeProvider? time = null, double idleSeconds = 60) =>
        provider switch
        {
            "openai" => OpenAITestClients.Create(handler,
                new ProviderOptions { ApiKey = OpenAITestClients.ApiKey, StreamIdleTimeoutSeconds = idleSeconds }, time: time),
            "anthropic" => AnthropicTestClients.Create(handler,
                new ProviderOptions { ApiKey = AnthropicTestClients.ApiKey, BaseUrl = new Uri("https://anthropic.test/"), StreamIdleTimeoutSeconds = idleSeconds },
                time),
            _ => GeminiTestClients.Create(handler,
                new ProviderOptions { ApiKey = GeminiTestClients.ApiKey, StreamIdleTimeoutSeconds = idleSeconds }, time),
        };

    private static ChatOptions OptionsFor(string provider) => new()
    {
        ModelId = provider switch { "openai" => "gpt-4o-mini", "anthropic" => "claude-haiku-4-5", _ => GeminiTestClients.Model },
    };

    private static string Describe(ChatResponseUpdate u) =>
        $"{u.Text}|{u.FinishReason}|{u.ResponseId}|{u.ModelId}|{string.Join(",", u.Contents.Select(c => c.GetType().Name))}|" +
        $"{u.Contents.OfType<UsageContent>().SingleOrDefault()?.Details.TotalTokenCount}";

    private static async Task WriteAsync(Pipe pipe, string sse) => await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(sse));

    /// <summary>A whole stream in the provider's own framing, with comments, event names and a trailing <c>[DONE]</c>.</summary>
    private static string Body(string provider) => provider switch
    {
        "openai" => ": OPENROUTER PROCESSING\n\n" + Opening(provider) + "event: chunk\n" + string.Concat(Pieces.Select(p => Delta(provider, p))) +
            OpenAIChunk("\"delta\":{},\"finish_reason\":\"stop\"") +
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3,\"total_tokens\":6}}\n\n" +
            "data: [DONE]\n\ndata: {\"not json after [DONE]\n\n",
        "anthropic" => Opening(provider) + ": keep-alive\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n" +
            string.Concat(Pieces.Select(p => Delta(provider, p))) +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\ndata: [DONE]\n\n",
        _ => ": comment\r\n\r\n" + string.Concat(Pieces.Select(p => Delta(provider, p))) + "event: slice\r\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":3,\"totalTokenCount\":6},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n" +
            "data: [DONE]\r\n\r\n",
    };

    /// <summary>The events before the first content (none for Gemini); they carry usage where the provider sends it early.</summary>
    private static string Opening(string provider) => provider switch
    {
        "openai" => OpenAIChunk("\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null", "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0,\"total_tokens\":3}"),
        "anthropic" => "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"model\":\"claude-haiku-4-5\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        _ => "",
    };

    private static string Delta(string provider, string text) => provider switch
    {
        "openai" => OpenAIChunk($"\"delta\":{{\"content\":\"{text}\"}},\"finish_reason\":null"),
        "anthropic" => $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}\"}}}}\n\n",
        _ => $"data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"text\":\"{text}\"}}],\"role\":\"model\"}},\"index\":0}}]," +
            $"\"usageMetadata\":{{\"promptTokenCount\":3,\"totalTokenCount\":3}},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}}\r\n\r\n",
    };

    private static string OpenAIChunk(string choice, string? usage = null) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,{choice}}}]" +
        (usage is null ? "" : "," + usage) + "}\n\n";

    /// <summary>A body that hands out at most <c>readSize</c> bytes per read, so events and characters split across reads.</summary>
    private sealed class ChunkedStream(byte[] body, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = Math.Min(Math.Min(buffer.Length, readSize), body.Length - _position);
            body.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
