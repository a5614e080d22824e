using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges.Anthropic;
using Switchboard.Pricing;

namespace Switchboard.Tests.Gateway;

public sealed class AnthropicEdgeResponseWriterTests
{
    private static void AssertJson(string expected, byte[] actual) => OpenAIEdgeResponseWriterTests.AssertJson(expected, actual);

    [Fact]
    public void WriteResponse_Text_WritesMessage()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Hello"), new TextContent(" there!")]))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = 5 },
        };

        AssertJson("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5",
             "content":[{"type":"text","text":"Hello there!"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":11,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}
            """, AnthropicEdgeResponseWriter.WriteResponse(response, "claude-haiku-4-5", "msg_1"));
    }

    [Fact]
    public void WriteResponse_ThinkingTextAndToolUse_WritesBlocksInOrder()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new TextReasoningContent("Need weather.") { ProtectedData = "sig==" },
            new TextContent("I'll check."),
            new FunctionCallContent("toolu_01", "get_weather", OpenAIEdgeResponseWriterTests.Args("""{"city":"Paris","opts":{"units":"C"}}""")),
            new TextReasoningContent("") { ProtectedData = "opaque" },
        ]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 377, OutputTokenCount = 65 },
        };

        AssertJson("""
            {"id":"msg_2","type":"message","role":"assistant","model":"claude-haiku-4-5",
             "content":[{"type":"thinking","thinking":"Need weather.","signature":"sig=="},
                        {"type":"text","text":"I'll check."},
                        {"type":"tool_use","id":"toolu_01","name":"get_weather","caller":{"type":"direct"},"input":{"city":"Paris","opts":{"units":"C"}}},
                        {"type":"redacted_thinking","data":"opaque"}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":65}}
            """, AnthropicEdgeResponseWriter.WriteResponse(response, "claude-haiku-4-5", "msg_2"));
    }

    [Fact]
    public void WriteResponse_CachedUsage_SubtractsCacheReadsAndWritesFromInput()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = 1000, CachedInputTokenCount = 600, OutputTokenCount = 300, ReasoningTokenCount = 200,
            AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = 100 },
        };
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = usage };

        var json = JsonDocument.Parse(AnthropicEdgeResponseWriter.WriteResponse(response, "m", "id")).RootElement;

        Assert.True(Switchboard.Tests.TestSupport.Fixture.JsonEquals(
            """{"input_tokens":300,"cache_creation_input_tokens":100,"cache_read_input_tokens":600,"output_tokens":300}""",
            json.GetProperty("usage").GetRawText()), json.GetProperty("usage").GetRawText());
    }

    [Theory]
    [InlineData("stop", false, "end_turn")]
    [InlineData("length", false, "max_tokens")]
    [InlineData("tool_calls", true, "tool_use")]
    [InlineData("content_filter", false, "refusal")]
    [InlineData(null, false, "end_turn")]
    [InlineData(null, true, "tool_use")]
    [InlineData("stop", true, "tool_use")]
    public void StopReason_IsMapped(string? canonical, bool hasToolCalls, string wire)
    {
        Assert.Equal(wire, AnthropicEdgeWire.StopReason(canonical is null ? null : new ChatFinishReason(canonical), hasToolCalls));
    }

    [Fact]
    public void WriteError_WritesTypedError()
    {
        AssertJson("""{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}""",
            AnthropicEdgeResponseWriter.WriteError("invalid_request_error", "max_tokens: Field required"));
    }
}
