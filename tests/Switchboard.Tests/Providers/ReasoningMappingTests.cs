using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers;

/// <summary>Golden wire bodies: the canonical reasoning effort as each provider's own setting, and a client's native setting winning.</summary>
public sealed class ReasoningMappingTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hi")];

    private static ChatOptions Effort(ReasoningEffort effort, string model, int? maxTokens = null) => new()
    {
        ModelId = model,
        MaxOutputTokens = maxTokens,
        Temperature = 0.3f,
        Reasoning = new ReasoningOptions { Effort = effort },
    };

    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static JsonObject OpenAI(ChatOptions options) => JsonNode.Parse(Written(o =>
        OpenAIRequestMapper.ToOpenAI(o, Hello, options, options.ModelId!, stream: false,
            OpenAIEndpoint.Create("openai", new ProviderOptions { ApiKey = "test" }))))!.AsObject();

    private static JsonObject Gemini(ChatOptions options) => JsonNode.Parse(Written(o => GeminiRequestMapper.ToGemini(o, Hello, options, "gemini")))!.AsObject();

    [Theory]
    [InlineData(ReasoningEffort.None, "none")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public void OpenAI_Effort_IsReasoningEffort(ReasoningEffort effort, string expected) =>
        Assert.Equal(expected, (string?)OpenAI(Effort(effort, "o4-mini"))["reasoning_effort"]);

    [Fact]
    public void OpenAI_ClientsOwnReasoningEffort_WinsAsSent()
    {
        var options = Effort(ReasoningEffort.Low, "gpt-5");
        options.AdditionalProperties = new() { ["reasoning_effort"] = JsonElement.Parse("\"minimal\"") };

        var body = Written(o => OpenAIRequestMapper.ToOpenAI(o, Hello, options, "gpt-5", false, OpenAIEndpoint.Create("openai", new ProviderOptions { ApiKey = "test" })));

        Assert.Contains("\"reasoning_effort\":\"minimal\"", body, StringComparison.Ordinal);
        Assert.Single(JsonNode.Parse(body)!.AsObject(), p => p.Key == "reasoning_effort");
    }

    [Fact]
    public void Anthropic_Effort_OnABudgetModel_IsEnabledThinkingWithTheTablesBudget_AndNoSampling()
    {
        var body = Write(Hello, Effort(ReasoningEffort.Medium, "claude-haiku-4-5", 16000), Haiku);

        const string Expected = """
            {"model":"claude-haiku-4-5","max_tokens":16000,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],
             "thinking":{"type":"enabled","budget_tokens":8192}}
            """;
        Assert.True(Fixture.JsonEquals(Expected, body), body);
    }

    [Theory]
    [InlineData(ReasoningEffort.High, 2000, """{"type":"enabled","budget_tokens":1999}""")]
    [InlineData(ReasoningEffort.High, 1000, null)]
    [InlineData(ReasoningEffort.None, 1000, """{"type":"disabled"}""")]
    public void Anthropic_Budget_StaysBelowMaxTokens(ReasoningEffort effort, int maxTokens, string? expected)
    {
        var body = JsonNode.Parse(Write(Hello, Effort(effort, "claude-haiku-4-5", maxTokens), Haiku))!.AsObject();

        Assert.Equal(expected, body["thinking"]?.ToJsonString());
    }

    [Fact]
    public void Anthropic_Effort_OnAnAdaptiveModel_IsAdaptiveThinkingWithOutputConfigEffort()
    {
        var options = Effort(ReasoningEffort.ExtraHigh, "claude-sonnet-5");
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonElement.Parse("""{"type":"object"}"""));
        var body = JsonNode.Parse(Write(Hello, options, Sonnet5))!.AsObject();

        Assert.Equal("""{"type":"adaptive"}""", body["thinking"]!.ToJsonString());
        Assert.Equal("""{"format":{"type":"json_schema","schema":{"type":"object"}},"effort":"xhigh"}""", body["output_config"]!.ToJsonString());
    }

    [Fact]
    public void Anthropic_ClientsOwnThinking_WinsAsSent()
    {
        var options = Effort(ReasoningEffort.High, "claude-haiku-4-5", 16000);
        options.AdditionalProperties = new() { [PassThroughKeys.AnthropicFieldPrefix + "thinking"] = JsonElement.Parse("""{"type":"enabled","budget_tokens":5000}""") };

        var body = JsonNode.Parse(Write(Hello, options, Haiku))!.AsObject();

        Assert.Equal("""{"type":"enabled","budget_tokens":5000}""", body["thinking"]!.ToJsonString());
        Assert.Equal(0.3, (double)body["temperature"]!, 3); // the client's request, as sent
    }

    [Theory]
    [InlineData("gemini-2.5-flash", ReasoningEffort.High, """{"thinkingBudget":24576}""")]
    [InlineData("gemini-2.5-flash", ReasoningEffort.None, """{"thinkingBudget":0}""")]
    [InlineData("gemini-2.5-pro", ReasoningEffort.None, """{"thinkingBudget":128}""")]
    [InlineData("gemini-3-pro", ReasoningEffort.Medium, """{"thinkingLevel":"MEDIUM"}""")]
    [InlineData("gemini-3-flash", ReasoningEffort.ExtraHigh, """{"thinkingLevel":"HIGH"}""")]
    public void Gemini_Effort_IsABudgetOrALevel(string model, ReasoningEffort effort, string expected) =>
        Assert.Equal(expected, Gemini(Effort(effort, model))["generationConfig"]!["thinkingConfig"]!.ToJsonString());

    [Fact]
    public void Gemini_ClientsOwnThinkingConfig_WinsAsSent()
    {
        var options = Effort(ReasoningEffort.Low, "gemini-2.5-flash");
        options.AdditionalProperties = new() { [PassThroughKeys.GeminiThinkingConfig] = JsonElement.Parse("""{"includeThoughts":true,"thinkingBudget":-1}""") };

        Assert.Equal("""{"includeThoughts":true,"thinkingBudget":-1}""", Gemini(options)["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData(0, ReasoningEffort.None)]
    [InlineData(1024, ReasoningEffort.Low)]
    [InlineData(8192, ReasoningEffort.Medium)]
    [InlineData(10000, ReasoningEffort.Medium)]
    [InlineData(24576, ReasoningEffort.High)]
    [InlineData(32768, ReasoningEffort.ExtraHigh)]
    public void Table_BudgetsRoundTrip(int budget, ReasoningEffort effort)
    {
        Assert.Equal(effort, ReasoningEfforts.FromBudget(budget));
        Assert.Equal(effort, ReasoningEfforts.FromBudget(ReasoningEfforts.BudgetTokens(effort)));
    }
}
