using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OpenAIStreamDecoderTests
{
    private static readonly ChatOptions Options = new() { ModelId = "gpt-4o-mini" };

    private static async Task<List<ChatResponseUpdate>> StreamAsync(string fixture)
    {
        var client = Create(new RecordingHandler().ReplyWithFixture(Fixtures + fixture));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi", Options))
        {
            updates.Add(update);
        }

        return updates;
    }

    [Fact]
    public async Task Stream_Text_YieldsDeltasFinishReasonAndUsageLast()
    {
        var updates = await StreamAsync("stream-text.sse");

        Assert.Equal(["Hello", "!"], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        Assert.Equal(ChatFinishReason.Stop, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents)).Details;
        Assert.Equal(11, usage.InputTokenCount);
        Assert.Equal(2, usage.OutputTokenCount);
        Assert.Equal(13, usage.TotalTokenCount);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        var response = updates.ToChatResponse();
        Assert.Equal("Hello!", response.Text);
        Assert.Equal("chatcmpl-EMU0001", response.ResponseId);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.ModelId);
    }

    [Fact]
    public async Task Stream_ToolCallArgumentsInPieces_YieldsOneCompleteCall()
    {
        var updates = await StreamAsync("stream-tool-call.sse");

        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("call_4XzlGBLtUe9dy3GVNV4jhq7h", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("New York City", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        var usage = updates.ToChatResponse().Usage!;
        Assert.Equal(60, usage.TotalTokenCount);
        Assert.Equal(32, usage.CachedInputTokenCount);
        Assert.Equal(0, usage.ReasoningTokenCount);
    }

    [Fact]
    public async Task Stream_ErrorChunk_ThrowsMappedProviderException()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync("stream-error.sse"));

        Assert.Equal(ProviderErrorKind.ServerError, ex.Kind);
        Assert.Equal("server_error", ex.ProviderCode);
        Assert.Contains("had an error while processing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_CutBeforeDone_ThrowsNetwork()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync("stream-truncated.sse"));

        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.Contains("prematurely", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_CutAfterUsage_ThrowsNetworkWithPartialUsage()
    {
        const string Body = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}


            """;
        var client = Create(new RecordingHandler().Reply(HttpStatusCode.OK, Body, "text/event-stream"));

        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("Hi", Options))
            {
            }
        });

        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.Equal(6, ex.PartialUsage?.TotalTokenCount);
    }

    [Fact]
    public async Task Stream_MalformedChunk_ThrowsMalformedResponse()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => StreamAsync("stream-malformed.sse"));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
    }

    [Fact]
    public async Task Stream_FinishWithoutDone_CompletesNormally()
    {
        var text = Fixture.Read(Fixtures + "stream-text.sse").Replace("data: [DONE]\n\n", "", StringComparison.Ordinal);
        var client = Create(new RecordingHandler().Reply(HttpStatusCode.OK, text, "text/event-stream"));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi", Options))
        {
            updates.Add(update);
        }

        Assert.Equal("Hello!", updates.ToChatResponse().Text);
        Assert.Equal(13, updates.ToChatResponse().Usage?.TotalTokenCount);
    }
}
