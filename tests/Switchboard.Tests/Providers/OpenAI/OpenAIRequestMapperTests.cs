using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OpenAIRequestMapperTests
{
    private static readonly JsonElement CitySchema = JsonDocument.Parse(
        """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""").RootElement;

    [Fact]
    public async Task Send_RichRequest_MatchesGoldenWireJson()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");
        var client = Create(handler);
        List<ChatMessage> messages =
        [
            new(new ChatRole("developer"), "You are terse."),
            new(ChatRole.User, [new TextContent("Describe the picture, then get Paris weather."),
                new DataContent(Convert.FromBase64String("iVBORw0KGgo="), "image/png")]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_4XzlGBLtUe9dy3GVNV4jhq7h", "get_weather",
                new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_4XzlGBLtUe9dy3GVNV4jhq7h", """{"temp_c":18}""")]),
            new(ChatRole.Assistant, "A red square. Paris: 18 °C."),
            new(ChatRole.User, [new TextContent("And this one?"), new UriContent("https://example.com/cat.jpg", "image/jpeg")]),
        ];
        var options = new ChatOptions
        {
            ModelId = "gpt-4o-mini",
            Instructions = "Be brief.",
            Temperature = 0.2f,
            TopP = 0.9f,
            MaxOutputTokens = 256,
            StopSequences = ["\n\n\n"],
            Seed = 42,
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.25f,
            Tools = [AIFunctionFactory.CreateDeclaration("get_weather", "Current weather for a city", CitySchema)],
            ToolMode = ChatToolMode.Auto,
            AllowMultipleToolCalls = false,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(CitySchema, "answer"),
            AdditionalProperties = new()
            {
                ["strictJsonSchema"] = true,
                ["user"] = "user-123",
                ["metadata"] = JsonDocument.Parse("""{"team":"support"}""").RootElement,
                ["logprobs"] = true,
                ["temperature"] = 1.5, // typed option wins: never written twice
                [SwitchboardContext.Key] = new SwitchboardContext(),
            },
        };

        await client.GetResponseAsync(messages, options);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.openai.com/v1/chat/completions", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        var expected = Fixture.Read(Fixtures + "request-rich.json");
        Assert.True(Fixture.JsonEquals(expected, request.Body!), request.Body);
    }

    [Fact]
    public async Task Send_OpenAICompatible_ExcludesParametersAndUsesMaxTokens()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "stream-text.sse");
        var options = new ProviderOptions { Type = ProviderTypes.OpenAICompatible, BaseUrl = new Uri("http://localhost:11434/v1/") };
        foreach (var excluded in new[] { "seed", "top_p", "stream_options", "user" })
        {
            options.ExcludedParameters.Add(excluded);
        }

        var client = Create(handler, options, name: "ollama");
        var chat = new ChatOptions
        {
            ModelId = "llama3.2",
            Temperature = 0.7f,
            TopP = 0.5f,
            Seed = 7,
            MaxOutputTokens = 64,
            Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Look a word up", JsonDocument.Parse(
                """{"type":"object","properties":{"word":{"type":"string"}},"required":["word"]}""").RootElement)],
            ToolMode = ChatToolMode.RequireAny,
            ResponseFormat = ChatResponseFormat.Json,
            AdditionalProperties = new() { ["user"] = "u1" },
        };

        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], chat))
        {
        }

        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://localhost:11434/v1/chat/completions", request.Uri.AbsoluteUri);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.True(Fixture.JsonEquals(Fixture.Read(Fixtures + "request-compatible-stream.json"), request.Body!), request.Body);
    }

    [Fact]
    public async Task Send_Streaming_AsksForUsage()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "stream-text.sse");
        await foreach (var _ in Create(handler).GetStreamingResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o-mini" }))
        {
        }

        using var body = JsonDocument.Parse(handler.Requests[0].Body!);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public async Task Send_Azure_UsesDeploymentUrlAndApiKeyHeader()
    {
        var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");
        var options = new ProviderOptions
        {
            Type = ProviderTypes.AzureOpenAI, BaseUrl = new Uri("https://contoso.openai.azure.com"), ApiKey = ApiKey,
        };
        options.Headers["x-ms-client-request-id"] = "trace-1";
        var client = Create(handler, options, name: "azure");

        await client.GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt4o-prod", MaxOutputTokens = 10 });

        var request = Assert.Single(handler.Requests);
        Assert.Equal($"https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version={ProviderDefaults.AzureApiVersion}",
            request.Uri.AbsoluteUri);
        Assert.Equal(ApiKey, request.Headers["api-key"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("trace-1", request.Headers["x-ms-client-request-id"]);
        Assert.Contains("\"max_completion_tokens\":10", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_ToolModes_MapToToolChoice()
    {
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", null, CitySchema);
        (ChatToolMode Mode, string Expected)[] cases =
        [
            (ChatToolMode.None, "\"none\""),
            (ChatToolMode.RequireAny, "\"required\""),
            (ChatToolMode.RequireSpecific("get_weather"), """{"type":"function","function":{"name":"get_weather"}}"""),
        ];
        foreach (var (mode, expected) in cases)
        {
            var handler = new RecordingHandler().ReplyWithFixture(Fixtures + "response-text.json");
            await Create(handler).GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o", Tools = [tool], ToolMode = mode });
            using var body = JsonDocument.Parse(handler.Requests[0].Body!);
            Assert.True(Fixture.JsonEquals(expected, body.RootElement.GetProperty("tool_choice").GetRawText()), expected);
        }
    }

    [Fact]
    public async Task Send_WithoutModel_ThrowsInvalidRequestWithoutCalling()
    {
        var handler = new RecordingHandler();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => Create(handler).GetResponseAsync("Hi"));
        Assert.Equal(ProviderErrorKind.InvalidRequest, ex.Kind);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void GetService_ReturnsMetadataWithTypeAndBaseUrl()
    {
        var options = new ProviderOptions { Type = ProviderTypes.OpenAICompatible, BaseUrl = new Uri("http://host:8000/v1/") };
        var metadata = Create(new RecordingHandler(), options, name: "vllm").GetService<ChatClientMetadata>();
        Assert.Equal(ProviderTypes.OpenAICompatible, metadata?.ProviderName);
        Assert.Equal(new Uri("http://host:8000/v1/"), metadata?.ProviderUri);
    }
}
