using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers.Anthropic;

public sealed class AnthropicRequestMapperTests
{
    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration("get_weather", "Current weather for a city",
        JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private static JsonNode Body(IEnumerable<ChatMessage> messages, ChatOptions? options, ModelInfo? model = null, bool stream = false) =>
        JsonNode.Parse(Write(messages, options, model, stream))!;

    [Fact]
    public void ToAnthropic_RichConversation_MatchesGoldenRequest()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, [new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png"), new TextContent("Describe the picture, then get Paris weather.")]),
            new(ChatRole.Assistant,
            [
                new TextContent("I'll check the weather and the time."),
                new FunctionCallContent("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                new FunctionCallContent("toolu_02TimeTimeTimeTimeTimeTi", "get_time", new Dictionary<string, object?> { ["city"] = "Paris", ["utc"] = true }),
            ]),
            new(ChatRole.Tool,
            [
                new FunctionResultContent("toolu_01NRLabsLyVHZPKxbKvkfSMn", """{"temp_c":18}"""),
                new FunctionResultContent("toolu_02TimeTimeTimeTimeTimeTi", null) { Exception = new InvalidOperationException("clock service unavailable") },
            ]),
            new(ChatRole.User, [new UriContent("https://example.com/rome.jpg", "image/jpeg"), new TextContent("And this one?")]),
        ];
        var options = new ChatOptions
        {
            ModelId = "claude-haiku-4-5",
            MaxOutputTokens = 1024,
            Temperature = 0.2f,
            TopP = 0.9f,
            TopK = 40,
            StopSequences = ["###"],
            Tools = [Weather],
            ToolMode = ChatToolMode.RequireSpecific("get_weather"),
        };

        var body = Write(messages, options, Haiku);

        Assert.True(Fixture.JsonEquals(Fixture.Read(Fixtures + "request-rich.json"), body), body);
    }

    [Fact]
    public void ToAnthropic_InstructionsAndSeveralSystemMessages_WritesSystemAsTextBlocksInOrder()
    {
        var body = Body([new(ChatRole.System, "First."), new(ChatRole.User, "Hi"), new(ChatRole.System, "Second.")],
            new ChatOptions { Instructions = "Zeroth." });

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"type":"text","text":"Zeroth."},{"type":"text","text":"First."},{"type":"text","text":"Second."}]
            """), body["system"]), body.ToJsonString());
        Assert.Single(body["messages"]!.AsArray());
    }

    [Fact]
    public void ToAnthropic_ConsecutiveSameRoleMessages_MergedIntoOneTurn()
    {
        var body = Body([new(ChatRole.User, "One"), new(ChatRole.User, "Two"), new(ChatRole.Assistant, "Three")], null);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]},
             {"role":"assistant","content":[{"type":"text","text":"Three"}]}]
            """), body["messages"]), body.ToJsonString());
        Assert.Null(body["system"]);
    }

    [Fact]
    public void ToAnthropic_NoMaxOutputTokens_UsesCatalogMaximumForModel()
    {
        var body = Body([new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "claude-haiku-4-5" }, Haiku);

        Assert.Equal(64_000, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void ToAnthropic_ModelUnknownToCatalog_UsesDefaultMaxTokens()
    {
        var body = Body([new(ChatRole.User, "Hi")], new ChatOptions { ModelId = "claude-unknown" }, model: null);

        Assert.Equal(4096, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void ToAnthropic_ModelRejectsSamplingParameters_OmitsTemperatureTopPAndTopK()
    {
        var options = new ChatOptions { ModelId = "claude-sonnet-5", Temperature = 0.5f, TopP = 0.9f, TopK = 10, StopSequences = ["END"] };

        var body = Body([new(ChatRole.User, "Hi")], options, Sonnet5).AsObject();

        Assert.False(body.ContainsKey("temperature"));
        Assert.False(body.ContainsKey("top_p"));
        Assert.False(body.ContainsKey("top_k"));
        Assert.Equal("END", body["stop_sequences"]![0]!.GetValue<string>());
        Assert.Equal(128_000, body["max_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("auto", """{"type":"auto"}""")]
    [InlineData("any", """{"type":"any"}""")]
    [InlineData("none", """{"type":"none"}""")]
    [InlineData("named", """{"type":"tool","name":"get_weather"}""")]
    public void ToAnthropic_ToolMode_MapsToToolChoice(string mode, string expected)
    {
        var options = new ChatOptions
        {
            Tools = [Weather],
            ToolMode = mode switch
            {
                "auto" => ChatToolMode.Auto,
                "any" => ChatToolMode.RequireAny,
                "none" => ChatToolMode.None,
                _ => ChatToolMode.RequireSpecific("get_weather"),
            },
        };

        var body = Body([new(ChatRole.User, "Hi")], options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body["tool_choice"]), body.ToJsonString());
    }

    [Fact]
    public void ToAnthropic_NoParallelToolCalls_DisablesParallelToolUse()
    {
        var body = Body([new(ChatRole.User, "Hi")], new ChatOptions { Tools = [Weather], AllowMultipleToolCalls = false });

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"auto","disable_parallel_tool_use":true}"""), body["tool_choice"]));
    }

    [Fact]
    public void ToAnthropic_ToolModeWithoutTools_OmitsToolsAndToolChoice()
    {
        var body = Body([new(ChatRole.User, "Hi")], new ChatOptions { ToolMode = ChatToolMode.RequireAny }).AsObject();

        Assert.False(body.ContainsKey("tools"));
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Fact]
    public void ToAnthropic_ThinkingInAdditionalProperties_PassedThroughAsGiven()
    {
        var options = new ChatOptions
        {
            AdditionalProperties = new() { ["thinking"] = JsonElement.Parse("""{"type":"enabled","budget_tokens":2048}""") },
        };

        var body = Body([new(ChatRole.User, "Hi")], options);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"enabled","budget_tokens":2048}"""), body["thinking"]));
    }

    [Fact]
    public void ToAnthropic_JsonSchemaFormat_WritesOutputConfigFormat_AndBareJsonWritesNothing()
    {
        var schema = JsonElement.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""");

        var withSchema = Body([new(ChatRole.User, "Hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "reply") });
        var bare = Body([new(ChatRole.User, "Hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }).AsObject();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"format":{"type":"json_schema","schema":{"type":"object","properties":{"answer":{"type":"string"}}}}}"""),
            withSchema["output_config"]), withSchema.ToJsonString());
        Assert.False(bare.ContainsKey("output_config"));
    }

    [Fact]
    public void ToAnthropic_AssistantReasoning_EchoesSignedThinkingAndDropsUnsigned()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant,
            [
                new TextReasoningContent("Signed thought.") { ProtectedData = "sig-1" },
                new TextReasoningContent("") { ProtectedData = "redacted-1" },
                new TextReasoningContent("Unsigned thought."),
                new TextContent("Hello."),
            ]),
        ];

        var body = Body(messages, null);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"type":"thinking","thinking":"Signed thought.","signature":"sig-1"},
             {"type":"redacted_thinking","data":"redacted-1"},
             {"type":"text","text":"Hello."}]
            """), body["messages"]![1]!["content"]), body.ToJsonString());
    }

    [Fact]
    public void ToAnthropic_Streaming_SetsStreamTrue_AndOtherwiseOmitsIt()
    {
        Assert.True(Body([new(ChatRole.User, "Hi")], null, stream: true)["stream"]!.GetValue<bool>());
        Assert.False(Body([new(ChatRole.User, "Hi")], null).AsObject().ContainsKey("stream"));
    }
}
