using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;

namespace Switchboard.Tests.Providers.Gemini;

public sealed class GeminiStreamDecoderTests
{
    [Fact]
    public void Fixtures_UseCrLfEventSeparators()
    {
        Assert.Contains("}\r\n\r\ndata: ", GeminiTestClients.Read("stream-text.sse"), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TextSlices_YieldTextThenFinishThenUsage()
    {
        var (updates, decoder) = Decode("stream-text.sse");
        var last = decoder.Complete()!;

        Assert.Equal("Hello, world!", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.FinishReason));
        Assert.Equal("EMU0000000000000000001", updates[0].ResponseId);
        Assert.Equal("gemini-2.5-flash", updates[0].ModelId);
        var usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal(6, usage.InputTokenCount);
        Assert.Equal(24, usage.OutputTokenCount);
        Assert.Equal(20, usage.ReasoningTokenCount);
        Assert.Equal(30, usage.TotalTokenCount);
    }

    [Fact]
    public void Decode_FunctionCallSlice_YieldsWholeCallAndToolCallsFinish()
    {
        var (updates, decoder) = Decode("stream-function-call.sse");

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(updates.SelectMany(u => u.Contents)));
        Assert.Equal("call_0", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        Assert.Equal(11, decoder.Complete()!.Contents.OfType<UsageContent>().Single().Details.TotalTokenCount);
    }

    [Fact]
    public void Decode_ErrorEvent_ThrowsOverloadedWithPartialUsage()
    {
        var ex = Assert.Throws<ProviderException>(() => Decode("stream-error.sse"));

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal("UNAVAILABLE", ex.ProviderCode);
        Assert.Equal(6, ex.PartialUsage!.InputTokenCount);
    }

    [Fact]
    public void Complete_StreamWithoutFinishReason_ThrowsNetworkWithPartialUsage()
    {
        var (updates, decoder) = Decode("stream-truncated.sse");

        var ex = Assert.Throws<ProviderException>(decoder.Complete);

        Assert.Equal("Hello, wor", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.Contains("prematurely", ex.Message, StringComparison.Ordinal);
        Assert.Equal(6, ex.PartialUsage!.InputTokenCount);
    }

    [Fact]
    public void Decode_InvalidJson_ThrowsMalformedResponse()
    {
        var ex = Assert.Throws<ProviderException>(() => Decode("stream-malformed.sse"));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
        Assert.NotNull(ex.PartialUsage);
    }

    [Fact]
    public void Decode_BlockedPromptSlice_ThrowsContentFiltered()
    {
        var decoder = new GeminiStreamDecoder("gemini", GeminiTestClients.ApiKey);

        var ex = Assert.Throws<ProviderException>(() => decoder.Decode("message", """{"promptFeedback":{"blockReason":"SAFETY"}}"""u8));

        Assert.Equal(ProviderErrorKind.ContentFiltered, ex.Kind);
    }

    [Fact]
    public void Decode_ThoughtPart_YieldsReasoning()
    {
        var decoder = new GeminiStreamDecoder("gemini", null);

        var update = decoder.Decode("message", """{"candidates":[{"content":{"parts":[{"text":"Hmm.","thought":true}],"role":"model"}}]}"""u8)!;

        Assert.Equal("Hmm.", Assert.IsType<TextReasoningContent>(Assert.Single(update.Contents)).Text);
    }

    private static (List<ChatResponseUpdate> Updates, GeminiStreamDecoder Decoder) Decode(string fixture)
    {
        var decoder = new GeminiStreamDecoder("gemini", GeminiTestClients.ApiKey);
        var updates = new List<ChatResponseUpdate>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(GeminiTestClients.Read(fixture)));
        foreach (var item in SseParser.Create(stream, decoder.Decode).Enumerate())
        {
            if (item.Data is { } update)
            {
                updates.Add(update);
            }
        }

        return (updates, decoder);
    }
}
