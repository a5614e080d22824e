using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>
/// Each agent's own default model, sent the way the agent sends it, to a cold gateway with default configuration (three
/// providers, no aliases, no family patterns): the catalog's current names are routed and priced, newer names of the same
/// family are routed and left unpriced.
/// </summary>
public sealed class AgentDefaultModelTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(string path, JsonObject body, Action<HttpRequestMessage> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        headers(request);
        using var client = _fx.Anonymous();
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return response;
    }

    private void AssertReached(string protocol, string model, bool priced)
    {
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, received.Protocol);
        Assert.Equal(model, received.Model);
        var attempt = Assert.Single(_fx.Attempts);
        Assert.Equal(priced, attempt.Deployment.Info is not null);
        if (priced)
        {
            Assert.True(attempt.CostUsd > 0, $"{model} has a catalog price");
        }
        else
        {
            Assert.Null(attempt.CostUsd); // the unpriced-model rule: no invented price
        }
    }

    [Theory]
    [InlineData("claude-opus-5-5", true)]   // Claude Code's default in December 2026
    [InlineData("claude-haiku-5-5", true)]  // its small model (ANTHROPIC_DEFAULT_HAIKU_MODEL)
    [InlineData("claude-opus-6", false)]    // the next Opus, before any catalog lists it
    public async Task ClaudeCode_DefaultModel_StreamsFromAnthropic(string model, bool priced)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 32000,
            ["stream"] = true,
            ["system"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "You are Claude Code.", ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } }),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say hello" }),
            ["thinking"] = new JsonObject { ["type"] = "adaptive" },
            ["metadata"] = new JsonObject { ["user_id"] = "user-1" },
        };

        var response = await SendAsync("v1/messages?beta=true", body, r =>
        {
            r.Headers.Add("x-api-key", GatewayFixture.MasterKey);
            r.Headers.Add("anthropic-version", "2023-06-01");
            r.Headers.Add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14");
            r.Headers.Add("x-app", "cli");
        });

        var frames = await Sse.ReadAllAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal("message_start", frames[0].Event);
        Assert.Equal("message_stop", frames[^1].Event);
        AssertReached("anthropic", model, priced);
    }

    [Theory]
    [InlineData("gpt-6.2-sol", true)]   // Codex's default since November 2026
    [InlineData("gpt-6.3-sol", false)]
    [InlineData("gpt-7-codex", false)]
    public async Task Codex_DefaultModel_StreamsResponsesFromOpenAI(string model, bool priced)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["instructions"] = "You are Codex.",
            ["input"] = new JsonArray(new JsonObject
            {
                ["type"] = "message",
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = "Say hello" }),
            }),
            ["tool_choice"] = "auto",
            ["parallel_tool_calls"] = true,
            ["reasoning"] = new JsonObject { ["summary"] = "auto" },
            ["store"] = false,
            ["stream"] = true,
            ["include"] = new JsonArray("reasoning.encrypted_content"),
            ["prompt_cache_key"] = "session-1",
        };

        var response = await SendAsync("v1/responses", body, r =>
        {
            r.Headers.Authorization = new("Bearer", GatewayFixture.MasterKey);
            r.Headers.Add("originator", "codex_cli_rs");
            r.Headers.Accept.ParseAdd("text/event-stream");
        });

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var frames = await Sse.ReadAllAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal("response.completed", frames[^1].Event);
        AssertReached("openai", model, priced);
    }

    private static void GoogleKey(HttpRequestMessage request)
    {
        request.Headers.Add("x-goog-api-key", GatewayFixture.MasterKey);
        request.Headers.Add("x-goog-api-client", "google-genai-sdk/1.30.0 gl-node/v22");
    }

    private static JsonObject UserTurn(string text) => new()
    {
        ["contents"] = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) }),
    };

    [Fact]
    public async Task GeminiCli_AutoModelPicker_AsksAFlashLiteModelForJson()
    {
        var body = UserTurn("Pick a model for: fix the failing test");
        body["generationConfig"] = new JsonObject
        {
            ["responseMimeType"] = "application/json",
            ["responseJsonSchema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["model_choice"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("flash", "pro") } },
                ["required"] = new JsonArray("model_choice"),
            },
        };

        var response = await SendAsync("v1beta/models/gemini-3.5-flash-lite:generateContent", body, GoogleKey);

        var text = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["candidates"]![0]!["content"]!["parts"]![0]!["text"];
        Assert.False(string.IsNullOrEmpty(text));
        AssertReached("gemini", "gemini-3.5-flash-lite", priced: true);
        Assert.Contains("model_choice", Assert.Single(_fx.Emulator.Requests).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gemini-3.1-pro-preview", true)] // the pro model the picker chooses in December 2026
    [InlineData("gemini-3.8-flash", true)]
    [InlineData("gemini-3.9-pro-preview", false)]
    public async Task GeminiCli_ChosenModel_StreamsFromGemini(string model, bool priced)
    {
        var response = await SendAsync($"v1beta/models/{model}:streamGenerateContent?alt=sse", UserTurn("Say hello"), GoogleKey);

        var frames = await Sse.ReadAllAsync(response, TestContext.Current.CancellationToken);
        Assert.NotEmpty(frames);
        Assert.Equal("STOP", (string?)JsonNode.Parse(frames[^1].Data)!["candidates"]![0]!["finishReason"]);
        AssertReached("gemini", model, priced);
    }

    [Fact]
    public async Task GeminiCli_ModelAuto_IsTheGatewaysAutoRoute()
    {
        var response = await SendAsync("v1beta/models/auto:streamGenerateContent?alt=sse", UserTurn("Say hello"), GoogleKey);

        var frames = await Sse.ReadAllAsync(response, TestContext.Current.CancellationToken);
        Assert.Equal("STOP", (string?)JsonNode.Parse(frames[^1].Data)!["candidates"]![0]!["finishReason"]);
        var attempt = Assert.Single(_fx.Attempts);
        Assert.Equal("auto", attempt.Route);
        Assert.NotNull(attempt.Deployment.Info);
    }
}
