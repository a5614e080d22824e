using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Pricing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Gateway;

public sealed class OpenAIEdgeResponseWriterTests
{
    internal static void AssertJson(string expected, byte[] actual)
    {
        var text = Encoding.UTF8.GetString(actual);
        Assert.True(Fixture.JsonEquals(expected, text), $"Expected:\n{expected}\nActual:\n{text}");
    }

    internal static Dictionary<string, object?> Args(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
    }

    [Fact]
    public void WriteResponse_Text_WritesChatCompletion()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello! How can I assist you today?"))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 11, OutputTokenCount = 9, TotalTokenCount = 20 },
        };

        AssertJson("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1770950813,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":11,"completion_tokens":9,"total_tokens":20,
                      "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},
             "system_fingerprint":null}
            """, OpenAIEdgeResponseWriter.WriteResponse(response, "gpt-4o-mini", "chatcmpl-1", 1770950813));
    }

    [Fact]
    public void WriteResponse_ToolCalls_WritesArgumentsAsJsonTextAndNullContent()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("call_1", "get_weather", Args("""{"city":"Paris","days":2}""")),
            new FunctionCallContent("call_2", "now", new Dictionary<string, object?> { ["utc"] = true, ["tz"] = "CET", ["n"] = 1.5 }),
        ]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
        };

        AssertJson("""
            {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4.1",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":2}"}},
                {"id":"call_2","type":"function","function":{"name":"now","arguments":"{\"utc\":true,\"tz\":\"CET\",\"n\":1.5}"}}]},
                "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0,
                      "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},
             "system_fingerprint":null}
            """, OpenAIEdgeResponseWriter.WriteResponse(response, "gpt-4.1", "chatcmpl-2", 1));
    }

    [Fact]
    public void WriteResponse_CachedAndReasoningUsage_KeepsCanonicalTotals()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = 1000, CachedInputTokenCount = 600, OutputTokenCount = 300, ReasoningTokenCount = 200, TotalTokenCount = 1300,
            AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = 100 },
        };
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = usage };

        var json = JsonDocument.Parse(OpenAIEdgeResponseWriter.WriteResponse(response, "m", "id", 1)).RootElement;

        AssertJson("""
            {"prompt_tokens":1000,"completion_tokens":300,"total_tokens":1300,
             "prompt_tokens_details":{"cached_tokens":600,"cache_write_tokens":100},"completion_tokens_details":{"reasoning_tokens":200}}
            """, Encoding.UTF8.GetBytes(json.GetProperty("usage").GetRawText()));
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("length", "length")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("stop", "stop")]
    public void WriteResponse_FinishReason_IsMapped(string canonical, string wire)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { FinishReason = new ChatFinishReason(canonical) };

        var json = JsonDocument.Parse(OpenAIEdgeResponseWriter.WriteResponse(response, "m", "id", 1)).RootElement;

        Assert.Equal(wire, json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void WriteResponse_ToolCallWithStopReason_SaysToolCalls()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Checking."), new FunctionCallContent("c", "f")]))
        {
            FinishReason = ChatFinishReason.Stop,
        };

        var choice = JsonDocument.Parse(OpenAIEdgeResponseWriter.WriteResponse(response, "m", "id", 1)).RootElement.GetProperty("choices")[0];

        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("Checking.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("{}", choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void WriteError_WritesAllFourKeys()
    {
        AssertJson("""{"error":{"message":"Missing required parameter: 'messages'.","type":"invalid_request_error","param":"messages","code":null}}""",
            OpenAIEdgeResponseWriter.WriteError("Missing required parameter: 'messages'.", "invalid_request_error", null, "messages"));
        AssertJson("""{"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}}""",
            OpenAIEdgeResponseWriter.WriteError("slow down", "requests", "rate_limit_exceeded", null));
    }
}
