using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers.Gemini;

public sealed class GeminiChatClientTests
{
    private static readonly ChatOptions Options = new() { ModelId = GeminiTestClients.Model };

    [Fact]
    public async Task GetResponse_PostsToGenerateContent_WithKeyInHeaderNotUrl()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "response-text.json");
        var options = new ProviderOptions { ApiKey = GeminiTestClients.ApiKey };
        options.Headers["x-custom"] = "yes";
        using var client = GeminiTestClients.Create(handler, options);

        var response = await client.GetResponseAsync("Hi", Options, TestContext.Current.CancellationToken);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", request.Uri.AbsoluteUri);
        Assert.Equal(GeminiTestClients.ApiKey, request.Headers["x-goog-api-key"]);
        Assert.Equal("yes", request.Headers["x-custom"]);
        Assert.DoesNotContain(GeminiTestClients.ApiKey, request.Uri.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("key=", request.Uri.Query, StringComparison.Ordinal);
        Assert.True(Fixture.JsonEquals("""{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}""", request.Body!), request.Body);
        Assert.Equal("Paris is mild today.", response.Text);
    }

    [Fact]
    public async Task GetResponse_ModelWithModelsPrefix_IsStripped_AndBaseUrlPathKept()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "response-text.json");
        using var client = GeminiTestClients.Create(handler,
            new ProviderOptions { ApiKey = GeminiTestClients.ApiKey, BaseUrl = new Uri("http://127.0.0.1:9/google") });

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = "models/gemini-2.5-pro" }, TestContext.Current.CancellationToken);

        Assert.Equal("http://127.0.0.1:9/google/v1beta/models/gemini-2.5-pro:generateContent", handler.Requests[0].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetResponse_WithoutModel_ThrowsInvalidRequest_WithoutCalling()
    {
        var handler = new RecordingHandler();
        using var client = GeminiTestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", null, TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetResponse_RateLimitedReply_ThrowsRateLimitedWithRetryInfoDelay()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "error-rate-limited.json", HttpStatusCode.TooManyRequests);
        using var client = GeminiTestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options, TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        Assert.Equal(429, ex.StatusCode);
    }

    [Fact]
    public async Task GetResponse_BadKeyReply_ThrowsAuthentication()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "error-api-key-invalid.json", HttpStatusCode.BadRequest);
        using var client = GeminiTestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("Hi", Options, TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Authentication, ex.Kind);
        Assert.DoesNotContain(GeminiTestClients.ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponse_PostsToStreamUrl_AndYieldsTextFinishAndUsage()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "stream-text.sse");
        using var client = GeminiTestClients.Create(handler);

        var updates = await Collect(client.GetStreamingResponseAsync("Hi", Options, TestContext.Current.CancellationToken));

        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            handler.Requests[0].Uri.AbsoluteUri);
        var response = updates.ToChatResponse();
        Assert.Equal("Hello, world!", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(30, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_FunctionCall_YieldsCallAndToolCallsFinish()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "stream-function-call.sse");
        using var client = GeminiTestClients.Create(handler);

        var response = (await Collect(client.GetStreamingResponseAsync("Weather?", Options, TestContext.Current.CancellationToken))).ToChatResponse();

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Theory]
    [InlineData("stream-error.sse", ProviderErrorKind.Overloaded)]
    [InlineData("stream-truncated.sse", ProviderErrorKind.Network)]
    [InlineData("stream-malformed.sse", ProviderErrorKind.MalformedResponse)]
    public async Task GetStreamingResponse_BrokenStream_ThrowsKindAfterPartialText_WithPartialUsage(string fixture, ProviderErrorKind kind)
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + fixture);
        using var client = GeminiTestClients.Create(handler);
        var texts = new List<string>();

        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", Options, TestContext.Current.CancellationToken))
            {
                texts.Add(update.Text);
            }
        });

        Assert.Equal(kind, ex.Kind);
        Assert.StartsWith("Hello", string.Concat(texts), StringComparison.Ordinal);
        Assert.Equal(6, ex.PartialUsage!.InputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponse_StalledStream_ThrowsTimeoutAfterIdleTimeout()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new HangingStream(FirstEvent()));
        using var client = GeminiTestClients.Create(handler,
            new ProviderOptions { ApiKey = GeminiTestClients.ApiKey, StreamIdleTimeoutSeconds = 0.2 });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Collect(
            client.GetStreamingResponseAsync("Hi", Options, TestContext.Current.CancellationToken)));

        Assert.Equal(ProviderErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task GetStreamingResponse_CallerCancels_ThrowsOperationCanceled_NotProviderError()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new HangingStream(FirstEvent()));
        using var client = GeminiTestClients.Create(handler);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("Hi", Options, cts.Token))
            {
                await cts.CancelAsync(); // after the first chunk, while the next one is awaited
            }
        });

        Assert.True(ex.CancellationToken.IsCancellationRequested || cts.IsCancellationRequested);
    }

    [Fact]
    public async Task GetResponse_CallerAlreadyCancelled_ThrowsOperationCanceled()
    {
        var handler = new RecordingHandler().ReplyWithFixture(GeminiTestClients.Fixtures + "response-text.json");
        using var client = GeminiTestClients.Create(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("Hi", Options, new CancellationToken(canceled: true)));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task GetResponse_CallerCancelsWhileBodyIsRead_ThrowsOperationCanceled_NotProviderError()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new HangingStream("{\"candidates\":"), "application/json");
        using var client = GeminiTestClients.Create(handler);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(100));

        var ex = await Record.ExceptionAsync(() => client.GetResponseAsync("Hi", Options, cts.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
    }

    [Fact]
    public void GetService_ReturnsGeminiMetadata()
    {
        using var client = GeminiTestClients.Create(new RecordingHandler());

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("gemini", metadata!.ProviderName);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/"), metadata.ProviderUri);
    }

    private static string FirstEvent() =>
        "data: " + JsonSerializer.Serialize(JsonDocument.Parse(
            """{"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"}}]}""").RootElement) + "\r\n\r\n";

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
