using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>Gemini-CLI-shaped requests (AGENTS.md) through the Gemini edge to each emulated provider.</summary>
public sealed class GeminiEdgeTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    // The emulator calls an offered tool even on tool_choice auto, as a model in an agent loop does.
    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(emulatorOptions: new EmulatorOptions { Fault = "call-tool" });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static JsonObject ReadFileTool() => new()
    {
        ["functionDeclarations"] = new JsonArray(new JsonObject
        {
            ["name"] = "read_file",
            ["description"] = "Reads a file.",
            ["parametersJsonSchema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["absolute_path"] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray("absolute_path"),
            },
        }, new JsonObject
        {
            ["name"] = "list_directory",
            ["description"] = "Lists a directory.",
            ["parameters"] = new JsonObject
            {
                ["type"] = "OBJECT",
                ["properties"] = new JsonObject { ["path"] = new JsonObject { ["type"] = "STRING" } },
            },
        }),
    };

    private static JsonObject Turn(JsonArray contents) => new()
    {
        ["contents"] = contents,
        ["systemInstruction"] = new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = "You are an interactive CLI agent." }) },
        ["tools"] = new JsonArray(ReadFileTool()),
        ["generationConfig"] = new JsonObject
        {
            ["temperature"] = 0,
            ["topP"] = 0.95,
            ["topK"] = 64,
            ["thinkingConfig"] = new JsonObject { ["includeThoughts"] = true, ["thinkingBudget"] = 8192 },
        },
    };

    private static JsonObject UserText(string text) => new() { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) };

    private async Task<HttpResponseMessage> PostAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-goog-api-key", GatewayFixture.MasterKey);
        request.Headers.Add("x-goog-api-client", "google-genai-sdk/1.30.0 gl-node/v22");
        using var client = _fx.Anonymous();
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        return response;
    }

    [Theory]
    [InlineData("gemini-3-pro-preview", "gemini")]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic")]
    [InlineData("openai/gpt-4.1", "openai")]
    public async Task StreamedToolCall_ThenFunctionResponse_RoundTrip(string model, string protocol)
    {
        var first = await PostAsync($"v1beta/models/{model}:streamGenerateContent?alt=sse", Turn(new JsonArray(UserText("Read /repo/README.md"))));
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
        var raw = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("event:", raw, StringComparison.Ordinal);
        var frames = await Sse.ReadAllAsync(first, TestContext.Current.CancellationToken);
        var chunks = frames.Select(f => JsonNode.Parse(f.Data)!).ToList();
        Assert.All(chunks, c => Assert.NotNull(c["candidates"]));
        var call = chunks.SelectMany(c => c["candidates"]![0]!["content"]!["parts"]!.AsArray()).Select(p => p!["functionCall"]).Single(c => c is not null)!;
        Assert.Contains((string?)call["name"], new[] { "read_file", "list_directory" });
        Assert.Equal(JsonValueKind.Object, call["args"]!.GetValueKind());
        var last = chunks[^1];
        Assert.Equal("STOP", (string?)last["candidates"]![0]!["finishReason"]);
        Assert.True((int)last["usageMetadata"]!["totalTokenCount"]! > 0);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, received.Protocol);
        Assert.Contains("You are an interactive CLI agent.", received.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("OBJECT", received.Body, StringComparison.Ordinal); // OpenAPI type names became JSON Schema ones

        // Turn 2, as Gemini CLI sends it: the model turn with the call (and a signature), then the function's response.
        _fx.Emulator.ResetCounters();
        var name = (string)call["name"]!;
        var id = (string?)call["id"];
        var callPart = new JsonObject { ["functionCall"] = call.DeepClone(), ["thoughtSignature"] = "c2lnbmF0dXJl" };
        var responsePart = new JsonObject
        {
            ["functionResponse"] = new JsonObject { ["id"] = id, ["name"] = name, ["response"] = new JsonObject { ["output"] = "# Switchboard readme text" } },
        };
        var second = await PostAsync($"v1beta/models/{model}:generateContent", Turn(new JsonArray(
            UserText("Read /repo/README.md"),
            new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(callPart) },
            new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(responsePart) })));
        var text = await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(second.StatusCode == HttpStatusCode.OK, text);
        var answer = JsonNode.Parse(text)!;
        Assert.NotNull(answer["candidates"]![0]!["content"]!["parts"]);
        Assert.True((int)answer["usageMetadata"]!["promptTokenCount"]! > 0);

        var upstream = JsonNode.Parse(Assert.Single(_fx.Emulator.Requests).Body)!;
        switch (protocol)
        {
            case "openai":
                var tool = upstream["messages"]!.AsArray().Single(m => (string?)m!["role"] == "tool")!;
                var assistant = upstream["messages"]!.AsArray().Single(m => m!["tool_calls"] is not null)!;
                Assert.Equal((string?)assistant["tool_calls"]![0]!["id"], (string?)tool["tool_call_id"]);
                Assert.Equal("# Switchboard readme text", (string?)tool["content"]);
                break;
            case "anthropic":
                var blocks = upstream["messages"]!.AsArray().SelectMany(m => m!["content"]!.AsArray()).ToList();
                var use = blocks.Single(b => (string?)b!["type"] == "tool_use")!;
                var result = blocks.Single(b => (string?)b!["type"] == "tool_result")!;
                Assert.Equal((string?)use["id"], (string?)result["tool_use_id"]);
                Assert.Contains("# Switchboard readme text", result["content"]!.ToJsonString(), StringComparison.Ordinal);
                break;
            default:
                var parts = upstream["contents"]!.AsArray().SelectMany(c => c!["parts"]!.AsArray()).ToList();
                var echoed = parts.Single(p => p!["functionCall"] is not null)!;
                Assert.Equal("c2lnbmF0dXJl", (string?)echoed["thoughtSignature"]);
                Assert.Equal(name, (string?)parts.Single(p => p!["functionResponse"] is not null)!["functionResponse"]!["name"]);
                break;
        }
    }

    // The other half of "streaming and not": the call comes back from :generateContent, the function's answer is streamed.
    [Theory]
    [InlineData("gemini-3.1-pro-preview", "gemini")]
    [InlineData("anthropic/claude-sonnet-4-6", "anthropic")]
    [InlineData("openai/gpt-4.1", "openai")]
    public async Task ToolCall_ThenStreamedFunctionResponse_RoundTrip(string model, string protocol)
    {
        var first = await PostAsync($"v1beta/models/{model}:generateContent", Turn(new JsonArray(UserText("Read /repo/README.md"))));
        var firstText = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstText);
        var parts = JsonNode.Parse(firstText)!["candidates"]![0]!["content"]!["parts"]!.AsArray();
        var call = parts.Select(p => p!["functionCall"]).Single(c => c is not null)!;
        Assert.Contains((string?)call["name"], new[] { "read_file", "list_directory" });
        Assert.Equal(protocol, Assert.Single(_fx.Emulator.Requests).Protocol);

        _fx.Emulator.ResetCounters();
        var responsePart = new JsonObject
        {
            ["functionResponse"] = new JsonObject { ["id"] = (string?)call["id"], ["name"] = (string)call["name"]!, ["response"] = new JsonObject { ["output"] = "# Switchboard readme text" } },
        };
        var second = await PostAsync($"v1beta/models/{model}:streamGenerateContent?alt=sse", Turn(new JsonArray(
            UserText("Read /repo/README.md"),
            new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(new JsonObject { ["functionCall"] = call.DeepClone(), ["thoughtSignature"] = "c2lnbmF0dXJl" }) },
            new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(responsePart) })));

        Assert.True(second.StatusCode == HttpStatusCode.OK, await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("text/event-stream", second.Content.Headers.ContentType?.MediaType);
        var chunks = (await Sse.ReadAllAsync(second, TestContext.Current.CancellationToken)).Select(f => JsonNode.Parse(f.Data)!).ToList();
        Assert.Equal("STOP", (string?)chunks[^1]["candidates"]![0]!["finishReason"]);
        Assert.True((int)chunks[^1]["usageMetadata"]!["promptTokenCount"]! > 0);
        var upstream = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, upstream.Protocol);
        Assert.Contains("# Switchboard readme text", upstream.Body, StringComparison.Ordinal);
        Assert.Equal(protocol == "gemini", upstream.Body.Contains("c2lnbmF0dXJl", StringComparison.Ordinal)); // signatures only to Gemini
    }

    [Theory]
    [InlineData("gemini-2.5-flash", "gemini")]
    [InlineData("anthropic/claude-haiku-4-5", "anthropic")]
    [InlineData("openai/gpt-4.1-mini", "openai")]
    public async Task ModelRouterCall_JsonSchemaOutput_NonStreaming(string model, string protocol)
    {
        var body = new JsonObject
        {
            ["contents"] = new JsonArray(UserText("Pick a model for: fix the failing test")),
            ["generationConfig"] = new JsonObject
            {
                ["temperature"] = 0,
                ["maxOutputTokens"] = 1024,
                ["responseMimeType"] = "application/json",
                ["responseJsonSchema"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["model_choice"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("flash", "pro") } },
                    ["required"] = new JsonArray("model_choice"),
                },
            },
        };

        var response = await PostAsync($"v1/models/{model}:generateContent", body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.NotNull(JsonNode.Parse(text)!["candidates"]![0]!["content"]!["parts"]![0]!["text"]);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, received.Protocol);
        Assert.Contains("model_choice", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokens_AndModelList_WithQueryKey()
    {
        using var client = _fx.Anonymous();
        var count = await client.PostAsync($"v1beta/models/gemini-2.5-pro:countTokens?key={GatewayFixture.MasterKey}",
            new StringContent("""{"contents":[{"role":"user","parts":[{"text":"How many tokens is this sentence?"}]}]}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        var countText = await count.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(count.StatusCode == HttpStatusCode.OK, countText);
        Assert.InRange(JsonNode.Parse(countText)!["totalTokens"]!.GetValue<long>(), 5, 40);

        var list = await client.GetAsync($"v1beta/models?key={GatewayFixture.MasterKey}", TestContext.Current.CancellationToken);
        var models = JsonNode.Parse(await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["models"]!.AsArray();
        Assert.Contains(models, m => (string?)m!["name"] == "models/gemini-2.5-pro");
        Assert.Contains(models, m => (string?)m!["name"] == "models/smart");
        var counted = Assert.Single(_fx.Emulator.Requests); // Gemini's own count; the list is the gateway's
        Assert.Equal("/v1beta/models/gemini-2.5-pro:countTokens", counted.Path);
    }

    [Fact]
    public async Task QueryKey_OpensModelEndpointsOnly_NeverTheAdminApi()
    {
        using var client = _fx.Anonymous();

        var admin = await client.GetAsync($"admin/keys?key={GatewayFixture.MasterKey}", TestContext.Current.CancellationToken);
        var models = await client.GetAsync($"v1beta/models?key={GatewayFixture.MasterKey}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Theory]
    [InlineData("v1beta/models/gemini-2.5-pro:generateContent", "{\"contents\":[]}", null, 400, "INVALID_ARGUMENT")]
    [InlineData("v1beta/models/gemini-2.5-pro:generateContent", "{\"contents\":[{\"parts\":[{\"text\":1}]}]}", null, 400, "INVALID_ARGUMENT")]
    [InlineData("v1beta/models/gemini-2.5-pro:generateContent", "{not json", null, 400, "INVALID_ARGUMENT")]
    [InlineData("v1beta/models/no-such-model:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", null, 404, "NOT_FOUND")]
    [InlineData("v1beta/models/gemini-2.5-pro:embedTheWorld", "{}", null, 404, "NOT_FOUND")]
    [InlineData("v1beta/models/gemini-2.5-pro:generateContent", "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", "wrong-key", 401, "UNAUTHENTICATED")]
    public async Task BadRequests_AnswerInGeminiErrorShape(string path, string body, string? key, int status, string googleStatus)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-goog-api-key", key ?? GatewayFixture.MasterKey);
        using var client = _fx.Anonymous();
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(status, (int)error["code"]!);
        Assert.Equal(googleStatus, (string?)error["status"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.Empty(_fx.Emulator.Requests);
    }
}
