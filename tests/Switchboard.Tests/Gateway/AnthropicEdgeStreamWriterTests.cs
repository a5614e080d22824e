using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Anthropic;
using Switchboard.Pricing;

namespace Switchboard.Tests.Gateway;

public sealed class AnthropicEdgeStreamWriterTests
{
    private const string MessageStart = """
        {"type":"message_start","message":{"id":"msg_9","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],
         "stop_reason":null,"stop_sequence":null,
         "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}
        """;

    private static void AssertFrames(List<SseFrame> actual, params (string Event, string Json)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Event), actual.Select(a => a.Event));
        for (var i = 0; i < expected.Length; i++)
        {
            OpenAIEdgeResponseWriterTests.AssertJson(expected[i].Json, actual[i].Data);
            // Every event's data carries a type equal to its event name.
            Assert.Contains($"\"type\":\"{expected[i].Event}\"", actual[i].DataText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stream_ThinkingTextToolUseAndUsage_WritesExactEvents()
    {
        var writer = new AnthropicEdgeStreamWriter("claude-haiku-4-5", "msg_9", estimatedInputTokens: 12);
        var frames = new List<SseFrame>(writer.Start());
        ChatResponseUpdate[] updates =
        [
            new(ChatRole.Assistant, [new TextReasoningContent("Hmm")]),
            new(null, [new TextReasoningContent("") { ProtectedData = "sig==" }]),
            new(null, "Hel"),
            new(null, "lo"),
            new(null, [new FunctionCallContent("toolu_01", "get_weather", OpenAIEdgeResponseWriterTests.Args("""{"city":"Paris"}"""))]),
            new(null, [new UsageContent(new UsageDetails
            {
                InputTokenCount = 377, CachedInputTokenCount = 100, OutputTokenCount = 65,
                AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = 7 },
            })]) { FinishReason = ChatFinishReason.ToolCalls },
        ];
        foreach (var update in updates)
        {
            frames.AddRange(writer.OnUpdate(update));
        }

        frames.AddRange(writer.Complete(null));

        AssertFrames(frames,
            ("message_start", MessageStart),
            ("ping", """{"type":"ping"}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig=="}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hel"}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"lo"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            ("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","caller":{"type":"direct"},"input":{}}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":2}"""),
            ("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
                 "usage":{"input_tokens":270,"cache_creation_input_tokens":7,"cache_read_input_tokens":100,"output_tokens":65}}
                """),
            ("message_stop", """{"type":"message_stop"}"""));
    }

    [Fact]
    public void Stream_TextOnly_EndsWithEndTurnAndMessageStop()
    {
        var writer = new AnthropicEdgeStreamWriter("claude-haiku-4-5", "msg_9", 12);
        var frames = new List<SseFrame>(writer.Start());
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Hi")));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(null, "") { FinishReason = ChatFinishReason.Stop }));
        frames.AddRange(writer.Complete(new UsageDetails { InputTokenCount = 11, OutputTokenCount = 5 }));

        AssertFrames(frames,
            ("message_start", MessageStart),
            ("ping", """{"type":"ping"}"""),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"""),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                 "usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}
                """),
            ("message_stop", """{"type":"message_stop"}"""));
    }

    [Fact]
    public void OnUpdate_BeforeStart_StartsTheMessageOnce()
    {
        var writer = new AnthropicEdgeStreamWriter("m", "id", 0);

        var first = writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "a")).Select(f => f.Event).ToList();

        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta"], first);
        Assert.Empty(writer.Start());
    }

    [Fact]
    public void Complete_UnknownUsage_WritesZeroOutputTokens()
    {
        var writer = new AnthropicEdgeStreamWriter("m", "id", 3);
        _ = writer.Start().ToList();

        var frames = writer.Complete(null).ToList();

        Assert.Equal(["message_delta", "message_stop"], frames.Select(f => f.Event));
        OpenAIEdgeResponseWriterTests.AssertJson(
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":0}}""", frames[0].Data);
    }

    [Fact]
    public void Error_IsAnErrorEvent()
    {
        var frame = AnthropicEdgeStreamWriter.Error("overloaded_error", "Overloaded");

        Assert.Equal("error", frame.Event);
        OpenAIEdgeResponseWriterTests.AssertJson("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", frame.Data);
    }
}
