using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Providers.Gemini;

public sealed class GeminiRequestMapperTests
{
    private static readonly JsonElement CitySchema = JsonDocument.Parse(
        """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;

    private static readonly AIFunctionDeclaration GetWeather =
        AIFunctionFactory.CreateDeclaration("get_weather", "Current weather for a city", CitySchema);

    [Fact]
    public void ToGemini_RichConversation_MatchesGoldenRequest()
    {
        var temperature = JsonDocument.Parse("""{"temp_c":18}""").RootElement;
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, [new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png"),
                new TextContent("Describe the picture, then get Paris weather.")]),
            new(ChatRole.Assistant, [new TextContent("Checking."),
                new FunctionCallContent("call_0", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_0", temperature)]),
            new(ChatRole.User, [new TextContent("Is it warm? Compare with this photo."),
                new UriContent("https://example.com/paris.jpg", "image/jpeg")]),
        ];
        var options = new ChatOptions
        {
            Temperature = 0.2f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 256,
            StopSequences = ["###"],
            Seed = 7,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(
                JsonDocument.Parse("""{"type":"object","properties":{"warm":{"type":"boolean"}},"required":["warm"]}""").RootElement, "weather"),
            Tools = [GetWeather],
            ToolMode = ChatToolMode.RequireAny,
        };

        var json = Write(messages, options);

        Assert.True(Fixture.JsonEquals(GeminiTestClients.Read("request-rich.json"), json), json);
    }

    [Fact]
    public void ToGemini_Instructions_ComeBeforeSystemMessagesInSystemInstruction()
    {
        var json = Parse(Write([new(ChatRole.System, "Second."), new(ChatRole.User, "Hi")], new ChatOptions { Instructions = "First." }));

        var parts = json.GetProperty("systemInstruction").GetProperty("parts");
        Assert.Equal(["First.", "Second."], parts.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.Single(json.GetProperty("contents").EnumerateArray());
    }

    [Fact]
    public void ToGemini_ConsecutiveUserMessages_AreMergedIntoOneTurn()
    {
        var json = Parse(Write([new(ChatRole.User, "a"), new(ChatRole.User, "b"), new(ChatRole.Assistant, "c")], null));

        var contents = json.GetProperty("contents").EnumerateArray().ToList();
        Assert.Equal(["user", "model"], contents.Select(c => c.GetProperty("role").GetString()));
        Assert.Equal(2, contents[0].GetProperty("parts").GetArrayLength());
    }

    [Theory]
    [InlineData("sunny", """{"result":"sunny"}""")]
    [InlineData(18, """{"result":18}""")]
    public void ToGemini_NonObjectFunctionResult_IsWrappedAsResult(object result, string expected)
    {
        var json = Parse(Write(CallAndResult("abc", new FunctionResultContent("abc", result)), null));

        var response = json.GetProperty("contents")[1].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response");
        Assert.True(Fixture.JsonEquals(expected, response.GetRawText()), response.GetRawText());
    }

    [Fact]
    public void ToGemini_FailedFunctionResult_IsSentAsError()
    {
        var failed = new FunctionResultContent("abc", "Error: city unknown") { Exception = new InvalidOperationException("city unknown") };

        var json = Parse(Write(CallAndResult("abc", failed), null));

        var response = json.GetProperty("contents")[1].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response");
        Assert.Equal("Error: city unknown", response.GetProperty("error").GetString());
    }

    [Fact]
    public void ToGemini_GeminiCallId_IsEchoedOnCallAndResponse_ButGeneratedIdIsNot()
    {
        var json = Parse(Write(CallAndResult("fc-7Hq2", new FunctionResultContent("fc-7Hq2", "ok")), null));
        var generated = Parse(Write(CallAndResult("call_3", new FunctionResultContent("call_3", "ok")), null));

        Assert.Equal("fc-7Hq2", json.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("functionCall").GetProperty("id").GetString());
        Assert.Equal("fc-7Hq2", json.GetProperty("contents")[1].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("id").GetString());
        Assert.False(generated.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("functionCall").TryGetProperty("id", out _));
    }

    [Fact]
    public void ToGemini_ResultWithoutMatchingCall_ThrowsInvalidRequest()
    {
        var ex = Assert.Throws<ProviderException>(() =>
            Write([new(ChatRole.Tool, [new FunctionResultContent("nowhere", "x")])], null));

        Assert.Equal(ProviderErrorKind.InvalidRequest, ex.Kind);
    }

    [Fact]
    public void ToGemini_SameGeneratedIdInTwoTurns_NamesEachResultAfterItsOwnCall()
    {
        List<ChatMessage> messages =
        [
            .. CallAndResult("call_0", new FunctionResultContent("call_0", "18C")),
            .. CallAndResult("call_0", new FunctionResultContent("call_0", "12:00"), "get_time"),
        ];

        var json = Parse(Write(messages, null));

        var names = json.GetProperty("contents").EnumerateArray()
            .Where(c => c.GetProperty("role").GetString() == "user")
            .Select(c => c.GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString());
        Assert.Equal(["get_weather", "get_time"], names);
    }

    [Fact]
    public void ToGemini_ThoughtSignature_IsEchoedOnItsPart()
    {
        var call = new FunctionCallContent("call_0", "get_weather", new Dictionary<string, object?>())
        {
            AdditionalProperties = new() { [GeminiResponseMapper.ThoughtSignatureKey] = "c2lnbmF0dXJl" },
        };

        var json = Parse(Write([new(ChatRole.User, "hi"), new(ChatRole.Assistant, [call])], null));

        Assert.Equal("c2lnbmF0dXJl", json.GetProperty("contents")[1].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString());
    }

    [Theory]
    [InlineData("auto", """{"mode":"AUTO"}""")]
    [InlineData("none", """{"mode":"NONE"}""")]
    [InlineData("any", """{"mode":"ANY"}""")]
    [InlineData("named", """{"mode":"ANY","allowedFunctionNames":["get_weather"]}""")]
    public void ToGemini_ToolMode_MapsToFunctionCallingConfig(string mode, string expected)
    {
        ChatToolMode toolMode = mode switch
        {
            "auto" => ChatToolMode.Auto,
            "none" => ChatToolMode.None,
            "any" => ChatToolMode.RequireAny,
            _ => ChatToolMode.RequireSpecific("get_weather"),
        };

        var json = Parse(Write([new(ChatRole.User, "hi")], new ChatOptions { Tools = [GetWeather], ToolMode = toolMode }));

        var config = json.GetProperty("toolConfig").GetProperty("functionCallingConfig").GetRawText();
        Assert.True(Fixture.JsonEquals(expected, config), config);
    }

    [Fact]
    public void ToGemini_JsonWithoutSchema_SetsOnlyMimeType_AndNoToolsWithoutFunctions()
    {
        var json = Parse(Write([new(ChatRole.User, "hi")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }));

        var config = json.GetProperty("generationConfig");
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        Assert.False(config.TryGetProperty("responseJsonSchema", out _));
        Assert.False(json.TryGetProperty("tools", out _));
        Assert.False(json.TryGetProperty("toolConfig", out _));
    }

    [Fact]
    public void ToGemini_OmitSampling_LeavesOutTemperatureTopPAndTopK()
    {
        var options = new ChatOptions { Temperature = 0.5f, TopP = 0.5f, TopK = 5, MaxOutputTokens = 10 };

        var json = Parse(Write([new(ChatRole.User, "hi")], options, omitSampling: true));

        var config = json.GetProperty("generationConfig");
        Assert.False(config.TryGetProperty("temperature", out _));
        Assert.False(config.TryGetProperty("topP", out _));
        Assert.False(config.TryGetProperty("topK", out _));
        Assert.Equal(10, config.GetProperty("maxOutputTokens").GetInt32());
    }

    private static List<ChatMessage> CallAndResult(string callId, FunctionResultContent result, string name = "get_weather") =>
    [
        new(ChatRole.Assistant, [new FunctionCallContent(callId, name, new Dictionary<string, object?> { ["city"] = "Paris" })]),
        new(ChatRole.Tool, [result]),
    ];

    private static string Write(List<ChatMessage> messages, ChatOptions? options, bool omitSampling = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        GeminiRequestMapper.ToGemini(buffer, messages, options, "gemini", omitSampling);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
