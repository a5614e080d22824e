using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary><c>call-tool[=NAME]</c>: a tool call on <c>tool_choice: auto</c>, in each provider's format, so tool loops run end to end.</summary>
public sealed class ToolCallOnAutoTests
{
    private const string OpenAITools = """
        {"tools":[{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}},
                  {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
         "tool_choice":"auto"}
        """;

    private const string AnthropicTools = """
        {"tools":[{"name":"get_time","input_schema":{"type":"object","properties":{}}},
                  {"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
         "tool_choice":{"type":"auto"}}
        """;

    private const string GeminiTools = """
        {"tools":[{"functionDeclarations":[{"name":"get_time","parameters":{"type":"object","properties":{}}},
                  {"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],
         "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}}}
        """;

    /// <summary>The request body with the tool fields of <paramref name="tools"/> added.</summary>
    private static string With(string body, string tools, bool? stream = null)
    {
        var result = Json(body);
        foreach (var (name, value) in Json(tools))
        {
            result[name] = value?.DeepClone();
        }

        if (stream is { } s)
        {
            result["stream"] = s;
        }

        return result.ToJsonString();
    }

    private static string OpenAIBody(bool stream) =>
        With("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather in Paris?"}]}""", OpenAITools, stream);

    private static string AnthropicBody(bool stream) =>
        With("""{"model":"claude-sonnet-4-6","max_tokens":256,"messages":[{"role":"user","content":"Weather in Paris?"}]}""", AnthropicTools, stream);

    private static readonly string s_geminiBody = With("""{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}]}""", GeminiTools);

    private static async Task<(HttpStatusCode Status, string Body)> Send(string path, string body, string? fault)
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var (response, text) = await SendAsync(http, Post(path, body, fault), cts.Token);
        return (response.StatusCode, text);
    }

    [Fact]
    public async Task OpenAI_AutoChoice_WithoutCallTool_AnswersWithText()
    {
        var (_, body) = await Send("v1/chat/completions", OpenAIBody(false), null);

        Assert.Equal("stop", (string?)Json(body)["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task OpenAI_CallTool_AutoChoice_CallsTheFirstTool()
    {
        var (status, body) = await Send("v1/chat/completions", OpenAIBody(false), "call-tool");

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = Json(body)["choices"]![0]!;
        Assert.Equal("tool_calls", (string?)choice["finish_reason"]);
        Assert.Equal("get_time", (string?)choice["message"]!["tool_calls"]![0]!["function"]!["name"]);
    }

    [Fact]
    public async Task OpenAI_CallToolNamed_Streaming_StreamsThatToolsCallWithValidArguments()
    {
        var (_, body) = await Send("v1/chat/completions", OpenAIBody(true), "call-tool=get_weather");

        var deltas = DataEvents(body).Where(e => e["choices"] is JsonArray { Count: > 0 }).Select(e => e["choices"]![0]!).ToList();
        var calls = deltas.Select(d => d["delta"]?["tool_calls"]?[0]).OfType<JsonNode>().ToList();
        Assert.Equal("get_weather", (string?)calls[0]["function"]!["name"]);
        var arguments = string.Concat(calls.Select(c => (string?)c["function"]?["arguments"]));
        Assert.Equal("emulated", (string?)JsonNode.Parse(arguments)!["city"]);
        Assert.Equal("tool_calls", (string?)deltas[^1]["finish_reason"]);
        Assert.Contains("data: [DONE]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anthropic_CallToolNamed_AutoChoice_ReturnsToolUse()
    {
        var (_, body) = await Send("v1/messages", AnthropicBody(false), "call-tool=get_weather");

        var message = Json(body);
        Assert.Equal("tool_use", (string?)message["stop_reason"]);
        Assert.Equal("get_weather", (string?)message["content"]![0]!["name"]);
        Assert.Equal("emulated", (string?)message["content"]![0]!["input"]!["city"]);
    }

    [Fact]
    public async Task Anthropic_CallTool_Streaming_StreamsAToolUseBlock()
    {
        var (_, body) = await Send("v1/messages", AnthropicBody(true), "call-tool");

        Assert.Contains("\"tool_use\"", body, StringComparison.Ordinal);
        Assert.Contains("input_json_delta", body, StringComparison.Ordinal);
        Assert.Equal("message_stop", EventNames(body)[^1]);
        Assert.Contains(DataEvents(body), e => (string?)e["delta"]?["stop_reason"] == "tool_use");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gemini_CallToolNamed_AutoMode_ReturnsAFunctionCall(bool stream)
    {
        var (_, body) = await Send(stream ? GeminiStreamPath : GeminiGenerate, s_geminiBody, "call-tool=get_weather");

        var reply = stream ? DataEvents(body)[^1] : Json(body);
        var call = reply["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.Equal("get_weather", (string?)call["name"]);
        Assert.Equal("emulated", (string?)call["args"]!["city"]);
    }

    [Fact]
    public async Task CallTool_AfterAToolResult_AnswersWithText_SoTheLoopEnds()
    {
        var loop = With("""
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18 degrees"}]}
            """, OpenAITools);

        var (_, body) = await Send("v1/chat/completions", loop, "call-tool=get_weather");

        var choice = Json(body)["choices"]![0]!;
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Contains("received tool result \"call_1: 18 degrees\"", (string?)choice["message"]!["content"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallTool_NoToolsOffered_AnswersWithText()
    {
        var (status, body) = await Send("v1/chat/completions", OpenAIChat, "call-tool");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stop", (string?)Json(body)["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task CallToolNamed_ToolNotOffered_Is400NamingTheOfferedTools()
    {
        var (status, body) = await Send("v1/messages", AnthropicBody(false), "call-tool=get_stock");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = (string?)Json(body)["error"]!["message"];
        Assert.Contains("get_stock", message, StringComparison.Ordinal);
        Assert.Contains("get_time, get_weather", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallTool_CombinesWithAWindow_OnlyInsideIt()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = time, Fault = "call-tool;for-ms=100" }, cts.Token);
        using var http = Client(host.BaseUrl);

        var (_, first) = await SendAsync(http, Post("v1/chat/completions", OpenAIBody(false)), cts.Token);
        time.Advance(TimeSpan.FromMilliseconds(100));
        var (_, second) = await SendAsync(http, Post("v1/chat/completions", OpenAIBody(false)), cts.Token);

        Assert.Equal("tool_calls", (string?)Json(first)["choices"]![0]!["finish_reason"]);
        Assert.Equal("stop", (string?)Json(second)["choices"]![0]!["finish_reason"]);
    }
}
