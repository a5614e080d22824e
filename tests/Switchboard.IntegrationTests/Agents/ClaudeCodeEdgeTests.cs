using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>Claude Code's requests (raw, as it sends them) through <c>/v1/messages?beta=true</c> to each emulated provider.</summary>
public sealed class ClaudeCodeEdgeTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<(HttpResponseMessage Response, EmulatorRequest Received)> SendAsync(JsonObject body, string version = "2023-06-01")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages?beta=true")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = null;
        request.Headers.Add("x-api-key", GatewayFixture.MasterKey);
        request.Headers.Add("anthropic-version", version);
        request.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27");
        request.Headers.Add("x-app", "cli");
        using var anonymous = _fx.Anonymous();
        var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (response, Assert.Single(_fx.Emulator.Requests));
    }

    private static async Task AssertCompleteStreamAsync(HttpResponseMessage response)
    {
        var frames = await Sse.ReadAllAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal("message_start", frames[0].Event);
        Assert.Equal("message_stop", frames[^1].Event);
    }

    [Fact]
    public async Task ToolLoopWithImageResult_ToAnthropic_KeepsTheImageInsideTheToolResult()
    {
        var (response, received) = await SendAsync(ClaudeCodeRequests.ToolLoop("anthropic/claude-sonnet-4-6"));
        await AssertCompleteStreamAsync(response);

        Assert.Equal("anthropic", received.Protocol);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Contains(ClaudeCodeRequests.InMessagesSystemText, body["system"]!.ToJsonString(), StringComparison.Ordinal);
        var messages = body["messages"]!.AsArray();
        Assert.DoesNotContain(messages, m => (string?)m!["role"] == "system");
        var result = messages.SelectMany(m => m!["content"]!.AsArray()).Single(b => (string?)b!["type"] == "tool_result")!;
        Assert.Equal("toolu_01", (string?)result["tool_use_id"]);
        var inner = result["content"]!.AsArray();
        Assert.Contains(inner, b => (string?)b!["type"] == "text" && ((string?)b["text"])!.Contains("Image read.", StringComparison.Ordinal));
        Assert.Contains(inner, b => (string?)b!["type"] == "text" && ((string?)b["text"])!.Contains("WebFetch", StringComparison.Ordinal));
        var image = Assert.Single(inner, b => (string?)b!["type"] == "image")!;
        Assert.Equal(ClaudeCodeRequests.Png, (string?)image["source"]!["data"]);
        Assert.Single(inner, b => (string?)b!["type"] == "document");
        // Thinking blocks and their signatures survive for the provider that can verify them.
        Assert.Contains("EqQBCkYIBxgCKkBsig", received.Body, StringComparison.Ordinal);
        Assert.Contains("EmwKAhgBEgy3redacted", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToAnthropic_ANewerAnthropicVersion_IsForwardedAsSent_ToOthersNever()
    {
        // A client newer than Switchboard sends a version it does not know: an Anthropic upstream receives it byte for byte.
        var (response, received) = await SendAsync(ClaudeCodeRequests.ToolLoop("anthropic/claude-sonnet-4-6"), version: "2027-01-15");
        await AssertCompleteStreamAsync(response);
        Assert.Equal("2027-01-15", received.Headers["anthropic-version"]);

        _fx.Emulator.ResetCounters();
        var (toOpenAI, atOpenAI) = await SendAsync(ClaudeCodeRequests.ToolLoop("openai/gpt-4.1"), version: "2027-01-15");
        await AssertCompleteStreamAsync(toOpenAI);
        Assert.False(atOpenAI.Headers.ContainsKey("anthropic-version"));
        Assert.False(atOpenAI.Headers.ContainsKey("anthropic-beta"));
    }

    [Fact]
    public async Task ToAnthropic_BetaHeader_CacheMarks_ToolsAndUnknownFields_PassThrough()
    {
        var (response, received) = await SendAsync(ClaudeCodeRequests.ToolLoop("anthropic/claude-sonnet-4-6"));
        await AssertCompleteStreamAsync(response);

        Assert.Equal("claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27", received.Headers["anthropic-beta"]);
        Assert.Equal("2023-06-01", received.Headers["anthropic-version"]);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        var sent = ClaudeCodeRequests.ToolLoop("anthropic/claude-sonnet-4-6");

        // System blocks stay blocks, with their marks (the in-messages system text joins them, unmarked).
        var system = body["system"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(sent["system"]![0], system[0]), system.ToJsonString());
        Assert.True(JsonNode.DeepEquals(sent["system"]![1], system[1]), system.ToJsonString());
        // Tools go as sent: defer_loading and cache_control included.
        Assert.True(JsonNode.DeepEquals(sent["tools"], body["tools"]), body["tools"]!.ToJsonString());
        foreach (var field in new[] { "context_management", "output_config", "metadata", "some_future_field", "thinking" })
        {
            Assert.True(JsonNode.DeepEquals(sent[field], body[field]), $"{field}: {body[field]?.ToJsonString()}");
        }

        // Marks on message blocks, on the image inside the tool result included.
        var blocks = body["messages"]!.AsArray().SelectMany(m => m!["content"]!.AsArray()).ToList();
        var marked = blocks.Single(b => (string?)b!["text"] == "What is in screenshot.png?")!;
        Assert.Equal("ephemeral", (string?)marked["cache_control"]!["type"]);
        var image = blocks.Single(b => (string?)b!["type"] == "tool_result")!["content"]!.AsArray().Single(b => (string?)b!["type"] == "image")!;
        Assert.Equal("ephemeral", (string?)image["cache_control"]!["type"]);
    }

    [Fact]
    public async Task ToolLoopWithImageResult_ToOpenAI_ToolMessageThenUserImage_NoAnthropicFields()
    {
        var (response, received) = await SendAsync(ClaudeCodeRequests.ToolLoop("openai/gpt-4.1"));
        await AssertCompleteStreamAsync(response);

        Assert.Equal("openai", received.Protocol);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        foreach (var anthropicOnly in new[] { "thinking", "context_management", "output_config", "some_future_field", "system", "metadata" })
        {
            Assert.False(body.ContainsKey(anthropicOnly), $"'{anthropicOnly}' was sent to OpenAI: {received.Body}");
        }

        Assert.DoesNotContain("cache_control", received.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("defer_loading", received.Body, StringComparison.Ordinal);
        var messages = body["messages"]!.AsArray().Select(m => m!.AsObject()).ToList();
        Assert.Contains(messages, m => (string?)m["role"] == "system" && m["content"]!.ToJsonString().Contains(ClaudeCodeRequests.InMessagesSystemText, StringComparison.Ordinal));
        var tool = messages.FindIndex(m => (string?)m["role"] == "tool");
        Assert.True(tool > 0, received.Body);
        Assert.Equal("assistant", (string?)messages[tool - 1]["role"]);
        Assert.Equal("toolu_01", (string?)messages[tool]["tool_call_id"]);
        Assert.Contains("Image read.", (string?)messages[tool]["content"], StringComparison.Ordinal);
        var after = messages[tool + 1];
        Assert.Equal("user", (string?)after["role"]);
        var parts = after["content"]!.AsArray();
        Assert.Contains(parts, p => (string?)p!["type"] == "image_url"
            && ((string?)p["image_url"]!["url"])!.StartsWith("data:image/png;base64," + ClaudeCodeRequests.Png[..20], StringComparison.Ordinal));
        Assert.Contains(parts, p => (string?)p!["type"] == "file");
        Assert.Contains(parts, p => (string?)p!["type"] == "text" && (string?)p["text"] == "Describe it.");
    }

    [Fact]
    public async Task ToolLoopWithImageResult_ToGemini_FunctionResponseAndInlineData()
    {
        var (response, received) = await SendAsync(ClaudeCodeRequests.ToolLoop("gemini/gemini-2.5-pro"));
        await AssertCompleteStreamAsync(response);

        Assert.Equal("gemini", received.Protocol);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Contains(ClaudeCodeRequests.InMessagesSystemText, body["systemInstruction"]!.ToJsonString(), StringComparison.Ordinal);
        foreach (var anthropicOnly in new[] { "thinking", "context_management", "output_config", "some_future_field", "metadata" })
        {
            Assert.False(body.ContainsKey(anthropicOnly), $"'{anthropicOnly}' was sent to Gemini: {received.Body}");
        }

        Assert.DoesNotContain("cache_control", received.Body, StringComparison.Ordinal);
        var parts = body["contents"]!.AsArray().Where(c => (string?)c!["role"] == "user").SelectMany(c => c!["parts"]!.AsArray()).ToList();
        var answer = parts.FindIndex(p => p!.AsObject().ContainsKey("functionResponse"));
        Assert.True(answer >= 0, received.Body);
        Assert.Contains("Image read.", parts[answer]!["functionResponse"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(parts.Skip(answer), p => (string?)p!["inlineData"]?["mimeType"] == "image/png" && (string?)p["inlineData"]!["data"] == ClaudeCodeRequests.Png);
    }

    [Fact]
    public async Task NonStreaming_ClaudeCodeShape_ToEachProvider_Answers()
    {
        foreach (var model in new[] { "anthropic/claude-sonnet-4-6", "openai/gpt-4.1", "gemini/gemini-2.5-flash" })
        {
            _fx.Emulator.ResetCounters();
            var (response, _) = await SendAsync(ClaudeCodeRequests.ToolLoop(model, stream: false));
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("message", answer.RootElement.GetProperty("type").GetString());
        }
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4-6", true)]
    [InlineData("openai/gpt-4.1", false)]
    [InlineData("gemini/gemini-2.5-flash", false)]
    public async Task ServerTool_ReachesAnthropicAsSent_AndIsDroppedElsewhere(string model, bool kept)
    {
        var body = ClaudeCodeRequests.ToolLoop(model, stream: false);
        body["tools"]!.AsArray().Add(new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search", ["max_uses"] = 5 });

        var (_, received) = await SendAsync(body);

        Assert.Equal(kept, received.Body.Contains("web_search_20250305", StringComparison.Ordinal));
        Assert.Contains("\"Read\"", received.Body, StringComparison.Ordinal); // the custom tools go everywhere
    }

    [Theory]
    [InlineData("""{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]}]}]}""", "data")]
    [InlineData("""{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"system","content":[{"type":"image","source":{"type":"url","url":"https://x.test/a.png"}}]}]}""", "type")]
    [InlineData("""{"model":"claude-sonnet-4-6","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"tool_reference"}]}]}]}""", "tool_name")]
    public async Task BadBlocks_Are400_InAnthropicShape(string json, string mentioned)
    {
        var response = await _fx.Http.PostAsync("v1/messages", new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(text);
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentioned, text, StringComparison.Ordinal);
        Assert.Empty(_fx.Emulator.Requests);
    }
}
