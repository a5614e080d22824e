using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers.Anthropic;

public sealed class AnthropicChatClientTests
{
    private static readonly ChatOptions Options = new() { ModelId = "claude-haiku-4-5" };

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> stream, List<ChatResponseUpdate>? into = null)
    {
        into ??= [];
        await foreach (var update in stream)
        {
            into.Add(update);
        }

        return into;
    }

    [Fact]
    public async Task GetResponse_PostsToMessagesWithKeyVersionAndConfiguredHeaders()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");
        var options = new ProviderOptions { ApiKey = ApiKey, BaseUrl = new Uri("https://anthropic.test/proxy") };
        options.Headers["anthropic-beta"] = "prompt-caching-2024-07-31";

        var response = await Create(handler, options).GetResponseAsync("Hi", Options);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://anthropic.test/proxy/v1/messages", request.Uri.AbsoluteUri);
        Assert.Equal(ApiKey, request.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.Equal("prompt-caching-2024-07-31", request.Headers["anthropic-beta"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("claude-haiku-4-5", body["model"]!.GetValue<string>());
        Assert.Equal("Hello! How can I help?", response.Text);
    }

    [Fact]
    public async Task GetResponse_ApiVersionOption_ReplacesDefaultVersion()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");

        await Create(handler, new ProviderOptions { ApiKey = ApiKey, ApiVersion = "2099-01-01" }).GetResponseAsync("Hi", Options);

        Assert.Equal("2099-01-01", handler.Requests[0].Headers["anthropic-version"]);
        Assert.Equal("https://api.anthropic.com/v1/messages", handler.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetResponse_CatalogModel_DefaultsMaxTokensAndDropsRejectedSampling()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");

        await Create(handler).GetResponseAsync("Hi", new ChatOptions { ModelId = "claude-sonnet-5", Temperature = 0.7f, TopK = 5 });

        var body = JsonNode.Parse(handler.Requests[0].Body!)!.AsObject();
        Assert.Equal(128_000, body["max_tokens"]!.GetValue<int>());
        Assert.False(body.ContainsKey("temperature"));
        Assert.False(body.ContainsKey("top_k"));
    }

    [Fact]
    public async Task GetResponse_NoModel_ThrowsInvalidRequestWithoutSending()
    {
        var handler = new RecordingHandler();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Create(handler).GetResponseAsync("Hi", new ChatOptions()));

        Assert.Equal(ProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetResponse_OverloadedReply_ThrowsOverloadedWithRetryAfterAndNoKey()
    {
        var handler = new RecordingHandler().Reply((HttpStatusCode)529,
            $$$"""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded (key {{{ApiKey}}})"}}""",
            headers: new Dictionary<string, string> { ["retry-after"] = "4" });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Create(handler).GetResponseAsync("Hi", Options));

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal(529, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(4), ex.RetryAfter);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_CallerCancelsWhileBodyIsPending_ThrowsOperationCanceledNotProviderException()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, Stalled("{\"id\":\"msg_1\","), "application/json");
        using var cts = new CancellationTokenSource();

        var call = Create(handler).GetResponseAsync("Hi", Options, cts.Token);
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsNotType<ProviderException>(ex);
    }

    [Fact]
    public async Task GetStreamingResponse_TextStream_AsksForStreamAndYieldsTextThenUsage()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "stream-text.sse");

        var updates = await Collect(Create(handler).GetStreamingResponseAsync("Hi", Options));

        Assert.True(JsonNode.Parse(handler.Requests[0].Body!)!["stream"]!.GetValue<bool>());
        var response = updates.ToChatResponse();
        Assert.Equal("Hello!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(16, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_InStreamOverloadedError_ThrowsOverloadedAfterTheText()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "stream-error.sse");
        var updates = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Collect(Create(handler).GetStreamingResponseAsync("Hi", Options), updates));

        Assert.Equal("Hello", Assert.Single(updates).Text);
        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal(11, ex.PartialUsage?.InputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_StreamCutBeforeMessageStop_ThrowsNetworkWithPartialUsage()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "stream-truncated.sse");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Collect(Create(handler).GetStreamingResponseAsync("Hi", Options)));

        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.Equal(1, ex.PartialUsage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_ErrorReplyBeforeStreaming_ThrowsMappedKind()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.BadRequest,
            """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 250000 tokens > 200000 maximum"}}""");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Collect(Create(handler).GetStreamingResponseAsync("Hi", Options)));

        Assert.Equal(ProviderErrorKind.ContextLengthExceeded, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponse_CallerCancelsMidStream_ThrowsOperationCanceledNotProviderException()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, Stalled(FirstEvents("stream-text.sse", 4)));
        using var cts = new CancellationTokenSource();
        await using var updates = Create(handler).GetStreamingResponseAsync("Hi", Options, cts.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync()); // "Hello"

        var next = updates.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsNotType<ProviderException>(ex);
    }

    [Fact]
    public async Task GetStreamingResponse_NoEventWithinIdleTimeout_ThrowsTimeout()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, Stalled(FirstEvents("stream-text.sse", 4)));
        var options = new ProviderOptions { ApiKey = ApiKey, StreamIdleTimeoutSeconds = 5 };
        await using var updates = Create(handler, options, time).GetStreamingResponseAsync("Hi", Options).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());

        var next = updates.MoveNextAsync().AsTask();
        for (var i = 0; i < 200 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var ex = await Assert.ThrowsAsync<ProviderException>(() => next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ProviderErrorKind.Timeout, ex.Kind);
        Assert.Equal(11, ex.PartialUsage?.InputTokenCount);
    }

    [Fact]
    public void GetService_Metadata_NamesAnthropicAndBaseUrl()
    {
        var metadata = Create(new RecordingHandler()).GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;

        Assert.Equal("anthropic", metadata?.ProviderName);
        Assert.Equal(new Uri("https://anthropic.test/"), metadata?.ProviderUri);
    }
}
