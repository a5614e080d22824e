using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OpenAIChatClientTests
{
    private static readonly ChatOptions Options = new() { ModelId = "gpt-4o-mini" };

    private static string FirstChunks() => string.Concat(Fixture.Read(Fixtures + "stream-text.sse").Split("\n\n").Take(2).Select(e => e + "\n\n"));

    [Fact]
    public async Task GetResponse_ErrorReply_ThrowsMappedExceptionWithoutKey()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.TooManyRequests,
            $$$"""{"error":{"message":"Rate limit reached for key {{{ApiKey}}}","type":"requests","param":null,"code":"rate_limit_exceeded"}}""",
            headers: new Dictionary<string, string> { ["retry-after"] = "3" });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Create(handler).GetResponseAsync("Hi", Options));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Equal("openai", ex.Provider);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_Success_MapsReply()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");

        var response = await Create(handler).GetResponseAsync("Hi", Options);

        Assert.Equal("Hello! How can I assist you today?", response.Text);
        Assert.Equal(2320, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task Stream_NoChunkWithinIdleTimeout_ThrowsTimeout()
    {
        var time = new FakeTimeProvider();
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new StalledStream(FirstChunks()));
        var client = Create(handler, new ProviderOptions { ApiKey = ApiKey, StreamIdleTimeoutSeconds = 5 }, time: time);
        await using var updates = client.GetStreamingResponseAsync("Hi", Options).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync()); // "Hello"

        var next = updates.MoveNextAsync().AsTask();
        for (var i = 0; i < 200 && !next.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.True(next.IsCompleted, "the stalled stream outlived its idle timeout");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => next);
        Assert.Equal(ProviderErrorKind.Timeout, ex.Kind);
        Assert.Contains("idle", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_CallerCancels_ThrowsOperationCanceledNotProviderException()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new StalledStream(FirstChunks()));
        using var cts = new CancellationTokenSource();
        await using var updates = Create(handler).GetStreamingResponseAsync("Hi", Options, cts.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());

        var next = updates.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsNotType<ProviderException>(ex);
    }

    [Fact]
    public async Task GetResponse_CallerCancelsWhileReadingBody_ThrowsOperationCanceled()
    {
        var handler = new RecordingHandler().Reply(HttpStatusCode.OK, new StalledStream("{\"id\":"), "application/json");
        using var cts = new CancellationTokenSource();

        var call = Create(handler).GetResponseAsync("Hi", Options, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
