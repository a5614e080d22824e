using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers.Anthropic;

public sealed class AnthropicStreamDecoderTests
{
    /// <summary>Decodes every event of an SSE text into <paramref name="updates"/>, then completes the stream.</summary>
    private static void Decode(string sse, List<ChatResponseUpdate> updates)
    {
        var decoder = new AnthropicStreamDecoder("anthropic", ApiKey);
        foreach (var item in SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(sse)), decoder.Decode).Enumerate())
        {
            if (item.Data is { } update)
            {
                updates.Add(update);
            }
        }

        Assert.Null(decoder.Complete());
    }

    private static List<ChatResponseUpdate> DecodeFixture(string name)
    {
        var updates = new List<ChatResponseUpdate>();
        Decode(Fixture.Read(Fixtures + name), updates);
        return updates;
    }

    [Fact]
    public void Decode_TextStreamWithPing_EmitsTextThenFinishReasonAndUsage()
    {
        var updates = DecodeFixture("stream-text.sse");

        Assert.Equal(["Hello", "!", ""], updates.Select(u => u.Text));
        Assert.All(updates, u => Assert.Equal("msg_01EMU0000000000000000001", u.ResponseId));
        Assert.All(updates, u => Assert.Equal("claude-haiku-4-5-20251001", u.ModelId));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(11, usage.InputTokenCount);
        Assert.Equal(5, usage.OutputTokenCount); // message_delta's cumulative count replaces message_start's 1
        Assert.Equal(16, usage.TotalTokenCount);
        Assert.Equal("Hello!", updates.ToChatResponse().Text);
    }

    [Fact]
    public void Decode_ToolInputInPieces_EmitsOneWholeFunctionCallAtBlockStop()
    {
        var updates = DecodeFixture("stream-tool-use.sse");

        var callUpdate = Assert.Single(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
        var call = callUpdate.Contents.OfType<FunctionCallContent>().Single();
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", ((JsonElement)call.Arguments!["location"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        var response = updates.ToChatResponse();
        Assert.Equal("I'll check the current weather in Paris for you.", response.Text);
        Assert.Equal(377 + 65, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public void Decode_ThinkingStream_EmitsReasoningThatCoalescesWithItsSignature()
    {
        var response = DecodeFixture("stream-thinking.sse").ToChatResponse();

        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("Short answer.", reasoning.Text);
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3h", reasoning.ProtectedData);
        Assert.Equal("42.", response.Text);
        Assert.Equal(4020, response.Usage?.InputTokenCount);
        Assert.Equal(3000, response.Usage?.CachedInputTokenCount);
        Assert.Equal(1000, response.Usage?.AdditionalCounts?[UsageKeys.CacheWriteInputTokens]);
        Assert.Equal(150, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public void Decode_InStreamOverloadedErrorAfterText_ThrowsOverloadedWithPartialUsage()
    {
        var updates = new List<ChatResponseUpdate>();

        var ex = Assert.Throws<ProviderException>(() => Decode(Fixture.Read(Fixtures + "stream-error.sse"), updates));

        Assert.Equal("Hello", Assert.Single(updates).Text);
        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal("overloaded_error", ex.ProviderCode);
        Assert.Null(ex.StatusCode);
        Assert.Equal("Overloaded", ex.Message);
        Assert.Equal(11, ex.PartialUsage?.InputTokenCount);
        Assert.Equal(1, ex.PartialUsage?.OutputTokenCount);
    }

    [Fact]
    public void Decode_StreamEndsWithoutMessageStop_ThrowsNetworkWithPartialUsage()
    {
        var updates = new List<ChatResponseUpdate>();

        var ex = Assert.Throws<ProviderException>(() => Decode(Fixture.Read(Fixtures + "stream-truncated.sse"), updates));

        Assert.Equal("Hello", Assert.Single(updates).Text);
        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.Contains("prematurely", ex.Message, StringComparison.Ordinal);
        Assert.Equal(11, ex.PartialUsage?.InputTokenCount);
    }

    [Fact]
    public void Decode_ToolInputCutBeforeBlockStop_EmitsNoCallAndThrowsNetwork()
    {
        var updates = new List<ChatResponseUpdate>();
        var cut = FirstEvents("stream-tool-use.sse", 9); // through the "{\"locati" piece

        var ex = Assert.Throws<ProviderException>(() => Decode(cut, updates));

        Assert.Equal(ProviderErrorKind.Network, ex.Kind);
        Assert.DoesNotContain(updates, u => u.Contents.OfType<FunctionCallContent>().Any());
    }

    [Fact]
    public void Decode_MalformedEventData_ThrowsMalformedResponseWithPartialUsage()
    {
        var updates = new List<ChatResponseUpdate>();

        var ex = Assert.Throws<ProviderException>(() => Decode(Fixture.Read(Fixtures + "stream-malformed.sse"), updates));

        Assert.Equal(ProviderErrorKind.MalformedResponse, ex.Kind);
        Assert.Equal(11, ex.PartialUsage?.InputTokenCount);
    }

    [Fact]
    public void Decode_EventWithoutEventLine_DispatchesOnTheDataType()
    {
        var decoder = new AnthropicStreamDecoder("anthropic", ApiKey);

        var update = decoder.Decode("message", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"""u8);

        Assert.Equal("Hi", update?.Text);
    }

    [Fact]
    public void Decode_ErrorMessageEchoingKey_IsScrubbed()
    {
        var decoder = new AnthropicStreamDecoder("anthropic", ApiKey);

        var ex = Assert.Throws<ProviderException>(() => decoder.Decode("error",
            Encoding.UTF8.GetBytes($$$"""{"type":"error","error":{"type":"api_error","message":"Internal error for key {{{ApiKey}}}"}}""")));

        Assert.Equal(ProviderErrorKind.ServerError, ex.Kind);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }
}
